package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import teagrad.check.BackwardCheck;
import teagrad.check.Cmp;
import teagrad.data.Dataset;
import teagrad.data.Words;
import teagrad.diagnostics.BatchNormStats;
import teagrad.inference.Inference;
import teagrad.inference.RunningStats;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.train.Trainer;

/**
 * The batch-norm chapter's messages on the JVM, as {@link Protocol} lists them: the statistics
 * panel (batchnorm, evalmodes), the coupling explorer (coupling), the backward check (check) and
 * the scrubber (replay, diagnostics.snapshots). The numbers are the core's, computed beside the
 * worker on a trainer of its own with the same settings and words.
 */
class BatchNormProtocolTest {
    final ListPort page = new ListPort();
    final Dispatcher worker = new Dispatcher(page, () -> 0, task -> {});

    static Config small() {
        Config c = ProtocolTest.small();
        c.momentum = 0.1f;   // a lag of ~10 steps: visible in a few steps
        return c;
    }

    /** The worker with the test words, these settings, and {@code steps} steps taken by Step. */
    void trained(Config c, int steps) {
        worker.receive(ProtocolTest.configure(c));
        worker.receive(MapMessage.of("data", "text", SessionTest.words()));
        for (int i = 0; i < steps; i++) worker.receive(MapMessage.of("step"));
        page.take();
    }

    /** The same run on the JVM beside the worker. */
    static Trainer beside(Config c) {
        Dataset d = new Dataset(Words.parse(SessionTest.words()), c.blockSize, c.seed);
        return new Trainer(Model.init(c, d.vocab), d);
    }

    MapMessage ask(Object... typeAndFields) {
        worker.receive(MapMessage.of((String) typeAndFields[0], java.util.Arrays.copyOfRange(typeAndFields, 1, typeAndFields.length)));
        return page.posted.get(page.posted.size() - 1);
    }

    // ---------- the statistics panel ----------

