package teagrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import teagrad.Config;
import teagrad.Dataset;
import teagrad.Inference;
import teagrad.Mlp;
import teagrad.ModelFile;
import teagrad.Trainer;

/** {@code train}: the notebook's training run, with progress and a final train/dev/test loss. */
final class TrainCommand {
    private TrainCommand() {}

    static final String HELP = String.join("\n",
        "usage: java -jar target/teagrad.jar train [flags]",
        "",
        "Trains the batch-norm MLP with minibatch SGD and reports the loss on the train,",
        "dev (val) and test splits in eval mode. Defaults are Karpathy's part-3 recipe.",
        "",
        "  --data FILE          word list, one word per line (default data/names.txt, downloaded if missing)",
        "  --steps N            training steps (default 200000)",
        "  --seed S             seed for init, split, minibatches (default 42)",
        "  --batch-size N       examples per step (default 32)",
        "  --embed N            embedding size (default 10)",
        "  --block N            characters of context (default 3)",
        "  --hidden N           hidden units (default 200)",
        "  --lr X               learning rate (default 0.1)",
        "  --lr-decay-step N    step from which the learning rate is lr/10 (default 100000; 0 = never)",
        "  --momentum M         batch norm running-stat momentum (default 0.001)",
        "  --no-batchnorm       plain MLP: W1 gets a bias b1 instead of batch norm",
        "  --init-gain G        W1 ~ N(0,1)·G/√fan_in (default 5/3, Kaiming for tanh)",
        "  --calibrate          set batch norm's running stats from the whole training split before evaluating",
        "  --eval-every N       print the dev loss every N steps (default: 10 progress lines, no dev loss)",
        "  --out FILE           save the trained model (JSON model file)",
        "  --json               make the last line one JSON object with the results",
        "");

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            Args a = Args.parse(argv,
                Set.of("data", "steps", "seed", "batch-size", "embed", "block", "hidden", "lr", "lr-decay-step", "momentum", "init-gain", "eval-every", "out"),
                Set.of("no-batchnorm", "calibrate", "json"));
            Config c = new Config();
            c.steps = a.integer("steps", c.steps, 0);
            c.seed = a.longInteger("seed", c.seed);
            c.batchSize = a.integer("batch-size", c.batchSize, 1);
            c.embedDim = a.integer("embed", c.embedDim, 1);
            c.blockSize = a.integer("block", c.blockSize, 1);
            c.hidden = a.integer("hidden", c.hidden, 1);
            c.lr = (float) a.number("lr", c.lr, Double.MIN_VALUE, 10);
            if (c.lr == 0f) throw new Args.UsageError("--lr " + a.string("lr", "") + " is too small: it rounds to 0 as a float");
            c.lrDecayStep = a.integer("lr-decay-step", c.lrDecayStep, 0);
            c.momentum = (float) a.number("momentum", c.momentum, 0, 1);
            c.batchNorm = !a.has("no-batchnorm");
            c.initGain = (float) a.number("init-gain", c.initGain, Double.MIN_VALUE, 100);
            int evalEvery = a.integer("eval-every", 0, 1);
            try {
                c.validate();
            } catch (IllegalArgumentException e) {
                throw new Args.UsageError(flagNames(e.getMessage()));
            }
            List<String> words = Inputs.words(a.string("data", "data/names.txt"), out);
            return train(c, words, evalEvery, a.has("calibrate"), a.string("out", null), a.has("json"), out, err);
        } catch (Args.UsageError e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /** Config's field names → this command's flag names, for messages. */
    private static String flagNames(String message) {
        return message.replace("batchSize", "--batch-size").replace("embedDim", "--embed").replace("blockSize", "--block")
            .replace("hidden ", "--hidden ").replace("steps ", "--steps ").replace("lrDecayStep", "--lr-decay-step")
            .replace("seed ", "--seed ").replace("lr ", "--lr ").replace("momentum ", "--momentum ");
    }

    private static int train(Config c, List<String> words, int evalEvery, boolean calibrate, String outFile, boolean json,
                             PrintStream out, PrintStream err) {
        Dataset data = new Dataset(words, c.blockSize, c.seed);
        if (data.train.size == 0) throw new Args.UsageError("the word list needs at least 2 words to have a training split");
        Mlp model = new Mlp(c, data.vocab);
        Trainer trainer = new Trainer(model, data);
        out.printf(Locale.ROOT, "%d words, vocab %d, examples train %d / dev %d / test %d; %d parameters%n",
            words.size(), data.vocab.size(), data.train.size, data.val.size, data.test.size, model.parameterCount());

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
            if (step % report == 0 || step == 1 || step == c.steps) {
                long now = System.nanoTime();
                double rate = (step - lastStep) / ((now - lastTime) / 1e9);
                out.printf(Locale.ROOT, "step %7d/%d  loss %.4f  lr %.3g  %,.0f steps/s%n", step, c.steps, loss, c.learningRate(step - 1), rate);
                lastTime = now;
                lastStep = step;
            }
            if (evalEvery > 0 && step % evalEvery == 0) {
                out.printf(Locale.ROOT, "step %7d  dev loss %.4f%n", step, new Inference(model).loss(data.val));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int steps = trainer.stepsDone();
        double rate = steps / Math.max(seconds, 1e-9);

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
            out.printf(Locale.ROOT, "{\"steps\": %d, \"train\": %s, \"val\": %s, \"test\": %s, \"stepsPerSecond\": %.1f, \"seconds\": %.3f, "
                    + "\"seed\": %d, \"parameters\": %d, \"batchNorm\": %b, \"calibrated\": %b, \"diverged\": %b}%n",
                steps, Inputs.json(train), Inputs.json(val), Inputs.json(test), rate, seconds, c.seed, model.parameterCount(),
                c.batchNorm, calibrate, failure != null);
        }
        return failure == null ? 0 : 1;
    }
}
