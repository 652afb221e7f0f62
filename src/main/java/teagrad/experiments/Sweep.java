package teagrad.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import teagrad.model.Config;
import teagrad.model.Presets;
import teagrad.model.Setting;
import teagrad.model.Settings;

/**
 * The lecture's comparisons as one command: one setting (or the preset) taking several values,
 * a run per value, the runs trained side by side on as many threads as there are cores. Each run
 * owns its model, split and minibatch stream; they share only the word list, which they read, so
 * every run is bit for bit the run it would be alone.
 *
 * <p>Written {@code NAME=v1,v2,…}: NAME is a setting of {@link Settings} by its name or its flag
 * ({@code initGain}, {@code init-gain}), or {@code preset}; each value is read by the table as
 * the flag would read it ("5/3" is a fraction where the setting takes one). Widths hold commas
 * themselves, so their values are separated by '/': {@code widths=200/100,100}.
 *
 * @param name    the setting's name, or "preset"
 * @param values  as typed
 * @param configs the run of each value, validated
 */
public record Sweep(String name, List<String> values, List<Config> configs) {

    /** The lecture's loss log: the five inits, from naive to batch norm. */
    public static final String LOSS_LOG = "preset=naive-init,small-logits,no-saturation,kaiming,batchnorm";

    /** The spec over {@code base}: each value applied to a copy of it. @throws IllegalArgumentException saying what is wrong, in one line */
    public static Sweep parse(String spec, Config base) {
        int eq = spec.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("a sweep is NAME=v1,v2,… (like initGain=0.5,1,5/3,3), got \"" + spec + "\"");
        String key = spec.substring(0, eq).trim();
        Setting s = setting(key);
        if (s == null && !key.equals("preset")) {
            throw new IllegalArgumentException("no setting is called '" + key + "'; sweep preset or one of " + names());
        }
        String name = s == null ? "preset" : s.name;
        List<String> values = new ArrayList<>();
        for (String v : Setting.split(spec.substring(eq + 1), s == Settings.WIDTHS ? '/' : ',')) {
            if (v.isBlank()) throw new IllegalArgumentException(name + ": an empty value in \"" + spec.substring(eq + 1) + "\"");
            values.add(v.trim());
        }
        List<Config> configs = new ArrayList<>();
        for (String v : values) configs.add(s == null ? Presets.apply(v, base) : apply(s, v, base));
        return new Sweep(name, List.copyOf(values), List.copyOf(configs));
    }

    /** The setting by its name or its train flag, or null. */
    public static Setting setting(String key) {
        for (Setting s : Settings.ALL) if (s.name.equals(key) || key.equals(s.flag())) return s;
        return null;
    }

    /** A copy of base with the setting's value; validated. @throws Setting.Refused naming the setting */
    static Config apply(Setting s, String value, Config base) {
        Config c = base.copy();
        s.parse(value, c);
        if (s == Settings.BATCH_NORM && !c.batchNorm) c.outBatchNorm = false;   // as train's --no-batchnorm: none anywhere
        return c.validate();
    }

    private static String names() {
        StringBuilder b = new StringBuilder();
        for (Setting s : Settings.ALL) b.append(b.length() == 0 ? "" : ", ").append(s.name);
        return b.toString();
    }

    /** The most threads that help: one a core. */
    public static int cores() { return Runtime.getRuntime().availableProcessors(); }

    /**
     * Trains every run, at most {@code threads} at a time; returns their summaries in the order of
     * the values. {@code finished} hears of each run as it ends, from the thread that trained it.
     */
    public List<RunSummary> run(List<String> words, int threads, boolean diagnostics, boolean calibrate, Consumer<RunSummary> finished) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, configs.size()), r -> {
            Thread t = new Thread(r, "sweep");
            t.setDaemon(true);   // a sweep stopped by Ctrl-C ends with the program
            return t;
        });
        try {
            List<Future<RunSummary>> runs = new ArrayList<>();
            for (int i = 0; i < configs.size(); i++) {
                String value = values.get(i);
                Config c = configs.get(i);
                runs.add(pool.submit(() -> {
                    RunSummary r = RunSummary.train(value, c, words, diagnostics, calibrate);
                    finished.accept(r);
                    return r;
                }));
            }
            List<RunSummary> done = new ArrayList<>();
            for (Future<RunSummary> f : runs) done.add(f.get());
            return done;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the sweep was interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
