package teagrad.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import teagrad.model.Model;
import teagrad.inference.Sampler;
import teagrad.data.Dataset;

/** {@code sample}: names from a saved model, each marked new or seen in training. */
final class SampleCommand {
    private SampleCommand() {}

    static final String HELP = String.join("\n",
        "usage: java -jar target/teagrad.jar sample --model FILE [--count 20] [--seed S] [--data FILE]",
        "",
        "Draws names from the model (eval mode, softmax, one character at a time until '.').",
        "With the word list (default data/names.txt, if present) each name is marked as new",
        "or as one of the model's training words; a default list that does not fit the model's",
        "vocabulary is skipped with a note.",
        "",
        "  --model FILE    a model file written by 'train --out' or the page's Export",
        "  --count N       how many names (default 20)",
        "  --seed S        sampling seed (default 42): the same seed gives the same names",
        "  --data FILE     the word list the model was trained on",
        "");

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            Args a = Args.parse(argv, Set.of("model", "count", "seed", "data"), Set.of());
            if (!a.has("model")) throw new Args.UsageError("--model FILE is required");
            int count = a.integer("count", 20, 1);
            if (count > 100_000) throw new Args.UsageError("--count must be at most 100000, got " + count);
            long seed = a.longInteger("seed", 42);
            Model m = Inputs.model(a.string("model", null)).model;
            Dataset data = null;
            String dataFile = a.string("data", null);
            if (dataFile != null) {
                data = trainingWords(dataFile, m, out);
            } else if (Files.exists(DataFile.DEFAULT)) {
                // Not asked for: a default list the model was not trained on only costs the marks.
                try {
                    data = trainingWords(DataFile.DEFAULT.toString(), m, out);
                } catch (Args.UsageError e) {
                    err.println("note: " + e.getMessage() + "; the names are not marked new or seen");
                }
            }
            Sampler sampler = new Sampler(m, seed);
            int fresh = 0;
            for (int i = 0; i < count; i++) {
                String name = sampler.next();
                String mark = data == null ? "" : data.isTrainingWord(name) ? "  (in training set)" : "  (new)";
                if (data != null && !data.isTrainingWord(name)) fresh++;
                out.println(name + mark);
            }
            if (data != null) out.printf("%d of %d are new%n", fresh, count);
            return 0;
        } catch (Args.UsageError e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /** The word list split as the model's training run split it, to tell its training words. */
    private static Dataset trainingWords(String file, Model m, PrintStream out) {
        List<String> words = Inputs.words(file, out);
        try {
            return new Dataset(words, m.vocab, m.config.blockSize, m.config.seed);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageError(file + " does not fit the model: " + e.getMessage());
        }
    }
}
