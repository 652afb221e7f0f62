package teagrad.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import teagrad.bench.Baseline;
import teagrad.model.Config;
import teagrad.inference.Inference;
import teagrad.model.Model;
import teagrad.model.Presets;
import teagrad.bench.StepProfile;
import teagrad.train.Trainer;
import teagrad.data.Dataset;

/**
 * {@code bench}: training steps/s and ms per dev-split evaluation for the default config, and
 * training steps/s for the lecture's deep network ({@code deep-batchnorm}: 5 × 100 with batch norm) on
 * the JVM, next to the naive-kernel {@link Baseline} timed in alternating rounds of the same
 * run, so that the ratio survives the ±30% drift of a shared machine.
 */
final class BenchCommand {
    private BenchCommand() {}

    static final String HELP = String.join("\n",
        "usage: java -jar target/teagrad.jar bench [--data FILE] [--rounds 7] [--json]",
        "",
        "Times the default config (Karpathy's recipe) on the JVM: training steps/s, ms per full",
        "dev-split evaluation, the deep network's training steps/s (preset deep-batchnorm, 5 x 100),",
        "and the naive i-j-k baseline step in alternating rounds of ~1 s.",
        "Reports medians and the ratio to the baseline, then where a step's time goes, op by op.",
        "",
        "  --data FILE     word list (default data/names.txt)",
        "  --rounds N      measured rounds of each (default 7)",
        "  --json          make the last line one JSON object with the figures",
        "");

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            Args a = Args.parse(argv, Set.of("data", "rounds"), Set.of("json"));
            int rounds = a.integer("rounds", 7, 1);
            List<String> words = Inputs.words(a.string("data", "data/names.txt"), out);
            Config c = new Config();
            Dataset data = new Dataset(words, c.blockSize, c.seed);
            Model model = Model.init(c, data.vocab);
            Trainer trainer = new Trainer(model, data);
            Config dc = Presets.apply("deep-batchnorm", new Config());   // the lecture's deep network
            Model deepModel = Model.init(dc, data.vocab);
            Trainer deep = new Trainer(deepModel, data);
            Baseline baseline = new Baseline(c.batchSize, c.blockSize * c.embedDim, c.widths[0], data.vocab.size());

            // Warm-up: let the JIT compile both before anything counts.
            timeTraining(trainer, 1500);
            timeTraining(deep, 1500);
            timeBaseline(baseline, 1500);
            double[] train = new double[rounds], naive = new double[rounds], dev = new double[rounds], deepTrain = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                train[r] = timeTraining(trainer, 1000);
                deepTrain[r] = timeTraining(deep, 1000);
                naive[r] = timeBaseline(baseline, 1000);
                long t0 = System.nanoTime();
                new Inference(model).loss(data.val);
                dev[r] = (System.nanoTime() - t0) / 1e6;
            }
            double steps = median(train), base = median(naive), devMs = median(dev), deepSteps = median(deepTrain);
            out.printf(Locale.ROOT, "JVM (%s %s), default config, %d rounds, medians:%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), rounds);
            out.printf(Locale.ROOT, "  training            %,8.0f steps/s   %.3f ms/step%n", steps, 1000 / steps);
            out.printf(Locale.ROOT, "  deep-batchnorm      %,8.0f steps/s   %.3f ms/step   %.2f x baseline   (5 x 100 + batch norm, %,d parameters)%n",
                deepSteps, 1000 / deepSteps, deepSteps / base, deepModel.parameterCount());
            out.printf(Locale.ROOT, "  naive i-j-k step    %,8.0f steps/s   (baseline, same run)%n", base);
            out.printf(Locale.ROOT, "  ratio               %8.2f x baseline%n", steps / base);
            out.printf(Locale.ROOT, "  dev-split eval      %8.1f ms  (%,d examples)%n", devMs, data.val.size);
            out.println();
            out.print(StepProfile.table(c, data, 2000, () -> System.nanoTime() / 1e6));
            if (a.has("json")) {
                out.printf(Locale.ROOT, "{\"runtime\": \"jvm\", \"stepsPerSecond\": %.1f, \"baselineStepsPerSecond\": %.1f, \"ratio\": %.3f, \"devEvalMs\": %.2f, \"deepStepsPerSecond\": %.1f, \"deepRatio\": %.3f}%n",
                    steps, base, steps / base, devMs, deepSteps, deepSteps / base);
            }
            return 0;
        } catch (Args.UsageError e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static double timeTraining(Trainer t, long ms) {
        long start = System.nanoTime(), end = start + ms * 1_000_000L;
        int steps = 0;
        do {
            for (int i = 0; i < 32; i++) t.trainStep();
            steps += 32;
        } while (System.nanoTime() < end);
        return steps / ((System.nanoTime() - start) / 1e9);
    }

    static float sink;   // keeps the baseline's results alive

    private static double timeBaseline(Baseline b, long ms) {
        long start = System.nanoTime(), end = start + ms * 1_000_000L;
        int steps = 0;
        do {
            sink += b.step();
            steps++;
        } while (System.nanoTime() < end);
        return steps / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