    @Test
    void aUnitsBatchAndRunningStatisticsAreLoggedAtEveryStepAsTheCoreComputesThem() {
        Config c = small();
        trained(c, 6);
        Trainer t = beside(c);
        float[][] expected = new float[6][];
        for (int s = 0; s < 6; s++) {
            t.trainStep();
            BatchNormStats b = BatchNormStats.of(t.model.net, t.lastPass()).get(0);
            expected[s] = new float[] {b.batchMean[5], b.batchStd[5], b.runningMean[5], b.runningStd[5]};
        }
        MapMessage m = ask("batchnorm", "layer", -1, "unit", 5);
        assertEquals("batchnorm", m.string("type"), m.toString());
        assertEquals(3.0, m.number("layer"), "the first batch norm is layer 3 of the chapter's net");
        assertEquals(16.0, m.number("features"));
        assertEquals(0.1, m.number("momentum"), 1e-7);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, (int[]) m.raw("steps"), "the look at step 0, then a logged step per Step");
        assertEquals(0f, ((float[]) m.raw("runningMean"))[0], "at step 0 the running mean is its initial 0 …");
        assertEquals(1f, ((float[]) m.raw("runningStd"))[0], "… and the running variance its initial 1");
        for (int s = 0; s < 6; s++) {
            assertEquals(expected[s][0], ((float[]) m.raw("batchMean"))[s + 1], "batch mean at step " + (s + 1));
            assertEquals(expected[s][1], ((float[]) m.raw("batchStd"))[s + 1]);
            assertEquals(expected[s][2], ((float[]) m.raw("runningMean"))[s + 1]);
            assertEquals(expected[s][3], ((float[]) m.raw("runningStd"))[s + 1]);
        }
        // every unit at the newest step, and the running std had the variance been tracked biased
        MapMessage units = (MapMessage) m.object("units");
        BatchNormStats now = BatchNormStats.of(t.model.net, t.lastPass()).get(0);
        assertArrayEquals(now.batchMean, (float[]) units.raw("batchMean"));
        assertArrayEquals(now.runningStd, (float[]) units.raw("runningStd"));
        float[] biasedVar = RunningStats.biased(t.model, 6).var[0];
        float[] biasedStd = (float[]) units.raw("runningStdBiased");
        for (int j = 0; j < 16; j++) {
            assertEquals(Math.sqrt(biasedVar[j]), biasedStd[j], 1e-6, "unit " + j);
            assertTrue(biasedStd[j] < now.runningStd[j], "the biased estimate is smaller: unit " + j);
        }
        assertEquals(biasedStd[5], ((float[]) m.raw("runningStdBiased"))[6], "the unit's newest point is the same number");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        " 3 | 16 | unit must be between 0 and 15, got 16",
        " 3 | -1 | unit must be between 0 and 15, got -1",
        " 2 |  0 | layer 2 is not a batch norm of this network",
    })
    void aMissingLayerOrUnitIsNamed(int layer, int unit, String error) {
        trained(small(), 2);
        MapMessage e = ask("batchnorm", "layer", layer, "unit", unit);
        assertEquals("error", e.string("type"));
        assertEquals("batchnorm", e.string("during"));
        assertEquals(error, e.string("message"));
    }

    @Test
    void aNetworkWithoutBatchNormSaysSo() {
        Config c = small();
        c.batchNorm = false;
        c.outBatchNorm = false;
        trained(c, 2);
        assertEquals("this network has no batch norm: turn batch norm on to see its statistics", ask("batchnorm", "layer", -1, "unit", 0).string("message"));
        MapMessage e = ask("evalmodes");
        assertEquals(e.number("running"), e.number("calibrated"), "without batch norm the four ways are one number");
        assertEquals(e.number("running"), e.number("batch"));
    }

    @Test
    void theDevLossComesFourWays() {
        Config c = small();
        trained(c, 30);
        Trainer t = beside(c);
        for (int s = 0; s < 30; s++) t.trainStep();
        MapMessage m = ask("evalmodes");
        assertEquals(30.0, m.number("step"));
        Dataset.Split dev = t.data.val;
        assertEquals(new Inference(t.model).loss(dev), m.number("running"), "eval mode, running statistics: the dev points' number");
        assertEquals(new Inference(t.model, RunningStats.biased(t.model, 30)).loss(dev), m.number("runningBiased"));
        assertEquals(new Inference(t.model, Inference.calibrated(t.model, t.data.train)).loss(dev), m.number("calibrated"));
        assertEquals(Inference.batchStatisticsLoss(t.model, dev, c.batchSize, c.seed), m.number("batch"));
        assertTrue(m.number("running") != m.number("calibrated") && m.number("running") != m.number("batch"), "three different numbers: " + m);
        assertTrue(m.number("ms") >= 0);
    }

    // ---------- the coupling explorer ----------

    @Test
    void typedLettersInKBatchesSpreadInTrainingModeAndNotInEvalMode() {
        trained(small(), 20);
        MapMessage m = ask("coupling", "letters", "an", "k", 12, "seed", 3);
        assertEquals("coupling", m.string("type"), m.toString());
        assertEquals(".an", m.string("context"), "padded with '.' on the left");
        assertEquals("n", m.string("next"), "the character that most often follows .an in the words (ann…)");
        assertEquals(3.0, m.number("layer"), "the batch norm's output: hpreact");
        MapMessage train = (MapMessage) m.object("train"), eval = (MapMessage) m.object("eval");
        assertEquals(12 * 16, ((float[]) train.raw("activations")).length);
        assertEquals(12, ((float[]) eval.raw("prob")).length);
        assertTrue(train.number("meanSpread") > 1e-3, "training mode: the batch moves the example " + train.number("meanSpread"));
        assertTrue(train.number("probSpread") > 0 && train.number("lossSpread") > 0);
        assertEquals(0.0, eval.number("meanSpread"), "eval mode: the same numbers in every batch");
        assertEquals(0.0, eval.number("probSpread"));
        assertEquals(0.0, eval.number("lossSpread"));

        MapMessage picked = ask("coupling", "k", 5, "seed", 8);
        assertEquals(3, picked.string("context").length(), "an example from the training split: " + picked);
        assertEquals(picked.string("context"), ask("coupling", "k", 5, "seed", 8).string("context"), "the seed decides which");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ann | b  | 0    | the number of batches must be between 1 and 1000, got 0",
        "yy  |    | 10   | \".yy\" never occurs in the training split: give the next character too",
        "a!  |    | 10   | character \"!\" is not in the vocabulary",
        "an  | nn | 10   | the next character must be one character, got \"nn\"",
    })
    void aContextThatCannotBeExploredIsNamed(String letters, String next, int k, String error) {
        trained(small(), 2);
        MapMessage e = next == null ? ask("coupling", "letters", letters, "k", k, "seed", 1) : ask("coupling", "letters", letters, "next", next, "k", k, "seed", 1);
        assertEquals("coupling", e.string("during"), e.toString());
        assertEquals(error, e.string("message"));
    }

    // ---------- the backward check ----------

    @Test
    void theCheckOfTheLecturesInitIsTeagradChecksTable() {
        Config c = new Config();
        c.steps = 1000;
        trained(c, 0);
        Dataset d = new Dataset(Words.parse(SessionTest.words()), c.blockSize, c.seed);
        for (boolean mismatch : new boolean[] {false, true}) {
            BackwardCheck cli = BackwardCheck.run(BackwardCheck.lectureInit(c, d.vocab), d.train, c.seed, mismatch);
            MapMessage m = ask("check", "lecture", true, "besselMismatch", mismatch);
            assertEquals("check", m.string("type"), m.toString());
            List<MapMessage> rows = m.list("rows");
            assertEquals(cli.rows.size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Cmp r = cli.rows.get(i);
                assertEquals(r.name, rows.get(i).string("name"));
                assertEquals(r.exact, rows.get(i).bool("exact"), r.name);
                assertEquals(r.approx, rows.get(i).bool("approx"), r.name);
                assertEquals(r.maxdiff, rows.get(i).number("maxdiff"), r.name);
                assertEquals(r.autograd, rows.get(i).string("autograd"));
            }
            assertEquals(!mismatch, rows.stream().allMatch(r -> r.bool("approx")), "every row approx true, unless the normaliser is wrong");
            assertEquals(mismatch, m.bool("besselMismatch"));
        }
        // the model being trained: its own numbers, all approx true
        MapMessage own = ask("check", "lecture", false, "besselMismatch", false);
        assertTrue(own.list("rows").size() >= 20 && own.list("rows").stream().allMatch(r -> r.bool("approx")), own.toString());
        assertFalse(own.bool("lecture"));
    }

    @Test
    void aNetworkThatIsNotTheLecturesIsRefusedByTheCheck() {
        Config c = small();
        c.widths = new int[] {16, 16};
        trained(c, 1);
        MapMessage e = ask("check", "lecture", false);
        assertEquals("check", e.string("during"));
        assertTrue(e.string("message").startsWith("the backward check follows the lecture's network"), e.string("message"));
    }

    // ---------- the scrubber ----------

    @Test
    void theViewsAtEarlierStepsAreKeptAndReplayed() {
        trained(small(), 0);
        worker.receive(MapMessage.of("reset"));   // step 0's views
        MapMessage first = page.last("diagnostics");
        float[] hist0 = ((float[]) first.list("tanh").get(0).raw("hist")).clone();
        for (int i = 0; i < 3; i++) worker.receive(MapMessage.of("step"));
        MapMessage live = page.last("diagnostics");
        assertArrayEquals(new int[] {0, 1, 2, 3}, (int[]) live.raw("snapshots"), "a snapshot per diagnostics message");
        assertFalse(live.bool("replay"));
        page.take();
        MapMessage replay = ask("replay", "step", 0);
        assertEquals("diagnostics", replay.string("type"), replay.toString());
        assertTrue(replay.bool("replay"));
        assertEquals(0.0, replay.number("step"));
        assertArrayEquals(hist0, (float[]) replay.list("tanh").get(0).raw("hist"), "step 0's histogram, as it was sent then");
        assertArrayEquals((byte[]) ((MapMessage) first.object("saturation")).raw("bits"), (byte[]) ((MapMessage) replay.object("saturation")).raw("bits"));
        assertEquals(2.0, ask("replay", "step", 2).number("step"));
        assertEquals(3.0, ask("replay", "step", 1000).number("step"), "the nearest kept step");
    }
}
