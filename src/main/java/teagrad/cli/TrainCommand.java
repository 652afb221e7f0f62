package teagrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import teagrad.model.Config;
import teagrad.inference.Inference;
import teagrad.model.Model;
import teagrad.modelfile.ModelFile;
import teagrad.model.Presets;
import teagrad.model.Setting;
import teagrad.model.Settings;
import teagrad.train.Trainer;
import teagrad.data.Dataset;
import teagrad.experiments.Sweep;
import teagrad.diagnostics.Diagnostics;

/** {@code train}: the notebook's training run, with progress and a final train/dev/test loss. */
final class TrainCommand {
    private TrainCommand() {}

    static final String HELP = help();

    /** The usage, with a line per setting from the settings table: its flag, help, range and default. */
    private static String help() {
        StringBuilder b = new StringBuilder(String.join("\n",
            "usage: java -jar target/teagrad.jar train [flags]",
            "",
            "Trains the batch-norm MLP with minibatch SGD and reports the loss on the train,",
            "dev (val) and test splits in eval mode. Defaults are Karpathy's part-3 recipe.",
            "",
            "  --preset NAME        one of the lecture's experiments (network and init); the flags below override it:",
            "                       " + Presets.names(),
            "  --data FILE          word list, one word per line (default data/names.txt, downloaded if missing)",
            ""));
        settingsHelp(b, Set.of());
        b.append("\n");
        line(b, "--calibrate", "set batch norm's running stats from the whole training split before evaluating");
        line(b, "--out FILE", "save the trained model (JSON model file)");
        line(b, "--diagnostics", "print the lecture's per-layer tables (tanh activations and gradients, weights' grad:data and "
            + "update:data) at step 0, with every dev loss and at the end");
        line(b, "--json", "make the last line one JSON object with the results");
        b.append("\nexperiments:\n");
        line(b, "--sweep NAME=A,B,…", "a run per value of one setting (by its name or flag, values as the flag takes them; widths "
            + "separated by /) or of the preset (" + Sweep.LOSS_LOG + " is the lecture's loss log), side by side on the cores; "
            + "prints a table of first loss, train/val/test loss, steps/s and seconds (with --diagnostics the tanh saturation at "
            + "step 0 and at the end)");
        line(b, "--threads N", "runs trained at once with --sweep [1 to the machine's cores; default " + Sweep.cores() + "]");
        return b.toString();
    }

    /** A line per setting the table gives a flag, but those left out, under the group's heading. */
    static void settingsHelp(StringBuilder b, Set<Setting> leftOut) {
        Config defaults = new Config();
        Setting.Group group = null;
        for (Setting s : Settings.ALL) {
            if (s.flag() == null || leftOut.contains(s)) continue;
            if (s.group() != group) {
                group = s.group();
                b.append("\nthe ").append(group.key).append(":\n");
            }
            line(b, usage(s), s.help() + " [" + s.range() + "; default " + s.text(defaults) + "]");
            if (s == Settings.WIDTHS) line(b, "--hidden N", "one hidden layer of N units, the same as --widths N");
        }
    }

    /** "--embed N", "--batchnorm, --no-batchnorm". */
    private static String usage(Setting s) {
        switch (s.kind) {
            case "bool": return "--" + s.flag() + ", --no-" + s.flag();
            case "widths": return "--" + s.flag() + " A,B,…";
            case "float": return "--" + s.flag() + " X";
            default: return "--" + s.flag() + " N";
        }
    }

