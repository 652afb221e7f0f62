package teagrad.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import teagrad.check.BackwardCheck;
import teagrad.check.Cmp;
import teagrad.data.Dataset;
import teagrad.model.Config;
import teagrad.model.Model;

/** {@code check}: the lecture's backward check (makemore part 4), a row per tensor. */
final class CheckCommand {
    private CheckCommand() {}

    static final String HELP = String.join("\n",
        "usage: java -jar target/teagrad.jar check [--data FILE] [--model FILE] [--seed S] [--bessel-mismatch] [--json]",
        "",
        "The backward check of makemore part 4 (\"backprop ninja\"): one batch of the training split",
        "through the chapter's network, its gradients written out by hand through every intermediate",
        "the lecture names (logprobs, probs, counts, …, bnvar_inv, bnvar, bndiff, hprebn, emb and every",
        "parameter) and compared with teagrad's autograd, as the lecture's cmp() does: bitwise equal",
        "(exact), torch.allclose (approx: |manual - autograd| <= 1e-8 + 1e-5·|autograd|) and the largest",
        "difference. Autograd is the training graph: its fused cross-entropy (row logits) and fused batch",
        "norm (rows hprebn, bngain, bnbias) agree approximately, the other rows exactly; the intermediates",
        "inside those two ops compare with autograd on the lecture's forward written op by op (column",
        "'autograd': crossEntropy, batchNorm, graph or elementary).",
        "",
        "  --data FILE        word list (default data/names.txt)",
        "  --model FILE       check this model (splits rebuilt with its seed); default: the chapter's",
        "                     network at init, W2, b2, bngain and bnbias randomised as in the lecture",
        "  --seed S           seed of the network, the split and the batch (default 42; with --model,",
        "                     the batch only, default the model's seed)",
        "  --bessel-mismatch  the wrong normaliser: the forward divides bnvar by n (as BatchNorm1d and",
        "                     PyTorch do when training), the manual backward by n-1 (the notebook's",
        "                     Bessel correction). The rows from bndiff2 back to C turn approx false,",
        "                     except bnmeani (the wrong term sums to 0 over the batch)",
        "  --json             print one JSON object: {\"rows\": [{\"name\", \"exact\", \"approx\", \"maxdiff\", \"autograd\"}, …], …}",
        "",
        "Exit code 1 if a row is not approximately equal without --bessel-mismatch.",
        "");

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            Args a = Args.parse(argv, Set.of("data", "model", "seed"), Set.of("bessel-mismatch", "json"));
            boolean mismatch = a.has("bessel-mismatch");
            Long seed = a.has("seed") ? a.longInteger("seed", 0) : null;
            if (seed != null && (seed < 0 || seed > Config.MAX_SEED)) throw new Args.UsageError("--seed must be between 0 and 2^53, got " + seed);
            Model model;
            Dataset data;
            String what;
            if (a.has("model")) {
                model = Inputs.model(a.string("model", null)).model;
                data = dataset(a, model, out);
                what = "the model in " + a.string("model", null);
            } else {
                Config c = new Config();
                if (seed != null) c.seed = seed;
                List<String> words = Inputs.words(a.string("data", "data/names.txt"), out);
                data = new Dataset(words, c.blockSize, c.seed);
                model = BackwardCheck.lectureInit(c, data.vocab);
                what = "the chapter's network at init (seed " + c.seed + ", as the lecture initialises it)";
            }
            BackwardCheck check;
            try {
                check = BackwardCheck.run(model, data.train, seed != null ? seed : model.config.seed, mismatch);
            } catch (IllegalArgumentException e) {
                throw new Args.UsageError(e.getMessage());
            }
            if (a.has("json")) out.println(json(check));
            else print(check, what, model.config.batchSize, out);
            return check.allApprox() || mismatch ? 0 : 1;
        } catch (Args.UsageError e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static Dataset dataset(Args a, Model m, PrintStream out) {
        List<String> words = Inputs.words(a.string("data", "data/names.txt"), out);
        try {
            return new Dataset(words, m.vocab, m.config.blockSize, m.config.seed);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageError("the word list does not fit the model: " + e.getMessage());
        }
    }

    private static void print(BackwardCheck check, String what, int batch, PrintStream out) {
        out.printf(Locale.ROOT, "%s, one batch of %d from the training split: loss %.4f%n", what, batch, check.loss);
        if (check.besselMismatch) out.println("--bessel-mismatch: the forward divides bnvar by n, the manual backward by n-1");
        out.printf(Locale.ROOT, "%-15s %-6s %-7s %-11s %s%n", "tensor", "exact", "approx", "maxdiff", "autograd");
        List<String> differ = new ArrayList<>();
        for (Cmp c : check.rows) {
            out.printf(Locale.ROOT, "%-15s %-6s %-7s %-11.4e %s%n", c.name, c.exact, c.approx, c.maxdiff, c.autograd);
            if (!c.approx) differ.add(c.name);
        }
        if (differ.isEmpty()) out.println(check.rows.size() + " tensors: every gradient by hand agrees with autograd");
        else out.println(differ.size() + " of " + check.rows.size() + " tensors differ: " + String.join(", ", differ));
    }

    private static String json(BackwardCheck check) {
        StringBuilder b = new StringBuilder("{\"rows\": [");
        for (int i = 0; i < check.rows.size(); i++) {
            Cmp c = check.rows.get(i);
            b.append(i == 0 ? "" : ", ").append("{\"name\": \"").append(c.name).append("\", \"exact\": ").append(c.exact)
             .append(", \"approx\": ").append(c.approx).append(", \"maxdiff\": ").append(number(c.maxdiff))
             .append(", \"autograd\": \"").append(c.autograd).append("\"}");
        }
        return b.append("], \"loss\": ").append(number(check.loss)).append(", \"besselMismatch\": ").append(check.besselMismatch).append("}").toString();
    }

    /** Full precision (maxdiff may be 1e-10), JSON's null for NaN. */
    private static String number(double v) { return Double.isFinite(v) ? Double.toString(v) : "null"; }
}
