package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teagrad.cli.MainTest.assertUsageError;
import static teagrad.cli.MainTest.json;
import static teagrad.cli.MainTest.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teagrad.TestData;
import teagrad.modelfile.Json;

/** {@code check}: the lecture's backward-check table on names.txt, as text and as JSON. */
class CheckCommandTest {
    static final String NAMES = TestData.namesFile().toString();

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rows(MainTest.Result r) {
        return (List<Map<String, Object>>) json(r.lastLine()).get("rows");
    }

    static double maxdiff(Map<String, Object> row) { return ((Json.Num) row.get("maxdiff")).doubleValue(); }

    @Test
    void jsonHasARowPerTensorAllApproximatelyEqual() {
        MainTest.Result r = run("check", "--json", "--data", NAMES);
        assertEquals(0, r.code(), r.toString());
        assertEquals(1, r.outLines().size(), "one JSON line: " + r);
        List<Map<String, Object>> rows = rows(r);
        assertEquals(25, rows.size());
        assertTrue(rows.size() >= 20);
        for (Map<String, Object> row : rows) {
            assertTrue(row.keySet().containsAll(Set.of("name", "exact", "approx", "maxdiff", "autograd")), row.toString());
            assertEquals(Boolean.TRUE, row.get("approx"), row.toString());
            assertTrue(maxdiff(row) < 1e-5, row.toString());
        }
        assertEquals("logprobs", rows.get(0).get("name"));
        assertEquals("C", rows.get(24).get("name"));
    }

    @Test
    void theBesselMismatchTurnsTheBatchNormRowsFalse() {
        MainTest.Result r = run("check", "--json", "--bessel-mismatch", "--data", NAMES);
        assertEquals(0, r.code(), "the demonstration ran: " + r);
        assertEquals(Boolean.TRUE, json(r.lastLine()).get("besselMismatch"));
        Set<String> differ = Set.of("bndiff2", "bndiff", "hprebn", "embcat", "W1", "emb", "C");
        for (Map<String, Object> row : rows(r)) {
            assertEquals(!differ.contains(row.get("name")), row.get("approx"), row.toString());
        }
    }

    @Test
    void theTextTablePrintsEveryRowAndAVerdict() {
        MainTest.Result r = run("check", "--data", NAMES, "--seed", "7");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.outLines();
        assertTrue(lines.get(0).startsWith("the chapter's network at init (seed 7"), lines.get(0));
        assertTrue(lines.get(1).matches("tensor +exact +approx +maxdiff +autograd"), lines.get(1));
        assertTrue(lines.get(2).matches("logprobs +true +true +0\\.0000e\\+00 +elementary"), lines.get(2));
        assertEquals("25 tensors: every gradient by hand agrees with autograd", lines.get(lines.size() - 1));
        MainTest.Result wrong = run("check", "--data", NAMES, "--bessel-mismatch");
        assertEquals("7 of 25 tensors differ: bndiff2, bndiff, hprebn, embcat, W1, emb, C", wrong.lastLine());
    }

    @Test
    void aSavedModelIsCheckedOnItsOwnSplits(@TempDir Path dir) {
        Path model = dir.resolve("m.json");
        MainTest.Result t = run("train", "--data", NAMES, "--steps", "200", "--hidden", "40", "--seed", "5", "--out", model.toString());
        assertEquals(0, t.code(), t.toString());
        MainTest.Result r = run("check", "--model", model.toString(), "--data", NAMES, "--json");
        assertEquals(0, r.code(), r.toString());
        for (Map<String, Object> row : rows(r)) assertEquals(Boolean.TRUE, row.get("approx"), row.toString());
    }

    @Test
    void badInputIsOneLine(@TempDir Path dir) {
        assertUsageError(run("check", "--seed", "-1", "--data", NAMES), "--seed");
        assertUsageError(run("check", "--bogus"), "--bogus");
        assertUsageError(run("check", "--model", dir.resolve("none.json").toString(), "--data", NAMES), "does not exist");
        Path deep = dir.resolve("deep.json");
        assertEquals(0, run("train", "--data", NAMES, "--preset", "deep-batchnorm", "--widths", "8,8", "--steps", "1", "--out", deep.toString()).code());
        assertUsageError(run("check", "--model", deep.toString(), "--data", NAMES), "the backward check follows the lecture's network");
    }

    @Test
    void helpDocumentsTheSwitchAndMainListsTheCommand() {
        MainTest.Result h = run("help", "check");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("--bessel-mismatch") && h.out().contains("n-1"), h.out());
        assertTrue(run("help").out().contains("  check "));
        assertFalse(run("check", "--help").out().isEmpty());
    }
}
