package teagrad.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the page's modules into one file for the browser (run by the Maven build on
 * target/classes/webapp, after webapp/ is copied there): main.js becomes main.js and every module
 * it imports, and index.html loses the modulepreload links of the modules that are now inside it.
 * Why: the page is ~30 small modules, and over HTTP/1.1 (six connections to a host) they came in
 * one after the other while the box was busy, holding the page's start, and the word list's
 * download queued behind them (docs/PERFORMANCE.md, stop 26). webapp/ keeps the modules as they
 * are written; only the built copy is bundled.
 *
 * <p>Each module becomes a function run once, in the order the browser would evaluate the modules
 * (depth first, an import's module before the importer), returning its exports:
 * <pre>
 *   const __chart = (() => { …chart.js, its imports read from the modules before it… return { LossChart }; })();
 * </pre>
 * so every module keeps its own top-level names. The modules may use only what this reads: imports
 * of the form {@code import { a, b as c } from './x.js';} on one line, and exports as
 * {@code export function|async function|class|const NAME} or {@code export { a, b };}. What else
 * it meets (an import cycle, an imported name the module does not export, export let, a default
 * export) fails the build with the module named, rather than making a page that breaks later.
 * boot.js and engine.js stay modules of their own: index.html runs boot.js before the first
 * layout (it starts the worker), and the bundle imports them as main.js did.
 */
public final class PageBundle {
    private PageBundle() {}

    /** Modules that stay files of their own (index.html loads boot.js early; engine.js comes with it). */
    static final Set<String> SEPARATE = Set.of("boot.js", "engine.js");

    private static final Pattern IMPORT = Pattern.compile("^import\\s*\\{([^}]*)\\}\\s*from\\s*'([^']+)';[ \\t]*$", Pattern.MULTILINE);
    private static final Pattern EXPORT_DECLARATION = Pattern.compile("^export\\s+(?:async\\s+function\\*?|function\\*?|class|const)\\s+([A-Za-z_$][\\w$]*)", Pattern.MULTILINE);
    private static final Pattern EXPORT_LIST = Pattern.compile("^export\\s*\\{([^}]*)\\};?[ \\t]*$", Pattern.MULTILINE);
    private static final Pattern ANY_EXPORT = Pattern.compile("^export\\b.*$", Pattern.MULTILINE);
    private static final Pattern ANY_IMPORT = Pattern.compile("^import\\b.*$|\\bimport\\s*\\(", Pattern.MULTILINE);
    private static final Pattern PRELOAD = Pattern.compile("<link rel=\"modulepreload\" href=\"([^\"]+)\">\\n");

    /**
     * Reads the page's modules and index.html from the first folder (webapp/) and writes main.js and
     * index.html into the second (target/classes/webapp): always from the sources, so that a second
     * build does not bundle the bundle.
     */
    public static void main(String[] args) throws IOException {
        Path source = Path.of(args[0]), out = Path.of(args[1]);
        Bundle b = bundle(source, "main.js");
        Files.writeString(out.resolve("main.js"), b.text, StandardCharsets.UTF_8);
        String html = Files.readString(source.resolve("index.html"), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("index.html"), withoutPreloads(html, b.inside), StandardCharsets.UTF_8);
    }

    /** The bundle's text and the modules inside it (paths relative to the page, as index.html names them). */
    record Bundle(String text, List<String> inside) {}

    /** One module as read: its source and its exports. */
    private record Module(String path, String source, List<String> exports) {}

    static Bundle bundle(Path webapp, String entry) throws IOException {
        Map<String, Module> read = new LinkedHashMap<>();   // in evaluation order
        visit(webapp, entry, read, new LinkedHashSet<>());
        StringBuilder head = new StringBuilder(), body = new StringBuilder();
        Map<String, Set<String>> external = new LinkedHashMap<>();
        for (Module m : read.values()) {
            String code = rewrite(m, read, external);
            if (m.path.equals(entry)) {
                body.append("// ---- ").append(m.path).append('\n').append(code);
            } else {
                body.append("// ---- ").append(m.path).append('\n')
                    .append("const ").append(name(m.path)).append(" = (() => {\n").append(code)
                    .append("return { ").append(String.join(", ", m.exports)).append(" };\n})();\n\n");
            }
        }
        head.append("// The page's modules in one file, written by the build (teagrad.web.PageBundle) from webapp/'s ")
            .append(read.size()).append(" modules: edit those.\n");
        external.forEach((path, names) -> head.append("import { ").append(String.join(", ", names)).append(" } from './").append(path).append("';\n"));
        List<String> inside = new ArrayList<>(read.keySet());
        return new Bundle(head.append('\n').append(body).toString(), inside);
    }

    /** Reads a module and, first, the modules it imports (depth first, as the browser evaluates them). */
    private static void visit(Path webapp, String path, Map<String, Module> read, Set<String> open) throws IOException {
        if (read.containsKey(path)) return;
        if (!open.add(path)) throw new IllegalStateException(path + " imports itself through " + open + ": an import cycle, which the bundle cannot order");
        String source = Files.readString(webapp.resolve(path), StandardCharsets.UTF_8);
        Set<String> imports = new LinkedHashSet<>();
        Matcher im = IMPORT.matcher(source);
        while (im.find()) imports.add(resolve(path, im.group(2)));
        Matcher other = ANY_IMPORT.matcher(IMPORT.matcher(source).replaceAll(""));
        if (other.find()) throw new IllegalStateException(path + ": an import the bundle does not read: " + other.group().trim());
        for (String from : imports) {
            if (!SEPARATE.contains(from)) visit(webapp, from, read, open);
        }
        List<String> exports = new ArrayList<>();
        Matcher ex = EXPORT_DECLARATION.matcher(source);
        while (ex.find()) exports.add(ex.group(1));
        Matcher list = EXPORT_LIST.matcher(source);
        while (list.find()) for (String n : list.group(1).split(",")) if (!n.trim().isEmpty()) exports.add(n.trim());
        String rest = EXPORT_LIST.matcher(EXPORT_DECLARATION.matcher(source).replaceAll("")).replaceAll("");
        Matcher unread = ANY_EXPORT.matcher(rest);
        if (unread.find()) throw new IllegalStateException(path + ": an export the bundle does not read: " + unread.group().trim());
        open.remove(path);
        read.put(path, new Module(path, source, exports));
    }

    /** The module's code with its imports read from the modules before it and its export keywords dropped. */
    private static String rewrite(Module m, Map<String, Module> read, Map<String, Set<String>> external) {
        StringBuilder out = new StringBuilder();
        Matcher im = IMPORT.matcher(m.source);
        while (im.find()) {
            String from = resolve(m.path, im.group(2));
            List<String> specs = new ArrayList<>();
            for (String[] n : names(im.group(1))) {
                if (!SEPARATE.contains(from) && !read.get(from).exports.contains(n[0])) {
                    throw new IllegalStateException(m.path + " imports " + n[0] + " from " + from + ", which does not export it");
                }
                specs.add(n[0].equals(n[1]) ? n[0] : n[0] + ": " + n[1]);
                if (SEPARATE.contains(from)) external.computeIfAbsent(from, k -> new LinkedHashSet<>()).add(n[0].equals(n[1]) ? n[0] : n[0] + " as " + n[1]);
            }
            im.appendReplacement(out, Matcher.quoteReplacement(SEPARATE.contains(from) ? ""
                : "const { " + String.join(", ", specs) + " } = " + name(from) + ";"));
        }
        im.appendTail(out);
        String code = EXPORT_LIST.matcher(out.toString()).replaceAll("");
        code = Pattern.compile("^export\\s+(?=(?:async\\s+function|function|class|const)\\b)", Pattern.MULTILINE).matcher(code).replaceAll("");
        return code.endsWith("\n") ? code : code + "\n";
    }

    /** An import's names, "a, b as c", as {imported, local} pairs. */
    private static List<String[]> names(String list) {
        List<String[]> names = new ArrayList<>();
        for (String spec : list.split(",")) {
            String s = spec.trim();
            if (s.isEmpty()) continue;
            String[] parts = s.split("\\s+as\\s+");
            names.add(new String[] {parts[0].trim(), parts[parts.length - 1].trim()});
        }
        return names;
    }

    /** index.html without the modulepreload links of the modules now inside the bundle (main.js's stays). */
    static String withoutPreloads(String html, List<String> inside) {
        Matcher m = PRELOAD.matcher(html);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String href = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(inside.contains(href) && !href.equals("main.js") ? "" : m.group()));
        }
        return m.appendTail(out).toString();
    }

    /** './x.js' or '../x.js' from a module, as a path relative to the page's folder. */
    static String resolve(String from, String spec) {
        Path base = Path.of(from).getParent();
        Path p = (base == null ? Path.of(spec) : base.resolve(spec)).normalize();
        return p.toString().replace('\\', '/');
    }

    /** The bundle's name for a module's exports: batchnorm/plot.js → __batchnorm_plot. */
    static String name(String path) {
        return "__" + path.substring(0, path.length() - 3).replaceAll("\\W", "_");
    }
}
