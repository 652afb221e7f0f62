package teagrad.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import teagrad.TestData;
import teagrad.data.Dataset;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.train.Trainer;

/**
 * The learning-rate finder: the lecture's lrs = 10**linspace(-3, 0, 1000), one SGD step each on
 * a fresh model, and a suggestion half a decade below the smoothed curve's minimum.
 */
class LrFinderTest {
    @Test
    void theRatesRiseExponentiallyFromAThousandthToOne() {
        assertEquals(0.001f, LrFinder.learningRate(0), 1e-9f);
        assertEquals(1f, LrFinder.learningRate(LrFinder.STEPS - 1), 1e-6f);
        double ratio = Math.pow(1000, 1.0 / (LrFinder.STEPS - 1));   // equal steps on the log axis
        for (int i = 1; i < LrFinder.STEPS; i++) assertEquals(ratio, LrFinder.learningRate(i) / (double) LrFinder.learningRate(i - 1), 1e-5);
    }

    @Test
    void eachPointIsOneStepOfTheRunAtItsRate() {
        Config c = TestData.small();
        Dataset data = new Dataset(TestData.someNames(500), c.blockSize, c.seed);
        LrFinder f = new LrFinder(c, data);
        Trainer t = new Trainer(Model.init(c, data.vocab), data);   // the same fresh model and batches, stepped by hand
        for (int i = 0; i < 20; i++) {
            f.step();
            assertEquals(t.trainStep(LrFinder.learningRate(i)), f.losses()[i], "point " + i);
        }
        assertEquals(20, f.count());
    }

    @Test
    void smoothingIsABiasCorrectedMovingAverage() {
        float[] flat = new float[50];
        java.util.Arrays.fill(flat, 2.5f);
        for (float s : LrFinder.smooth(flat, 50)) assertEquals(2.5f, s, 1e-5f);   // no pull towards 0 at the start
        float[] step = {1, 1, 1, 3};
        float[] s = LrFinder.smooth(step, 4);
        double b = LrFinder.BETA, avg = (1 - b) * (b * b * b + b * b + b) + (1 - b) * 3 * 1;   // Σ β^(n−1−i)(1−β)x_i
        assertEquals(avg / (1 - b * b * b * b), s[3], 1e-6);
    }

    @Test
    void theSuggestionIsHalfADecadeBelowTheSmoothedMinimum() {
        float[] lrs = new float[LrFinder.STEPS], losses = new float[LrFinder.STEPS];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = LrFinder.learningRate(i);
            double x = Math.log10(lrs[i]) + 0.5;   // a valley with its floor at lr 10^-0.5
            losses[i] = (float) (2 + x * x);
        }
        float[] s = LrFinder.smooth(losses, losses.length);
        int m = LrFinder.minimum(s);
        assertTrue(lrs[m] > 0.3f && lrs[m] < 0.45f, "the smoothed minimum lags the valley a little: " + lrs[m]);
        assertEquals(lrs[m] / Math.sqrt(10), LrFinder.suggestion(lrs, s), 1e-6);
    }

    @Test
    void onTheChaptersNetTheSuggestionLiesBetweenAHundredthAndOne() {
        Config c = new Config();
        LrFinder f = LrFinder.run(c, new Dataset(TestData.names(), c.blockSize, c.seed));
        assertEquals(LrFinder.STEPS, f.count());
        // Measured: the smoothed minimum at lr 0.31 (step 832), the suggestion 0.099: the lecture's 0.1.
        assertTrue(f.suggestion() >= 0.01f && f.suggestion() <= 1f, "suggestion " + f.suggestion());
        assertTrue(f.smoothed()[f.minimum()] < f.smoothed()[0] - 0.5f, "the loss falls before it climbs");
    }
}
