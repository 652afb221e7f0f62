package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teagrad.cli.MainTest.assertUsageError;
import static teagrad.cli.MainTest.json;
import static teagrad.cli.MainTest.number;
import static teagrad.cli.MainTest.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teagrad.TestData;

/** {@code eval --bn running|calibrated|batch [--biased-var]}: the split losses with each kind of batch-norm statistics. */
class EvalCommandTest {
    @TempDir static Path dir;
    static final String NAMES = TestData.namesFile().toString();
    static Path model;

    @BeforeAll
    static void trainAModel() {
        model = dir.resolve("m.json");
        MainTest.Result t = run("train", "--data", NAMES, "--steps", "1500", "--hidden", "64", "--seed", "4", "--out", model.toString());
        assertEquals(0, t.code(), t.toString());
    }

    static Map<String, Object> eval(String... flags) {
        List<String> args = new java.util.ArrayList<>(List.of("eval", "--model", model.toString(), "--data", NAMES, "--json"));
        args.addAll(List.of(flags));
        MainTest.Result r = run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.toString());
        return json(r.lastLine());
    }

    @Test
    void runningIsTheDefaultAndTheThreeKindsGiveTheirOwnLosses() {
        Map<String, Object> plain = eval(), running = eval("--bn", "running"), calibrated = eval("--bn", "calibrated"), batch = eval("--bn", "batch");
        assertEquals("running", plain.get("bn"));
        assertEquals("calibrated", calibrated.get("bn"));
        assertEquals(Boolean.FALSE, running.get("biasedVar"));
        for (String split : List.of("train", "val", "test")) {
            assertEquals(number(plain, split), number(running, split), 0.0, split);
            assertNotEquals(number(running, split), number(calibrated, split), split);
            assertEquals(number(running, split), number(calibrated, split), 0.01, split + ": calibrated within 0.01 of running");
            // every example normalised among 31 random others: the noise costs
            assertTrue(number(batch, split) > number(running, split), split + ": batch " + number(batch, split));
        }
    }

    @Test
    void theTextSaysWhatBatchNormNormalisedWith() {
        MainTest.Result r = run("eval", "--model", model.toString(), "--data", NAMES, "--bn", "batch", "--split", "val");
        assertEquals(0, r.code(), r.toString());
        assertEquals("batch norm: training mode, each batch of 32 normalised with its own statistics", r.outLines().get(0));
        assertTrue(r.outLines().get(1).matches("val   loss \\d\\.\\d{4}  \\(\\d+ examples\\)"), r.toString());
    }

    @Test
    void theBiasedRunningVarianceMovesTheLossesALittle() {
        Map<String, Object> unbiased = eval("--bn", "running"), biased = eval("--bn", "running", "--biased-var");
        assertEquals(Boolean.TRUE, biased.get("biasedVar"));
        for (String split : List.of("train", "val", "test")) {
            assertNotEquals(number(unbiased, split), number(biased, split), split);
            assertEquals(number(unbiased, split), number(biased, split), 0.01, split);
        }
    }

    @Test
    void badModesAreOneLine() {
        assertUsageError(run("eval", "--model", model.toString(), "--data", NAMES, "--bn", "mean"), "--bn must be running, calibrated or batch");
        assertUsageError(run("eval", "--model", model.toString(), "--data", NAMES, "--bn", "batch", "--biased-var"), "--biased-var goes with --bn running");
        assertUsageError(run("eval", "--model", model.toString(), "--data", NAMES, "--bn", "calibrated", "--biased-var"), "--biased-var");
    }
}
