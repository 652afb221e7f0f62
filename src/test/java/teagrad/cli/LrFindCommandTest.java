package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teagrad.cli.MainTest.assertUsageError;
import static teagrad.cli.MainTest.json;
import static teagrad.cli.MainTest.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teagrad.TestData;
import teagrad.data.Dataset;
import teagrad.experiments.LrFinder;
import teagrad.model.Config;
import teagrad.model.Presets;
import teagrad.modelfile.Json;

/** {@code lr-find}: the finder's curve and suggestion, as text and as one JSON line. */
class LrFindCommandTest {
    @TempDir static Path dir;

    @Test
    void theJsonCarriesTheWholeCurveAndTheFindersSuggestion() throws IOException {
        Path words = dir.resolve("words.txt");
        Files.write(words, TestData.names().subList(0, 400), StandardCharsets.UTF_8);
        MainTest.Result r = run("lr-find", "--data", words.toString(), "--preset", "kaiming", "--widths", "50", "--json");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("suggested lr: "), r.out());
        Map<String, Object> j = json(r.lastLine());
        assertEquals(LrFinder.STEPS, ((List<?>) j.get("lrs")).size());
        assertEquals(LrFinder.STEPS, ((List<?>) j.get("losses")).size());

        Config c = Presets.apply("kaiming", new Config());
        c.widths = new int[] {50};
        LrFinder f = LrFinder.run(c, new Dataset(Files.readAllLines(words), c.blockSize, c.seed));
        assertEquals((double) f.suggestion(), ((Json.Num) j.get("suggestion")).doubleValue(), 1e-6, "the core's finder on the same net and seed");
    }

    @Test
    void theFindersOwnSettingsAreRefused() {
        assertUsageError(run("lr-find", "--lr", "0.1"), "--lr is not for lr-find");
        assertUsageError(run("lr-find", "--steps", "10"), "--steps is not for lr-find");
        assertUsageError(run("lr-find", "--preset", "nope"), "unknown preset");
    }
}
