package teagrad.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import teagrad.Chapter;
import teagrad.TestData;
import teagrad.data.Dataset;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Sequential;
import teagrad.train.Trainer;

/**
 * The three things eval can normalise with, on names.txt: the running statistics, the
 * statistics calibrated over the training split, and each batch's own; and the running
 * variance tracked biased instead of unbiased.
 */
class RunningStatsTest {
    static Dataset data;
    static Model model;   // the chapter's network after 2,000 steps of the recipe

    @BeforeAll
    static void train() {
        TestData.Chapter chapter = TestData.chapter(1, 2000);
        data = chapter.data();
        model = chapter.model();
    }

    static int[] all(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        return rows;
    }

    @Test
    void calibratedStatisticsAreTheMeanAndUnbiasedVarianceOfHprebnOverTheTrainingSplit() {
        float[] runningMean = Chapter.bn(model).runningMean.clone(), runningVar = Chapter.bn(model).runningVar.clone();
        RunningStats cal = Inference.calibrated(model, data.train);

        // hprebn = C[x].view(n, -1) @ W1 of every training example, in double: a row of C @ W1_p
        // per context position p (W1_p: W1's rows for position p), summed over the positions.
        Dataset.Split train = data.train;
        int n = train.size, h = Chapter.first(model).out, e = model.config.embedDim, block = model.config.blockSize, v = model.vocab.size();
        float[] C = Chapter.C(model), W1 = Chapter.first(model).weight.data;
        double[][] rowOf = new double[block * v][h];   // [p·v + symbol] → C[symbol] @ W1_p
        for (int p = 0; p < block; p++) {
            for (int s = 0; s < v; s++) {
                for (int d = 0; d < e; d++) {
                    for (int j = 0; j < h; j++) rowOf[p * v + s][j] += (double) C[s * e + d] * W1[(p * e + d) * h + j];
                }
            }
        }
        double[] mean = new double[h], ss = new double[h], row = new double[h];
        for (int pass = 0; pass < 2; pass++) {   // the mean, then the squared deviations from it
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(row, 0);
                for (int p = 0; p < block; p++) {
                    double[] r = rowOf[p * v + train.x[i * block + p]];
                    for (int j = 0; j < h; j++) row[j] += r[j];
                }
                for (int j = 0; j < h; j++) {
                    if (pass == 0) mean[j] += row[j] / n;
                    else ss[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
                }
            }
        }
        for (int j = 0; j < h; j++) {
            // Inference sums hprebn in float32: ~1e-6 of its magnitude. (The biased variance is off by
            // only 1/n = 5e-6 relative here; TrainerTest tells the two apart on a small split.)
            double second = ss[j] / (n - 1) + mean[j] * mean[j];
            assertEquals(mean[j], cal.mean[0][j], 1e-5 * Math.sqrt(second), "mean " + j);
            assertEquals(ss[j] / (n - 1), cal.var[0][j], 1e-5 * second, "variance " + j);
        }
        assertArrayEquals(runningMean, Chapter.bn(model).runningMean, "the model keeps its running mean");
        assertArrayEquals(runningVar, Chapter.bn(model).runningVar, "and its running variance");
    }

    @Test
    void calibrateWritesTheCalibratedStatisticsIntoTheModel() {
        Model m = copy(model);
        RunningStats cal = Inference.calibrated(m, data.train);
        double withStats = new Inference(m, cal).loss(data.val);
        Inference.calibrate(m, data.train);
        assertArrayEquals(cal.mean[0], Chapter.bn(m).runningMean);
        assertArrayEquals(cal.var[0], Chapter.bn(m).runningVar);
        assertEquals(withStats, new Inference(m).loss(data.val), 0.0, "the same numbers, bit for bit");
    }

    @Test
    void onATrainedModelCalibratedAndRunningStatisticsGiveDevLossesWithin0point01() {
        double running = new Inference(model).loss(data.val);
        double calibrated = new Inference(model, Inference.calibrated(model, data.train)).loss(data.val);
        // Measured: 2.3624 and 2.3583 (seed 1, 2,000 steps); 2.1068 and 2.1066 after 200,000.
        assertNotEquals(running, calibrated);
        assertEquals(running, calibrated, 0.01);
        assertEquals(running, new Inference(model, RunningStats.of(model)).loss(data.val), 0.0, "RunningStats.of is what Inference(model) uses");
    }

