package teagrad.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import teagrad.TestData;
import teagrad.data.Dataset;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.model.Presets;
import teagrad.nn.BatchNorm1d;
import teagrad.train.Trainer;

/**
 * The views' data over time: a batch norm's batch statistics against its running ones at a
 * step, a snapshot of everything the views show, and the bounded history a scrubber replays.
 */
class SnapshotTest {
    static Trainer trainer(Config c) {
        Dataset d = new Dataset(TestData.someNames(2000), c.blockSize, c.seed);
        return new Trainer(Model.init(c, d.vocab), d);
    }

    @Test
    void theRunningStatisticsChaseTheBatchStatisticsWithMomentum() {
        Config c = TestData.small();
        c.momentum = 0.1f;
        Trainer t = trainer(c);
        BatchNorm1d bn = t.model.batchNorms().get(0);
        for (int step = 0; step < 5; step++) {
            float[] mean = bn.runningMean.clone(), var = bn.runningVar.clone();
            t.trainStep();
            BatchNormStats s = BatchNormStats.of(t.model.net, t.lastPass()).get(0);
            assertEquals(3, s.layer);
            assertEquals("BatchNorm 1", s.label);
            assertEquals(32, s.batch);
            float[] x = t.lastPass().output(2).data;   // the step's hprebn
            for (int j = 0; j < bn.features; j++) {
                double mu = 0, ss = 0;
                for (int i = 0; i < 32; i++) mu += x[i * bn.features + j] / 32;
                for (int i = 0; i < 32; i++) ss += (x[i * bn.features + j] - mu) * (x[i * bn.features + j] - mu);
                assertEquals(mu, s.batchMean[j], 1e-6 * (1 + Math.abs(mu)));
                assertEquals(Math.sqrt(ss / 31), s.batchStd[j], 1e-6 * Math.sqrt(ss / 31));
                assertEquals(Math.sqrt(ss / 32), s.normalisedStd(j), 1e-6 * Math.sqrt(ss / 32));
                // running = (1 − μ)·running + μ·batch: the running ones average exactly these
                assertEquals(0.9 * mean[j] + 0.1 * s.batchMean[j], s.runningMean[j], 1e-5 * (1 + Math.abs(mu)));
                assertEquals(0.9 * var[j] + 0.1 * s.batchStd[j] * s.batchStd[j], s.runningStd[j] * s.runningStd[j], 1e-5 * var[j]);
            }
        }
    }

    @Test
    void aSnapshotHasEveryTanhLayersPictureAndEveryBatchNormAndStaysAsItWas() {
        Config c = Presets.apply("deep-batchnorm", TestData.small());
        c.widths = new int[] {20, 16, 12};
        Trainer t = trainer(c);
        t.trainStep();
        Snapshot s = Snapshot.of(t.stepsDone(), t.model.net, t.lastPass(), t.lastLearningRate());
        assertEquals(1, s.step);
        assertEquals(3, s.saturation.size());
        assertEquals(32 * 16, s.saturation.get(1).length);
        assertEquals(4, s.batchNorms.size(), "three hidden batch norms and the one on the logits");
        assertEquals(3, s.diagnostics.tanh.size());
        byte[] picture = s.saturation.get(0).clone();
        float[] histogram = s.diagnostics.tanh.get(0).out.density.clone(), mean = s.batchNorms.get(0).batchMean.clone();
        for (int i = 0; i < 20; i++) t.trainStep();
        assertArrayEquals(picture, s.saturation.get(0));
        assertArrayEquals(histogram, s.diagnostics.tanh.get(0).out.density);
        assertArrayEquals(mean, s.batchNorms.get(0).batchMean);
        assertNotEquals(mean[0], BatchNormStats.of(t.model.net, t.lastPass()).get(0).batchMean[0], "a later step has other statistics");
    }

    @Test
    void theHistoryReachesBackToStepZeroEvenlySpacedAndBounded() {
        StepHistory<Integer> h = new StepHistory<>(50);
        int offered = 0;
        for (int step = 0; step <= 200_000; step += 997) {   // a look every ~1,000 steps, as the page logs
            if (h.wants(step)) h.add(step, step);
            offered++;
            assertTrue(h.size() <= 50);
        }
        assertTrue(offered > 200);
        assertEquals(0, h.step(0), "step 0 is kept");
        assertTrue(h.step(h.size() - 1) > 190_000, "and a recent one: " + h.step(h.size() - 1));
        assertTrue(h.size() >= 25, "at least half full: " + h.size());
        int min = Integer.MAX_VALUE, max = 0;
        for (int i = 1; i < h.size(); i++) {
            int gap = h.step(i) - h.step(i - 1);
            min = Math.min(min, gap);
            max = Math.max(max, gap);
            assertEquals(h.step(i), (int) h.get(i), "items stay with their steps");
        }
        assertTrue(max <= 2 * min + 997, "about evenly spaced: gaps " + min + " to " + max);
    }

    @Test
    void theSameStepReplacesAnEarlierStepStartsANewRunAndTheScrubberFindsTheNearest() {
        StepHistory<String> h = new StepHistory<>(4);
        h.add(0, "init");
        h.add(0, "init again");
        assertEquals(1, h.size());
        assertEquals("init again", h.get(0));
        for (int s = 100; s <= 600; s += 100) h.add(s, "step " + s);
        // 0…400 overflowed 4 items: every second dropped (0, 200, 400), then 500 too close, 600 kept
        assertEquals(List.of(0, 200, 400, 600), List.of(h.step(0), h.step(1), h.step(2), h.step(3)));
        assertEquals("step 600", h.get(3));
        assertFalse(h.wants(650), "closer to the newest than the kept items are apart");
        assertFalse(h.add(650, "too close"));
        assertTrue(h.wants(800));
        assertEquals(2, h.nearest(330));
        h.add(50, "a new run");
        assertEquals(1, h.size());
        assertSame("a new run", h.get(0));
        assertEquals(-1, new StepHistory<String>(2).nearest(5));
    }
}
