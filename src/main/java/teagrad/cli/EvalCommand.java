package teagrad.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import teagrad.inference.Inference;
import teagrad.inference.RunningStats;
import teagrad.model.Model;
import teagrad.modelfile.ModelFile;
import teagrad.data.Dataset;

/** {@code eval}: the eval-mode loss of a saved model on the splits of a word list. */
final class EvalCommand {
    private EvalCommand() {}

    static final String HELP = String.join("\n",
        "usage: java -jar target/teagrad.jar eval --model FILE [--data FILE] [--split train|val|test|all]",
        "                                         [--bn running|calibrated|batch] [--biased-var] [--json]",
        "",
        "Loss of a saved model. The splits are rebuilt with the model's seed, so they are the ones it was",
        "trained on.",
        "",
        "  --model FILE    a model file written by 'train --out' or the page's Export",
        "  --data FILE     word list (default data/names.txt)",
        "  --split NAME    train, val, test, or all (every word of the file); default: train, val and test",
        "  --bn MODE       what batch norm normalises with (default running):",
        "                    running     eval mode: the running mean and variance stored in the model",
        "                    calibrated  eval mode: mean and variance of each batch norm's input over the",
        "                                whole training split (the notebook's calibration cell); the file",
        "                                is not changed",
        "                    batch       training mode: the split shuffled (seeded by the model's seed) and",
        "                                cut into batches of the training batch size, each normalised with",
        "                                its own mean and biased variance, as a training step does",
        "  --biased-var    with --bn running: the running variance as it would be had training tracked",
        "                  the biased batch variance (the one it normalises with) instead of PyTorch's",
        "                  unbiased m/(m-1)·σ²",
        "  --json          make the last line one JSON object with the losses",
        "");

    private static String describe(String bn, boolean biased, Model m) {
        switch (bn) {
            case "calibrated": return "eval mode, statistics calibrated over the training split";
            case "batch": return "training mode, each batch of " + m.config.batchSize + " normalised with its own statistics";
            default: return "eval mode, the running statistics" + (biased ? " with the variance tracked biased" : "");
        }
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            Args a = Args.parse(argv, Set.of("model", "data", "split", "bn"), Set.of("biased-var", "json"));
            if (!a.has("model")) throw new Args.UsageError("--model FILE is required");
            String split = a.string("split", null);
            if (split != null && !Set.of("train", "val", "test", "all").contains(split)) {
                throw new Args.UsageError("--split must be train, val, test or all, got '" + split + "'");
            }
            String bn = a.string("bn", "running");
            if (!Set.of("running", "calibrated", "batch").contains(bn)) {
                throw new Args.UsageError("--bn must be running, calibrated or batch, got '" + bn + "'");
            }
            boolean biased = a.has("biased-var");
            if (biased && !bn.equals("running")) {
                throw new Args.UsageError("--biased-var goes with --bn running (calibrated: over the whole split the two differ by 1/N; batch: normalised with the biased variance already)");
            }
            ModelFile.Loaded loaded = Inputs.model(a.string("model", null));
            Model m = loaded.model;
            List<String> words = Inputs.words(a.string("data", "data/names.txt"), out);
            Dataset data;
            Dataset.Split all;
            try {
                data = new Dataset(words, m.vocab, m.config.blockSize, m.config.seed);
                all = data.windows(words);
            } catch (IllegalArgumentException e) {
                throw new Args.UsageError("the word list does not fit the model: " + e.getMessage());
            }
            Inference eval = bn.equals("batch") ? null
                : new Inference(m, bn.equals("calibrated") ? Inference.calibrated(m, data.train) : biased ? RunningStats.biased(m, loaded.step) : RunningStats.of(m));
            if (!m.batchNorms().isEmpty()) out.println("batch norm: " + describe(bn, biased, m));
            StringBuilder json = new StringBuilder("{\"step\": " + loaded.step + ", \"bn\": \"" + bn + "\", \"biasedVar\": " + biased);
            for (String name : split == null ? List.of("train", "val", "test") : List.of(split)) {
                Dataset.Split s = name.equals("all") ? all : data.split(name);
                double loss;
                try {
                    loss = eval != null ? eval.loss(s) : Inference.batchStatisticsLoss(m, s, m.config.batchSize, m.config.seed);
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageError(name + ": " + e.getMessage());
                }
                out.printf(Locale.ROOT, "%-5s loss %.4f  (%d examples)%n", name, loss, s.size);
                json.append(", \"").append(name).append("\": ").append(Inputs.json(loss));
            }
            if (a.has("json")) out.println(json.append("}"));
            return 0;
        } catch (Args.UsageError e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }
}