    @Test
    void oneBatchWithItsOwnStatisticsHasTheTrainingGraphsLossAndChangesNothing() {
        Dataset.Split dev = data.val;
        int n = 64;   // the first 64 dev examples as one batch: the shuffle only reorders them
        Dataset.Split first = new Dataset.Split(java.util.Arrays.copyOf(dev.x, n * dev.blockSize), java.util.Arrays.copyOf(dev.y, n), dev.blockSize);
        float[] runningMean = Chapter.bn(model).runningMean.clone();
        double batch = Inference.batchStatisticsLoss(model, first, n, 7);
        assertArrayEquals(runningMean, Chapter.bn(model).runningMean, "no running statistics updated");

        Model m = copy(model);
        Sequential.Pass pass = m.pass(n);
        pass.load(first, all(n));
        pass.graph.forward();   // training mode: the batch's own mean and biased variance
        // the same arithmetic on the same rows, summed in the shuffled order: float32 rounding apart
        assertEquals(pass.loss.item(), batch, 1e-5);
        assertTrue(Math.abs(batch - new Inference(model).loss(first)) > 1e-3, "not the eval-mode loss");
    }

    @Test
    void batchStatisticsCostOnDevWhatTheNoiseOfA32ExampleBatchCosts() {
        double batch = Inference.batchStatisticsLoss(model, data.val, 32, 1), running = new Inference(model).loss(data.val);
        // Measured: 2.3751 against 2.3624 (2,000 steps); 2.1336 against 2.1068 after 200,000.
        assertTrue(batch > running && batch < running + 0.1, batch + " vs " + running);
        assertEquals(batch, Inference.batchStatisticsLoss(model, data.val, 32, 1), 0.0, "deterministic");
    }

    @Test
    void aLeftOverExampleJoinsTheLastBatchAndTooFewExamplesAreRefused() {
        Dataset.Split dev = data.val;
        for (int n : new int[] {65, 66, 2}) {   // 32 + 33, 32 + 32 + 2, one batch of 2
            Dataset.Split s = new Dataset.Split(java.util.Arrays.copyOf(dev.x, n * dev.blockSize), java.util.Arrays.copyOf(dev.y, n), dev.blockSize);
            double loss = Inference.batchStatisticsLoss(model, s, 32, 3);
            assertTrue(Double.isFinite(loss) && loss > 0 && loss < 10, n + " examples: " + loss);
        }
        Dataset.Split one = new Dataset.Split(java.util.Arrays.copyOf(dev.x, dev.blockSize), java.util.Arrays.copyOf(dev.y, 1), dev.blockSize);
        String message = assertThrows(IllegalArgumentException.class, () -> Inference.batchStatisticsLoss(model, one, 32, 3)).getMessage();
        assertEquals("batch statistics need at least 2 examples, the split has 1", message);
        assertThrows(IllegalArgumentException.class, () -> Inference.batchStatisticsLoss(model, dev, 1, 3));
    }

    @Test
    void theBiasedRunningVarianceIsWhatTrainingWouldHaveTrackedWithTheBiasedBatchVariance() {
        // A fast momentum and few steps, so that the initial running variance of 1 still weighs (0.9^60 = 0.2%).
        Config c = TestData.small();
        c.momentum = 0.1f;
        Dataset d = new Dataset(TestData.someNames(500), c.blockSize, c.seed);
        Model m = Model.init(c, d.vocab);
        Trainer t = new Trainer(m, d);
        BatchNorm1d bn = Chapter.bn(m);
        int h = bn.features, b = c.batchSize, steps = 60;
        double[] biased = new double[h];
        java.util.Arrays.fill(biased, 1);
        for (int s = 0; s < steps; s++) {
            t.trainStep();
            float[] x = t.lastPass().output(2).data;   // this step's hprebn
            for (int j = 0; j < h; j++) {
                double mean = 0, ss = 0;
                for (int i = 0; i < b; i++) mean += x[i * h + j];
                mean /= b;
                for (int i = 0; i < b; i++) ss += (x[i * h + j] - mean) * (x[i * h + j] - mean);
                biased[j] = (1 - c.momentum) * biased[j] + c.momentum * ss / b;   // σ², as the batch is normalised
            }
        }
        RunningStats r = RunningStats.biased(m, steps);
        assertArrayEquals(bn.runningMean, r.mean[0], "the mean does not change");
        for (int j = 0; j < h; j++) {
            assertEquals(biased[j], r.var[0][j], 1e-5 * biased[j], "unit " + j);
            assertTrue(r.var[0][j] < bn.runningVar[j], "smaller than the unbiased one");
        }
    }

    @Test
    void statisticsForAnotherNetworkAreRefused() {
        Config c = TestData.small();
        c.batchNorm = false;
        Model plain = Model.init(c, data.vocab);
        assertThrows(IllegalArgumentException.class, () -> new Inference(plain, RunningStats.of(model)));
    }

    /** The same network, parameters and running statistics, sharing no array. */
    static Model copy(Model m) {
        Model c = Model.init(m.config, m.vocab);
        for (int i = 0; i < m.parameters().size(); i++) System.arraycopy(m.parameters().get(i).data, 0, c.parameters().get(i).data, 0, m.parameters().get(i).size());
        RunningStats.of(m).applyTo(c);
        return c;
    }
}
