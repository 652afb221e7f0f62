package teagrad.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import teagrad.inference.Inference;
import teagrad.model.Model;
import teagrad.modelfile.ModelFile;
import teagrad.data.Dataset;

/** {@code eval}: the eval-mode loss of a saved model on the splits of a word list. */
final class EvalCommand {
    private EvalCommand() {}

    static final String HELP = String.join("\n",
        "usage: java -jar target/teagrad.jar eval --model FILE [--data FILE] [--split train|val|test|all] [--json]",
        "",
        "Loss of a saved model in eval mode (batch norm uses its running statistics).",
        "The splits are rebuilt with the model's seed, so they are the ones it was trained on.",
        "",
        "  --model FILE    a model file written by 'train --out' or the page's Export",
        "  --data FILE     word list (default data/names.txt)",
        "  --split NAME    train, val, test, or all (every word of the file); default: train, val and test",
        "  --json          make the last line one JSON object with the losses",
        "");

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            Args a = Args.parse(argv, Set.of("model", "data", "split"), Set.of("json"));
            if (!a.has("model")) throw new Args.UsageError("--model FILE is required");
            String split = a.string("split", null);
            if (split != null && !Set.of("train", "val", "test", "all").contains(split)) {
                throw new Args.UsageError("--split must be train, val, test or all, got '" + split + "'");
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
            Inference eval = new Inference(m);
            StringBuilder json = new StringBuilder("{\"step\": " + loaded.step);
            for (String name : split == null ? List.of("train", "val", "test") : List.of(split)) {
                Dataset.Split s = name.equals("all") ? all : data.split(name);
                double loss = eval.loss(s);
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
