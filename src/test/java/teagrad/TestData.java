package teagrad;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import teagrad.cli.DataFile;
import teagrad.data.Dataset;
import teagrad.data.Words;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.train.Trainer;

/**
 * The makemore word list for tests, found as the app finds it: data/names.txt, else downloaded
 * there with serve's SHA-256 check ({@link DataFile#ensure}), else a failure saying where to get
 * it and where to save it.
 */
public final class TestData {
    private TestData() {}

    private static List<String> words;
    private static String missing;   // why names.txt could not be had: one failed download per JVM, not one per test

    public static synchronized Path namesFile() {
        if (missing == null) {
            try {
                return DataFile.ensure(DataFile.DEFAULT.toAbsolutePath(), System.out);
            } catch (DataFile.Missing e) {
                missing = "the tests need names.txt: " + e.getMessage();
            }
        }
        throw new IllegalStateException(missing);   // thrown afresh, so each test's failure points at itself
    }

    /** Every word of names.txt, parsed once per JVM. */
    public static synchronized List<String> names() {
        if (words == null) {
            try {
                words = List.copyOf(Words.parse(Files.readString(namesFile(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return words;
    }

    /** The first {@code n} names: a small real word list. */
    public static List<String> someNames(int n) { return names().subList(0, n); }

    /** A small, quick configuration of the chapter's network (48 hidden units, 50 steps). */
    public static Config small() {
        Config c = new Config();
        c.widths = new int[] {48};
        c.steps = 50;
        c.seed = 1234;
        return c;
    }

    /** The chapter's network (the recipe's defaults) on names.txt, its split drawn with {@code seed}. */
    public record Chapter(Dataset data, Model model) {}

    /** The chapter's network after {@code steps} steps of the recipe with {@code seed}. */
    public static Chapter chapter(long seed, int steps) {
        Config c = new Config();
        c.seed = seed;
        Dataset data = new Dataset(names(), c.blockSize, c.seed);
        Model model = Model.init(c, data.vocab);
        Trainer t = new Trainer(model, data);
        for (int i = 0; i < steps; i++) t.trainStep();
        return new Chapter(data, model);
    }
}