    static void line(StringBuilder b, String flag, String text) {
        if (flag.length() <= 20) b.append(String.format(Locale.ROOT, "  %-20s %s%n", flag, text));
        else b.append("  ").append(flag).append("\n").append(" ".repeat(23)).append(text).append("\n");
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            Args a = args(argv);
            Config c = config(a);
            if (a.has("sweep")) return TrainSweep.run(a, c, out, err);
            if (a.has("threads")) throw new Args.UsageError("--threads is for --sweep");
            List<String> words = Inputs.words(a.string("data", "data/names.txt"), out);
            return train(c, words, a.has("calibrate"), a.has("diagnostics"), a.string("out", null), a.has("json"), out, err);
        } catch (Args.UsageError e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /** The command's own flags, and one for each setting the table gives a flag (two for a switch: --batchnorm, --no-batchnorm). */
    static Args args(String[] argv) {
        return args(argv, Set.of("data", "preset", "hidden", "out", "sweep", "threads"), Set.of("calibrate", "diagnostics", "json"));
    }

    /** A command's own flags (valued, bare) and the settings'. */
    static Args args(String[] argv, Set<String> ownValued, Set<String> ownBare) {
        Set<String> valued = new HashSet<>(ownValued);
        Set<String> bare = new HashSet<>(ownBare);
        for (Setting s : Settings.ALL) {
            if (s.flag() == null) continue;
            if (s.kind.equals("bool")) bare.addAll(List.of(s.flag(), "no-" + s.flag()));
            else valued.add(s.flag());
        }
        return Args.parse(argv, valued, bare);
    }

    /** The run's settings: the preset's, then every setting's flag over them. @throws Args.UsageError naming the flag */
    static Config config(Args a) {
        return config(a, a.string("preset", null));
    }

    /** The run's settings with this preset (or none) under the flags. */
    static Config config(Args a, String preset) {
        Config c = new Config();
        if (preset != null) {
            try {
                c = Presets.apply(preset, c);
            } catch (IllegalArgumentException e) {
                throw new Args.UsageError("--preset: " + e.getMessage());
            }
        }
        if (a.has("hidden") && a.has("widths")) throw new Args.UsageError("use --hidden N or --widths A,B,…, not both");
        for (Setting s : Settings.ALL) if (s.flag() != null) set(a, s, c);
        if (a.has("no-batchnorm")) c.outBatchNorm = false;   // no batch norm anywhere, the logits' too
        try {
            return c.validate();
        } catch (Setting.Refused e) {
            throw new Args.UsageError(e.setting.flag() != null ? "--" + e.setting.flag() + " " + e.problem : e.getMessage());
        }
    }

    /** The setting's flag, if given: parsed and checked against the setting's range, refused by the flag's name. */
    private static void set(Args a, Setting s, Config c) {
        String flag = s == Settings.WIDTHS && a.has("hidden") ? "hidden" : s.flag();
        try {
            if (s.kind.equals("bool")) {
                if (a.has(flag) && a.has("no-" + flag)) throw new Args.UsageError("use --" + flag + " or --no-" + flag + ", not both");
                if (a.has(flag) || a.has("no-" + flag)) s.parse(a.has(flag) ? "on" : "off", c);
            } else if (a.has(flag)) {
                s.parse(a.string(flag, null), c);
            }
        } catch (Setting.Refused e) {
            throw new Args.UsageError("--" + flag + " " + e.problem);
        }
    }

    private static int train(Config c, List<String> words, boolean calibrate, boolean diagnostics, String outFile,
                             boolean json, PrintStream out, PrintStream err) {
        Dataset data = new Dataset(words, c.blockSize, c.seed);
        if (data.train.size == 0) throw new Args.UsageError("the word list needs at least 2 words to have a training split");
        Model model = Model.init(c, data.vocab);
        Trainer trainer = new Trainer(model, data);
        out.printf(Locale.ROOT, "%d words, vocab %d, examples train %d / dev %d / test %d; %d parameters; preset %s%n",
            words.size(), data.vocab.size(), data.train.size, data.val.size, data.test.size, model.parameterCount(), Presets.nameOf(c));
        out.println(model.net);
        Diagnostics init = null;
        if (diagnostics) {
            trainer.probe();
            init = diagnose(trainer);
            out.print("step 0 (the init, on one batch):\n" + init.table());
        }
        float firstLoss = Float.NaN;

        int report = Math.max(1, c.steps / 10);
        long start = System.nanoTime(), lastTime = start;
        int lastStep = 0;
        String failure = null;
        while (!trainer.finished()) {
            float loss;
            try {
                loss = trainer.trainStep();
            } catch (Trainer.Diverged e) {
                failure = e.getMessage();
                break;
            }
            int step = trainer.stepsDone();
            if (step == 1) firstLoss = loss;
            if (step % report == 0 || step == 1 || step == c.steps) {
                long now = System.nanoTime();
                double rate = (step - lastStep) / ((now - lastTime) / 1e9);
                out.printf(Locale.ROOT, "step %7d/%d  loss %.4f  lr %.3g  %,.0f steps/s%n", step, c.steps, loss, c.learningRate(step - 1), rate);
                lastTime = now;
                lastStep = step;
            }
            if (step % c.evalEvery == 0) {
                out.printf(Locale.ROOT, "step %7d  dev loss %.4f%n", step, new Inference(model).loss(data.val));
                if (diagnostics) out.print(diagnose(trainer).table());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int steps = trainer.stepsDone();
        double rate = steps / Math.max(seconds, 1e-9);

        Diagnostics last = diagnostics && steps > 0 ? diagnose(trainer) : init; // with no step, the init's are the last
        if (last != null && steps > 0) out.print("step " + steps + " (the last batch):\n" + last.table());
        if (calibrate) Inference.calibrate(model, data.train);
        Inference eval = new Inference(model);
        double train = eval.loss(data.train), val = eval.loss(data.val), test = eval.loss(data.test);
        out.printf(Locale.ROOT, "%d steps in %.1f s (%,.0f steps/s)%s%n", steps, seconds, rate, calibrate ? ", running stats calibrated" : "");
        out.printf(Locale.ROOT, "loss (eval mode): train %.4f  val %.4f  test %.4f%n", train, val, test);
        if (outFile != null) {
            try {
                Inputs.writeAtomically(Path.of(outFile), ModelFile.write(model, steps, null, trainer.batchState()));   // the page goes on with its very batches
                out.println("saved " + outFile);
            } catch (IOException e) {
                err.println("error: cannot write " + outFile + ": " + e.getMessage());
                return 1;
            }
        }
        if (failure != null) err.println("error: " + failure);
        if (json) {
            out.printf(Locale.ROOT, "{\"steps\": %d, \"train\": %s, \"val\": %s, \"test\": %s, \"firstLoss\": %s, \"stepsPerSecond\": %.1f, \"seconds\": %.3f, "
                    + "\"seed\": %d, \"preset\": \"%s\", \"widths\": [%s], \"parameters\": %d, \"batchNorm\": %b, \"calibrated\": %b, \"diverged\": %b%s}%n",
                steps, Inputs.json(train), Inputs.json(val), Inputs.json(test), Inputs.json(firstLoss), rate, seconds, c.seed, Presets.nameOf(c),
                Settings.WIDTHS.text(c), model.parameterCount(), c.batchNorm, calibrate, failure != null,
                last == null ? "" : ", \"diagnostics\": " + last.toJson());
        }
        return failure == null ? 0 : 1;
    }

    private static Diagnostics diagnose(Trainer t) {
        return new Diagnostics(t.model.net, t.lastPass(), t.lastLearningRate());
    }
}
