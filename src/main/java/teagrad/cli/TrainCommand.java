package teagrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import teagrad.model.Config;
import teagrad.inference.Inference;
import teagrad.model.Model;
import teagrad.modelfile.ModelFile;
import teagrad.model.Presets;
import teagrad.train.Trainer;
import teagrad.data.Dataset;
import teagrad.diagnostics.Diagnostics;

/** {@code train}: the notebook's training run, with progress and a final train/dev/test loss. */
final class TrainCommand {
    private TrainCommand() {}

    static final String HELP = String.join("\n",
        "usage: java -jar target/teagrad.jar train [flags]",
        "",
        "Trains the batch-norm MLP with minibatch SGD and reports the loss on the train,",
        "dev (val) and test splits in eval mode. Defaults are Karpathy's part-3 recipe.",
        "",
        "  --preset NAME        one of the lecture's experiments (network and init); flags below override it:",
        "                       " + Presets.names(),
        "  --data FILE          word list, one word per line (default data/names.txt, downloaded if missing)",
        "  --steps N            training steps (default 200000)",
        "  --seed S             seed for init, split, minibatches (default 42)",
        "  --batch-size N       examples per step (default 32)",
        "  --embed N            embedding size (default 10)",
        "  --block N            characters of context (default 3)",
        "  --hidden N           one hidden layer of N units (default 200)",
        "  --widths A,B,…       hidden layers of these widths, e.g. 100,100,100,100,100 (the lecture's deep net)",
        "  --lr X               learning rate (default 0.1)",
        "  --lr-decay-step N    step from which the learning rate is lr/10 (default 100000; 0 = never)",
        "  --momentum M         batch norm running-stat momentum (default 0.001)",
        "  --no-batchnorm       no batch norm: the hidden linear layers get a bias instead",
        "  --init-gain G        hidden weights ~ N(0,1)·G/√fan_in (default 5/3, Kaiming for tanh)",
        "  --calibrate          set batch norm's running stats from the whole training split before evaluating",
        "  --eval-every N       print the dev loss every N steps (default: 10 progress lines, no dev loss)",
        "  --out FILE           save the trained model (JSON model file)",
        "  --diagnostics        print the lecture's per-layer tables (tanh activations and gradients,",
        "                       weights' grad:data and update:data) at step 0, every --eval-every and at the end",
        "  --json               make the last line one JSON object with the results",
        "");

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            Args a = Args.parse(argv,
                Set.of("data", "preset", "steps", "seed", "batch-size", "embed", "block", "hidden", "widths", "lr", "lr-decay-step", "momentum", "init-gain", "eval-every", "out"),
                Set.of("no-batchnorm", "calibrate", "diagnostics", "json"));
            Config c = new Config();
            if (a.has("preset")) {
                try {
                    c = Presets.apply(a.string("preset", null), c);
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageError("--preset: " + e.getMessage());
                }
            }
            c.steps = a.integer("steps", c.steps, 0);
            c.seed = a.longInteger("seed", c.seed);
            c.batchSize = a.integer("batch-size", c.batchSize, 1);
            c.embedDim = a.integer("embed", c.embedDim, 1);
            c.blockSize = a.integer("block", c.blockSize, 1);
            if (a.has("hidden") && a.has("widths")) throw new Args.UsageError("use --hidden N or --widths A,B,…, not both");
            if (a.has("hidden")) c.widths = new int[] {a.integer("hidden", 0, 1)};
            if (a.has("widths")) {
                try {
                    c.widths = Config.parseWidths(a.string("widths", null));
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageError("--" + e.getMessage());
                }
            }
            c.lr = (float) a.number("lr", c.lr, Double.MIN_VALUE, 10);
            if (c.lr == 0f) throw new Args.UsageError("--lr " + a.string("lr", "") + " is too small: it rounds to 0 as a float");
            c.lrDecayStep = a.integer("lr-decay-step", c.lrDecayStep, 0);
            c.momentum = (float) a.number("momentum", c.momentum, 0, 1);
            if (a.has("no-batchnorm")) { c.batchNorm = false; c.outBatchNorm = false; }
            c.initGain = (float) a.number("init-gain", c.initGain, Double.MIN_VALUE, 100);
            int evalEvery = a.integer("eval-every", 0, 1);
            try {
                c.validate();
            } catch (IllegalArgumentException e) {
                throw new Args.UsageError(flagNames(e.getMessage()));
            }
            List<String> words = Inputs.words(a.string("data", "data/names.txt"), out);
            return train(c, words, evalEvery, a.has("calibrate"), a.has("diagnostics"), a.string("out", null), a.has("json"), out, err);
        } catch (Args.UsageError e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /** Config's field names → this command's flag names, for messages. */
    private static String flagNames(String message) {
        return message.replace("batchSize", "--batch-size").replace("embedDim", "--embed").replace("blockSize", "--block")
            .replace("hidden width", "--hidden/--widths width").replace("hidden layers", "--widths layers").replace("steps ", "--steps ").replace("lrDecayStep", "--lr-decay-step")
            .replace("seed ", "--seed ").replace("lr ", "--lr ").replace("momentum ", "--momentum ");
    }

    private static int train(Config c, List<String> words, int evalEvery, boolean calibrate, boolean diagnostics, String outFile,
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
            if (evalEvery > 0 && step % evalEvery == 0) {
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
                Inputs.writeAtomically(Path.of(outFile), ModelFile.write(model, steps));
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
                c.widthsText(), model.parameterCount(), c.batchNorm, calibrate, failure != null,
                last == null ? "" : ", \"diagnostics\": " + last.toJson());
        }
        return failure == null ? 0 : 1;
    }

    private static Diagnostics diagnose(Trainer t) {
        return new Diagnostics(t.model.net, t.lastPass(), t.lastLearningRate());
    }
}
