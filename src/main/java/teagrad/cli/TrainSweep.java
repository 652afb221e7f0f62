package teagrad.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import teagrad.experiments.RunSummary;
import teagrad.experiments.Sweep;
import teagrad.model.Config;
import teagrad.model.Setting;
import teagrad.modelfile.Json;

/**
 * {@code train --sweep NAME=A,B,…}: the runs of a {@link Sweep} on the machine's cores, a line
 * as each ends, then the table the lecture compares them by (and with --json one object).
 */
final class TrainSweep {
    private TrainSweep() {}

    static int run(Args a, Config base, PrintStream out, PrintStream err) {
        if (a.has("out")) throw new Args.UsageError("--out saves one model: train the run you want to keep without --sweep");
        Sweep sweep = sweep(a, base);
        int threads = a.integer("threads", Math.min(Sweep.cores(), sweep.configs().size()), 1);
        if (threads > Sweep.cores()) {
            throw new Args.UsageError("--threads must be from 1 to " + Sweep.cores() + " (this machine's cores), got " + threads);
        }
        List<String> words = Inputs.words(a.string("data", "data/names.txt"), out);
        int runs = sweep.configs().size();
        out.printf(Locale.ROOT, "%d words; %d runs of %s on %d thread%s (%d cores)%n", words.size(), runs, sweep.name(),
            threads, threads == 1 ? "" : "s", Sweep.cores());
        boolean diagnostics = a.has("diagnostics");
        long start = System.nanoTime();
        int[] ended = {0};
        List<RunSummary> results = sweep.run(words, threads, diagnostics, a.has("calibrate"), r -> {
            synchronized (ended) {
                out.printf(Locale.ROOT, "run %d/%d ended: %s=%s, %,d steps, val %.4f, %.1f s%s%n", ++ended[0], runs, sweep.name(), r.value(),
                    r.steps(), r.val(), r.seconds(), r.diverged() != null ? " (diverged)" : "");
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        long steps = 0;
        for (RunSummary r : results) steps += r.steps();
        double rate = steps / Math.max(seconds, 1e-9);

        out.print(table(sweep.name(), results, diagnostics));
        out.printf(Locale.ROOT, "%d runs, %,d steps in %.1f s on %d thread%s: %,.0f steps/s together%n", runs, steps, seconds,
            threads, threads == 1 ? "" : "s", rate);
        boolean failed = false;
        for (RunSummary r : results) {
            if (r.diverged() == null) continue;
            err.println("error: " + sweep.name() + "=" + r.value() + ": " + r.diverged());
            failed = true;
        }
        if (a.has("json")) out.println(json(sweep.name(), results, threads, seconds, rate));
        return failed ? 1 : 0;
    }

    /** The sweep over the flags' config; the preset's runs keep the flags over each preset, as --preset does. */
    private static Sweep sweep(Args a, Config base) {
        Sweep s;
        try {
            s = Sweep.parse(a.string("sweep", null), base);
        } catch (Setting.Refused e) {
            throw new Args.UsageError("--sweep " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Args.UsageError("--sweep: " + e.getMessage());
        }
        if (s.name().equals("preset")) {
            if (a.has("preset")) throw new Args.UsageError("--sweep preset=… and --preset both choose the preset: use one");
            List<Config> configs = new ArrayList<>();
            for (String v : s.values()) configs.add(TrainCommand.config(a, v));
            return new Sweep(s.name(), s.values(), configs);
        }
        Setting swept = Sweep.setting(s.name());
        boolean flagged = swept.flag() != null && (a.has(swept.flag()) || a.has("no-" + swept.flag()))
            || swept == teagrad.model.Settings.WIDTHS && a.has("hidden");
        if (flagged) throw new Args.UsageError("--sweep " + s.name() + " and its flag both set " + s.name() + ": use one");
        return s;
    }

    /** A row per run: the value, first batch loss, eval-mode losses, speed; with diagnostics the saturation per tanh layer. */
    static String table(String name, List<RunSummary> results, boolean diagnostics) {
        int w = name.length();
        for (RunSummary r : results) w = Math.max(w, r.value().length());
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-" + w + "s  %10s  %7s  %7s  %7s  %8s  %8s", name, "first loss", "train", "val", "test", "steps/s", "seconds"));
        if (diagnostics) b.append("  tanh saturated % (per layer): step 0 → end");
        b.append('\n');
        for (RunSummary r : results) {
            b.append(String.format(Locale.ROOT, "%-" + w + "s  %10.4f  %7.4f  %7.4f  %7.4f  %,8.0f  %8.1f", r.value(), r.firstLoss(),
                r.train(), r.val(), r.test(), r.stepsPerSecond(), r.seconds()));
            if (diagnostics) b.append("  ").append(percents(r.saturationAtInit())).append(" → ").append(percents(r.saturationAtEnd()));
            if (r.diverged() != null) b.append("  diverged at step ").append(r.steps() + 1);
            b.append('\n');
        }
        return b.toString();
    }

    private static String percents(double[] fractions) {
        StringBuilder b = new StringBuilder();
        for (double f : fractions) b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", 100 * f));
        return b.toString();
    }

    static String json(String name, List<RunSummary> results, int threads, double seconds, double rate) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "{\"sweep\": %s, \"threads\": %d, \"seconds\": %.3f, \"stepsPerSecond\": %.1f, \"runs\": [",
            Json.quote(name), threads, seconds, rate));
        for (int i = 0; i < results.size(); i++) {
            RunSummary r = results.get(i);
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                "{\"value\": %s, \"steps\": %d, \"firstLoss\": %s, \"train\": %s, \"val\": %s, \"test\": %s, \"stepsPerSecond\": %.1f, \"seconds\": %.3f, \"diverged\": %b",
                Json.quote(r.value()), r.steps(), Inputs.json(r.firstLoss()), Inputs.json(r.train()), Inputs.json(r.val()), Inputs.json(r.test()),
                r.stepsPerSecond(), r.seconds(), r.diverged() != null));
            if (r.saturationAtInit() != null) {
                b.append(", \"saturationAtInit\": ").append(numbers(r.saturationAtInit()))
                 .append(", \"saturationAtEnd\": ").append(numbers(r.saturationAtEnd()));
            }
            b.append('}');
        }
        return b.append("]}").toString();
    }

    private static String numbers(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ", ").append(Inputs.json(v[i]));
        return b.append(']').toString();
    }
}
