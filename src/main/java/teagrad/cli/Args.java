package teagrad.cli;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags of one subcommand: `--name value` pairs and bare `--switch`es.
 * Every flag must be declared; anything else is a {@link UsageError} (exit code 2).
 */
final class Args {
    /** A bad command line: one clear line for the user, exit code 2. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) { super(message); }
    }

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> switches = new LinkedHashSet<>();

    /**
     * @param valued  flags that take a value (without the leading "--")
     * @param bare    flags that take none
     */
    static Args parse(String[] argv, Set<String> valued, Set<String> bare) {
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("--")) throw new UsageError("unexpected argument '" + arg + "'");
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) { inline = name.substring(eq + 1); name = name.substring(0, eq); }
            if (bare.contains(name)) {
                if (inline != null) throw new UsageError("--" + name + " takes no value");
                a.switches.add(name);
            } else if (valued.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= argv.length) throw new UsageError("--" + name + " needs a value");
                    v = argv[++i];
                }
                a.values.put(name, v);
            } else {
                throw new UsageError("unknown flag '--" + name + "'");
            }
        }
        return a;
    }

    boolean has(String name) { return switches.contains(name) || values.containsKey(name); }

    String string(String name, String fallback) { return values.getOrDefault(name, fallback); }

    /** A whole number at least {@code min}; "0", "-3", "2.5" and "abc" are refused by name. */
    int integer(String name, int fallback, int min) {
        String v = values.get(name);
        if (v == null) return fallback;
        int n;
        try {
            n = Integer.parseInt(v.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageError("--" + name + " must be a whole number, got '" + v + "'");
        }
        if (n < min) throw new UsageError("--" + name + " must be at least " + min + ", got " + n);
        return n;
    }

    long longInteger(String name, long fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageError("--" + name + " must be a whole number, got '" + v + "'");
        }
    }
}
