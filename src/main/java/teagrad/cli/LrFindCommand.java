package teagrad.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import teagrad.data.Dataset;
import teagrad.experiments.LrFinder;
import teagrad.model.Config;
import teagrad.model.Presets;
import teagrad.model.Setting;
import teagrad.model.Settings;

/** {@code lr-find}: the previous chapter's learning-rate finder on a fresh model of the chosen network. */
final class LrFindCommand {
    private LrFindCommand() {}

    /** The settings the finder sets itself: it takes its 1,000 steps at its own learning rates. */
    private static final Set<Setting> OWN = Set.of(Settings.LR, Settings.LR_DECAY_STEP, Settings.STEPS, Settings.EVAL_EVERY);

    static final String HELP = help();

    private static String help() {
        StringBuilder b = new StringBuilder(String.join("\n",
            "usage: java -jar target/teagrad.jar lr-find [--data FILE] [--preset NAME] [settings flags] [--json]",
            "",
            String.format(Locale.ROOT, "Trains a fresh model %,d steps, one step per learning rate, the rates rising exponentially", LrFinder.STEPS),
            "from 0.001 to 1 (the lecture's lre = linspace(-3, 0, 1000), lrs = 10**lre), and prints the batch loss",
            "every 100 steps, the minimum of the smoothed loss and the suggested learning rate: half a decade",
            "(÷√10) below that minimum. A loss that is no longer finite ends the curve there.",
            "",
            "  --preset NAME        the network and init of one of the lecture's experiments: " + Presets.names(),
            "  --data FILE          word list, one word per line (default data/names.txt, downloaded if missing)",
            "  --json               make the last line one JSON object with the whole curve and the suggestion",
            ""));
        TrainCommand.settingsHelp(b, OWN);
        return b.toString();
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            Args a = TrainCommand.args(argv, Set.of("data", "preset", "hidden"), Set.of("json"));
            for (Setting s : OWN) {
                if (a.has(s.flag())) throw new Args.UsageError("--" + s.flag() + " is not for lr-find: it takes " + LrFinder.STEPS
                    + " steps at learning rates from 0.001 to 1");
            }
            Config c = TrainCommand.config(a);
            List<String> words = Inputs.words(a.string("data", "data/names.txt"), out);
            Dataset data = new Dataset(words, c.blockSize, c.seed);
            if (data.train.size == 0) throw new Args.UsageError("the word list needs at least 2 words to have a training split");
            return report(c, data, a.has("json"), out, err);
        } catch (Args.UsageError e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static int report(Config c, Dataset data, boolean json, PrintStream out, PrintStream err) {
        out.printf(Locale.ROOT, "lr-find: a fresh %s network (%s), seed %d, %,d steps of batch %d at lr 0.001 → 1%n",
            Presets.nameOf(c), Settings.WIDTHS.text(c), c.seed, LrFinder.STEPS, c.batchSize);
        LrFinder f = LrFinder.run(c, data);
        float[] lrs = f.lrs(), losses = f.losses(), smoothed = f.smoothed();
        out.println("   step        lr      loss  smoothed");
        for (int i = 0; i < f.count(); i++) {
            if (i == 0 || (i + 1) % 100 == 0) out.printf(Locale.ROOT, "%7d  %8.4f  %8.4f  %8.4f%n", i + 1, lrs[i], losses[i], smoothed[i]);
        }
        if (f.diverged() != null) out.println("stopped: " + f.diverged());
        int m = f.minimum();
        if (m < 0) {
            err.println("error: the first step diverged: no curve to suggest a learning rate from");
            return 1;
        }
        out.printf(Locale.ROOT, "minimum of the smoothed loss: %.4f at lr %.4f (step %d)%n", smoothed[m], lrs[m], m + 1);
        out.printf(Locale.ROOT, "suggested lr: %.4f (half a decade below the minimum: its lr ÷ √10)%n", f.suggestion());
        if (json) {
            out.printf(Locale.ROOT, "{\"steps\": %d, \"diverged\": %b, \"minimum\": {\"step\": %d, \"lr\": %s, \"smoothed\": %s}, \"suggestion\": %s, "
                    + "\"lrs\": %s, \"losses\": %s, \"smoothed\": %s}%n",
                f.count(), f.diverged() != null, m + 1, Inputs.json(lrs[m]), Inputs.json(smoothed[m]), Inputs.json(f.suggestion()),
                numbers(lrs, f.count()), numbers(losses, f.count()), numbers(smoothed, f.count()));
        }
        return 0;
    }

    private static String numbers(float[] v, int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ", ").append(Float.isFinite(v[i]) ? Float.toString(v[i]) : "null");
        return b.append(']').toString();
    }
}
