package teagrad;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import teagrad.data.Words;
import teagrad.model.Config;

/** The makemore word list for tests: data/names.txt, else ../shared/data/names.txt. */
public final class TestData {
    private TestData() {}

    private static List<String> words;

    public static Path namesFile() {
        Path local = Path.of("data", "names.txt");
        if (Files.isRegularFile(local)) return local;
        Path shared = Path.of("..", "shared", "data", "names.txt");
        if (Files.isRegularFile(shared)) return shared;
        throw new IllegalStateException("names.txt not found at " + local.toAbsolutePath() + " or " + shared.toAbsolutePath());
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
}
