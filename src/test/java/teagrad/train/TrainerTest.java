package teagrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import teagrad.autograd.Tensor;
import teagrad.data.Dataset;
import teagrad.data.Rng;
import teagrad.data.Vocab;
import teagrad.model.Config;
import teagrad.nn.BatchNorm1d;
import teagrad.model.Presets;
import teagrad.model.Model;
import teagrad.inference.Inference;
import teagrad.modelfile.ModelFile;
import teagrad.Chapter;
import teagrad.TestData;

/** Minibatch SGD, its learning-rate schedule and failure handling, and eval-mode inference. */
class TrainerTest {

    static Trainer trainer(List<String> words, Config c) {
        Dataset data = new Dataset(words, c.blockSize, c.seed);
        return new Trainer(Model.init(c, data.vocab), data);
    }

    static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }

    /** Parameters and running stats, bit for bit. */
    static List<int[]> state(Model m) {
        List<int[]> s = new ArrayList<>();
        for (Tensor p : m.parameters()) s.add(bits(p.data));
        if (Chapter.bn(m) != null) {
            s.add(bits(Chapter.bn(m).runningMean));
            s.add(bits(Chapter.bn(m).runningVar));
        }
        return s;
    }

    static void assertSameState(List<int[]> want, List<int[]> got, String what) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) assertArrayEquals(want.get(i), got.get(i), what + " (array " + i + ")");
    }

    // ---------------------------------------------------------------- determinism

    @ParameterizedTest(name = "batchNorm {0}")
    @ValueSource(booleans = {true, false})
    void theSameSeedGivesBitIdenticalLossesAndParameters(boolean batchNorm) {
        Config c = TestData.small();
        c.batchNorm = batchNorm;
        Trainer a = trainer(TestData.someNames(2000), c), b = trainer(TestData.someNames(2000), c);
        for (int i = 0; i < 50; i++) {
            float la = a.trainStep(), lb = b.trainStep();
            assertEquals(Float.floatToRawIntBits(la), Float.floatToRawIntBits(lb), "loss of step " + (i + 1));
        }
        assertTrue(a.finished());
        assertEquals(50, a.stepsDone());
        assertSameState(state(a.model), state(b.model), "after 50 steps");
    }

    @Test
    void anotherSeedGivesAnotherRun() {
        Config c = TestData.small();
        Trainer a = trainer(TestData.someNames(2000), c);
        c.seed = 1235;
        Trainer b = trainer(TestData.someNames(2000), c);
        boolean differ = false;
        for (int i = 0; i < 5; i++) differ |= a.trainStep() != b.trainStep();
        assertTrue(differ);
    }

    // ---------------------------------------------------------------- learning rate

    @Test
    void theLearningRateDropsTenfoldAtTheDecayStep() {
        Config c = new Config();
        c.lr = 0.1f;
        c.lrDecayStep = 100;
        assertEquals(0.1f, c.learningRate(0));
        assertEquals(0.1f, c.learningRate(99));
        assertEquals(0.1f / 10, c.learningRate(100));
        assertEquals(0.1f / 10, c.learningRate(150_000));
        // the notebook's recipe: lr 0.1 for steps 0..99,999, then 0.01
        Config k = new Config();
        assertEquals(0.1f, k.learningRate(99_999));
        assertEquals(0.01f, k.learningRate(100_000), 1e-9f);
    }

    @Test
    void aDecayStepOfZeroMeansNeverDecay() {
        Config c = new Config();
        c.lr = 0.3f;
        c.lrDecayStep = 0;
        for (int step : new int[] {0, 1, 100_000, Integer.MAX_VALUE}) assertEquals(0.3f, c.learningRate(step));
    }

    @Test
    void eachStepMovesEveryParameterByMinusLearningRateTimesItsGradient() {
        Config c = TestData.small();
        c.lr = 0.2f;
        c.lrDecayStep = 3;
        Trainer t = trainer(TestData.someNames(500), c);
        t.trainStep();
        t.trainStep();
        for (int step = 2; step <= 3; step++) {
            float lr = step < 3 ? 0.2f : 0.2f / 10;
            List<float[]> before = new ArrayList<>();
            for (Tensor p : t.model.parameters()) before.add(p.data.clone());
            t.trainStep();
            List<Tensor> ps = t.model.parameters();
            for (int q = 0; q < ps.size(); q++) {
                float[] b = before.get(q), after = ps.get(q).data, g = ps.get(q).grad;
                boolean moved = false;
                for (int i = 0; i < b.length; i++) {
                    assertEquals(b[i] - lr * g[i], after[i], ps.get(q).name + "[" + i + "] at step index " + step);
                    moved |= g[i] != 0;
                }
                assertTrue(moved, ps.get(q).name + " has a non-zero gradient");
            }
        }
    }

    // ---------------------------------------------------------------- divergence

    @Test
    void aGradientIsFiniteUnlessItIsNaNOrInfinite() {
        float[] finite = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-40f};
        assertTrue(Parameters.allFinite(finite));
        assertTrue(Parameters.allFinite(new float[0]));
        float[] notFinite = {Float.NaN, -Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7fffffff)};   // NaNs with payloads and signs
        for (float bad : notFinite) {
            float[] a = finite.clone();
            a[a.length - 1] = bad;
            assertFalse(Parameters.allFinite(a), "caught: " + Float.floatToRawIntBits(bad));
        }
        java.util.Random r = new java.util.Random(29);
        for (int i = 0; i < 100_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            assertEquals(Float.isFinite(f), Parameters.allFinite(new float[] {f}), "bits " + Integer.toHexString(Float.floatToRawIntBits(f)));
        }
    }

    @ParameterizedTest(name = "poison {0}")
    @ValueSource(strings = {"W2", "C"})
    void aNonFiniteLossThrowsDivergedAndLeavesTheModelAsBeforeThatStep(String poisoned) {
        Config c = TestData.small();
        Trainer t = trainer(TestData.someNames(500), c);
        for (int i = 0; i < 5; i++) t.trainStep();
        Model m = t.model;
        // W2 poisons the logits after batch norm has already updated its running stats; the
        // row of '.' in C poisons hpreact (every batch has '.' padding), so the batch
        // statistics themselves become NaN.
        if (poisoned.equals("W2")) Chapter.last(m).weight.data[3] = Float.NaN;
        else Chapter.embedding(m).weight.data[0] = Float.NaN;
        List<int[]> before = state(m);

        Trainer.Diverged e = assertThrows(Trainer.Diverged.class, t::trainStep);
        assertEquals(6, e.step);
        assertTrue(e.getMessage().contains("step 6"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertSameState(before, state(m), "parameters and running stats after a diverged step");
        assertEquals(5, t.stepsDone(), "the failed step does not count");
        assertFalse(t.finished());
    }

    @Test
    void anInfiniteParameterAlsoCountsAsDivergence() {
        Config c = TestData.small();
        c.batchNorm = false;
        Trainer t = trainer(TestData.someNames(500), c);
        t.trainStep();
        Chapter.last(t.model).bias.data[0] = Float.POSITIVE_INFINITY;
        List<int[]> before = state(t.model);
        Trainer.Diverged e = assertThrows(Trainer.Diverged.class, t::trainStep);
        assertEquals(2, e.step);
        assertSameState(before, state(t.model), "after the diverged step");
    }

    // ---------------------------------------------------------------- runs of steps

    @Test
    void onlyTheLinearLayersWeightsAreReadByProductsAlone() {
        Trainer t = trainer(TestData.someNames(200), TestData.small());   // the graph is built: its ops have marked their inputs
        Model m = t.model;
        assertTrue(Chapter.first(m).weight.productsOnly(), "the first Linear's weight (fused with the embedding)");
        assertTrue(Chapter.last(m).weight.productsOnly(), "the last Linear's weight");
        assertFalse(Chapter.last(m).bias.productsOnly(), "a bias: its gradient is a Java column sum");
        assertFalse(Chapter.embedding(m).weight.productsOnly(), "the embedding table: gathered and scattered in Java");
        for (BatchNorm1d bn : m.batchNorms()) {
            assertFalse(bn.gamma.productsOnly(), "batch norm's gain: read by its Java loops");
            assertFalse(bn.beta.productsOnly());
        }
    }

    @Test
    void aRunOfStepsMovesTheParametersOnceAndBringsThemBackEvenWhenAStepDiverges() {
        List<String> calls = new ArrayList<>();
        Parameters recording = new Parameters() {
            @Override public void begin(Tensor[] params) { calls.add("begin " + params.length); }
            @Override public void end() { calls.add("end"); }
        };
        Parameters before = Parameters.installed();
        Parameters.install(recording);
        try {
            Config c = TestData.small();
            Trainer t = trainer(TestData.someNames(200), c);
            int params = t.model.parameters().size();
            t.trainStep();                                   // a step alone is a run of its own
            assertEquals(List.of("begin " + params, "end"), calls);
            calls.clear();
            t.runSteps(() -> {
                t.trainStep();
                t.trainStep();
                t.runSteps(t::trainStep);                    // nested: still the one run
            });
            assertEquals(List.of("begin " + params, "end"), calls);
            assertEquals(4, t.stepsDone());
            calls.clear();
            Chapter.last(t.model).weight.data[0] = Float.NaN;
            assertThrows(Trainer.Diverged.class, () -> t.runSteps(t::trainStep));
            assertEquals(List.of("begin " + params, "end"), calls, "the run ends when its step throws");
        } finally {
            Parameters.install(before);
        }
    }

    // ---------------------------------------------------------------- learning

    @Test
    void lossDecreasesOnNamesTxtOver2000Steps() {
        Config c = new Config();   // the notebook's network: hidden 200, batch 32, lr 0.1
        c.steps = 2000;
        Dataset data = new Dataset(TestData.names(), c.blockSize, c.seed);
        Model m = Model.init(c, data.vocab);
        double devBefore = new Inference(m).loss(data.val);
        assertEquals(Math.log(27), devBefore, 0.15, "near-uniform predictions at init (−ln 1/27 = 3.30)");
        Trainer t = new Trainer(m, data);
        double first = 0, last = 0;
        for (int i = 0; i < 2000; i++) {
            float loss = t.trainStep();
            if (i < 200) first += loss;
            if (i >= 1800) last += loss;
        }
        first /= 200;
        last /= 200;
        assertTrue(last < first - 0.2, "mean batch loss of the last 200 steps " + last + " vs the first 200 " + first);
        double devAfter = new Inference(m).loss(data.val);
        // Measured 2.393 (seed 42); ln 27 = 3.30 untrained, and a bigram count table scores ~2.45.
        assertTrue(devAfter < 2.5, "dev loss after 2,000 steps: " + devAfter);
    }

    // ---------------------------------------------------------------- inference

    @Test
    void inferenceLossAgreesWithTheGraphInEvalMode() {
        Config c = TestData.small();
        c.steps = 200;
        List<String> words = TestData.someNames(3000);
        Trainer t = trainer(words, c);
        while (!t.finished()) t.trainStep();
        Model m = t.model;
        Inference.calibrate(m, t.data.train);

        int n = 500;
        Dataset.Split dev = t.data.val;
        assertTrue(dev.size >= n);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        teagrad.nn.Sequential.Pass pass = m.pass(n);
        pass.load(dev, rows);
        float[] meanBefore = Chapter.bn(m).runningMean.clone();
        m.eval();
        pass.graph.forward();
        assertArrayEquals(meanBefore, Chapter.bn(m).runningMean, "eval mode leaves running stats alone");

        Dataset.Split chunk = new Dataset.Split(
            java.util.Arrays.copyOf(dev.x, n * c.blockSize), java.util.Arrays.copyOf(dev.y, n), c.blockSize);
        double viaTables = new Inference(m).loss(chunk);
        // Both are float32 computations of the same function, differing only in the order of
        // roundings: Inference sums C·W1 per position and folds batch norm into the tables,
        // the graph normalises hpreact. Each logit differs by a few ulps (~1e-6 relative), so
        // the mean loss (~2.5) agrees to ~1e-6; we allow 1e-5 relative.
        assertEquals(pass.loss.item(), viaTables, 1e-5 * Math.abs(viaTables),
            "Inference.loss vs graph loss in eval mode on " + n + " dev examples");
        assertTrue(viaTables > 1 && viaTables < 3.5, "a plausible loss: " + viaTables);
    }

    @Test
    void inferenceLossWithoutBatchNormAgreesWithTheGraph() {
        Config c = TestData.small();
        c.batchNorm = false;
        c.steps = 100;
        Trainer t = trainer(TestData.someNames(1000), c);
        while (!t.finished()) t.trainStep();
        Dataset.Split dev = t.data.val;
        int n = dev.size;
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        teagrad.nn.Sequential.Pass pass = t.model.pass(n);
        pass.load(dev, rows);
        pass.graph.forward();
        assertEquals(pass.loss.item(), new Inference(t.model).loss(dev), 1e-5 * pass.loss.item());
    }

    @Test
    void calibrateSetsRunningStatsToTheMeanAndUnbiasedVarianceOfHpreactOverTheSplit() {
        Config c = TestData.small();
        c.widths = new int[] {16};
        c.steps = 20;
        Trainer t = trainer(TestData.someNames(60), c);
        while (!t.finished()) t.trainStep();
        Model m = t.model;
        Dataset.Split train = t.data.train;

        Inference.calibrate(m, train);

        // hpreact of every training example through the graph, then mean and var by hand.
        int n = train.size, h = c.widths[0];
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        teagrad.nn.Sequential.Pass pass = m.pass(n);
        pass.load(train, rows);
        m.eval();
        pass.graph.forward();
        for (int j = 0; j < h; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += pass.output(2).data[i * h + j];
            mean /= n;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double d = pass.output(2).data[i * h + j] - mean;
                ss += d * d;
            }
            double unbiased = ss / (n - 1);
            // hpreact is float32 (sums of 30 products, summed in another order by Inference's
            // tables): each value is off by ~1e-6 of its magnitude, so the mean agrees to ~1e-6
            // of √E[x²] and the variance to ~2e-6 of E[x²]; we allow 1e-5. The biased variance
            // would be off by a factor (n−1)/n, i.e. 1/n ≈ 0.3% here, far above that.
            double secondMoment = unbiased + mean * mean;
            assertEquals(mean, Chapter.bn(m).runningMean[j], 1e-5 * Math.sqrt(secondMoment), "running mean " + j);
            assertEquals(unbiased, Chapter.bn(m).runningVar[j], 1e-5 * secondMoment, "running var " + j + " (unbiased)");
            assertTrue(Math.abs(ss / n - Chapter.bn(m).runningVar[j]) > 1e-5 * secondMoment * 10, "distinguishable from the biased variance");
        }
    }

    @Test
    void calibrateSetsEveryBatchNormOfADeepNetworkFromItsInputGivenTheOnesBefore() {
        Config c = Presets.apply("deep-batchnorm", TestData.small());
        c.widths = new int[] {12, 9, 7};
        c.steps = 20;
        Trainer t = trainer(TestData.someNames(60), c);
        while (!t.finished()) t.trainStep();
        Model m = t.model;
        Dataset.Split train = t.data.train;
        Inference.calibrate(m, train);

        // Every example through the calibrated network in eval mode: each batch norm's input has
        // the mean and unbiased variance it was set to (the inputs of later ones depend on the
        // calibrated earlier ones, so calibration goes layer by layer).
        int n = train.size;
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        teagrad.nn.Sequential.Pass pass = m.pass(n);
        pass.load(train, rows);
        m.eval();
        pass.graph.forward();
        int checked = 0;
        for (int layer = 1; layer < m.net.size(); layer++) {
            if (!(m.net.layer(layer) instanceof teagrad.nn.BatchNorm1d bn)) continue;
            float[] x = pass.output(layer - 1).data;
            int h = bn.features;
            for (int j = 0; j < h; j++) {
                double mean = 0, ss = 0;
                for (int i = 0; i < n; i++) mean += x[i * h + j];
                mean /= n;
                for (int i = 0; i < n; i++) ss += (x[i * h + j] - mean) * (x[i * h + j] - mean);
                double unbiased = ss / (n - 1), second = unbiased + mean * mean;
                // float32 through up to 10 layers, summed in other orders by Inference: 1e-4 relative
                assertEquals(mean, bn.runningMean[j], 1e-4 * Math.sqrt(second), "layer " + layer + " running mean " + j);
                assertEquals(unbiased, bn.runningVar[j], 1e-4 * second, "layer " + layer + " running var " + j);
            }
            checked++;
        }
        assertEquals(4, checked, "three hidden batch norms and the one on the logits");
    }

    @Test
    void calibrateWithoutBatchNormDoesNothing() {
        Config c = TestData.small();
        c.batchNorm = false;
        Trainer t = trainer(TestData.someNames(100), c);
        List<int[]> before = state(t.model);
        Inference.calibrate(t.model, t.data.train);
        assertSameState(before, state(t.model), "no batch norm, nothing to calibrate");
    }

    // ---------------------------------------------------------------- configuration

    static String refusal(java.util.function.Consumer<Config> edit) {
        Config c = new Config();
        edit.accept(c);
        return assertThrows(IllegalArgumentException.class, c::validate).getMessage();
    }

    @Test
    void validateRefusesImpossibleSettingsNamingTheField() {
        assertTrue(refusal(c -> c.batchSize = 1).contains("batchSize"));
        assertTrue(refusal(c -> c.batchSize = 1).contains("batch norm"));
        assertTrue(refusal(c -> c.widths = new int[] {0}).contains("widths"));
        assertTrue(refusal(c -> c.widths = new int[11]).contains("widths"));
        assertTrue(refusal(c -> c.lr = Float.NaN).contains("lr"));
        assertTrue(refusal(c -> c.lr = 0).contains("lr"));
        assertTrue(refusal(c -> c.lr = Float.POSITIVE_INFINITY).contains("lr"));
        assertTrue(refusal(c -> c.momentum = 2).contains("momentum"));
        assertTrue(refusal(c -> c.momentum = Float.NaN).contains("momentum"));
        assertTrue(refusal(c -> c.steps = -1).contains("steps"));
        assertTrue(refusal(c -> c.embedDim = 0).contains("embedDim"));
        assertTrue(refusal(c -> c.blockSize = Config.MAX_BLOCK + 1).contains("blockSize"));
        assertTrue(refusal(c -> c.eps = 0).contains("eps"));
        assertTrue(refusal(c -> c.seed = -1).contains("seed"));
        assertTrue(refusal(c -> c.lrDecayStep = -1).contains("lrDecayStep"));
    }

    @Test
    void validateAcceptsTheDefaultsAndBatchSizeOneWithoutBatchNorm() {
        assertDoesNotThrow(() -> new Config().validate());
        Config c = TestData.small();
        c.batchNorm = false;
        c.batchSize = 1;
        c.validate();
        Trainer t = trainer(TestData.someNames(200), c);
        for (int i = 0; i < 10; i++) assertTrue(Float.isFinite(t.trainStep()));
    }

    @Test
    void aModelCannotBeBuiltFromAnInvalidConfig() {
        Config c = new Config();
        c.widths = new int[] {0};
        assertThrows(IllegalArgumentException.class, () -> Model.init(c, Vocab.parse(".ab")));
    }

    @Test
    void theTrainerRefusesDataThatDoesNotFitTheModel() {
        Config c = TestData.small();
        Dataset data = new Dataset(TestData.someNames(200), c.blockSize, c.seed);
        Model otherVocab = Model.init(c, Vocab.parse(".abc"));
        assertThrows(IllegalArgumentException.class, () -> new Trainer(otherVocab, data));
        Dataset otherBlock = new Dataset(TestData.someNames(200), 4, c.seed);
        Model m = Model.init(c, data.vocab);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(m, otherBlock));
        assertTrue(e.getMessage().contains("block size"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"batchnorm", "deep-batchnorm", "deep-gain3"})
    void aRunSavedAndResumedIsTheSameRunBitForBit(String preset) {
        Config c = Presets.apply(preset, TestData.small());
        c.steps = 60;
        Dataset data = new Dataset(TestData.names().subList(0, 2000), c.blockSize, c.seed);
        Trainer whole = new Trainer(Model.init(c, data.vocab), data);
        float[] wholeLosses = new float[c.steps];
        for (int i = 0; i < c.steps; i++) wholeLosses[i] = whole.trainStep();

        Trainer first = new Trainer(Model.init(c, data.vocab), data);
        float[] resumedLosses = new float[c.steps];
        for (int i = 0; i < 25; i++) resumedLosses[i] = first.trainStep();
        ModelFile.Loaded saved = ModelFile.read(ModelFile.write(first.model, first.stepsDone()));
        Trainer resumed = new Trainer(saved.model, data, saved.step);   // replays the batch draws of 25 steps
        for (int i = 25; i < c.steps; i++) resumedLosses[i] = resumed.trainStep();

        assertArrayEquals(bits(wholeLosses), bits(resumedLosses), "every batch loss, before and after the resume");
        List<Tensor> a = whole.model.parameters(), b = resumed.model.parameters();
        for (int i = 0; i < a.size(); i++) assertArrayEquals(bits(a.get(i).data), bits(b.get(i).data), "parameter " + i);
        for (int k = 0; k < whole.model.batchNorms().size(); k++) {
            assertArrayEquals(bits(whole.model.batchNorms().get(k).runningVar), bits(resumed.model.batchNorms().get(k).runningVar), "running var " + k);
        }
    }

    // ---------------------------------------------------------------- continuing a run

    /** Batch losses of {@code n} more steps. */
    static float[] losses(Trainer t, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = t.trainStep();
        return out;
    }

    @Test
    void theGeneratorsStateNotTheStepDecidesTheBatchesOfAContinuedRun() {
        Config c = TestData.small();
        c.lrDecayStep = 0;   // the same learning rate at step 25 and at step 9,000,000
        Dataset data = new Dataset(TestData.someNames(1000), c.blockSize, c.seed);
        Trainer whole = new Trainer(Model.init(c, data.vocab), data);
        losses(whole, 25);
        ModelFile.Loaded saved = ModelFile.read(ModelFile.write(whole.model, 25, null, whole.batchState()));
        float[] goesOn = losses(whole, 10);

        // The file's step says 9 M: replaying 9 M × 32 draws would take seconds; the state takes none.
        Trainer far = new Trainer(saved.model, data, 9_000_000, saved.batchRng);
        assertArrayEquals(bits(goesOn), bits(losses(far, 10)), "the batches an uninterrupted run draws");
        assertEquals(9_000_010, far.stepsDone());
        assertEquals(null, far.resumeNote());
    }

    @Test
    void withoutTheGeneratorsStateANearStepIsReplayedAndAFarOneStartsTheBatchesAfreshWithANote() {
        Config c = TestData.small();
        Dataset data = new Dataset(TestData.someNames(1000), c.blockSize, c.seed);
        Trainer whole = new Trainer(Model.init(c, data.vocab), data);
        losses(whole, 25);
        Trainer near = new Trainer(whole.model, data, 25);
        assertArrayEquals(whole.batchState(), near.batchState(), "25 × 32 draws replayed");
        assertEquals(null, near.resumeNote());

        int far = (int) (Trainer.MAX_REPLAY / c.batchSize) + 1;
        Trainer fresh = new Trainer(whole.model, data, far);
        assertArrayEquals(new Rng(c.seed, Rng.BATCHES).state(), fresh.batchState(), "the run's first batches again");
        assertTrue(fresh.resumeNote().contains("fresh start"), fresh.resumeNote());
    }

    @Test
    void aDivergedStepIsUndoneWithItsDrawsSoTheRunGoesOnAsIfItHadNotHappened() {
        Config c = TestData.small();
        Dataset data = new Dataset(TestData.someNames(1000), c.blockSize, c.seed);
        Trainer uninterrupted = new Trainer(Model.init(c, data.vocab), data);
        losses(uninterrupted, 5);
        float[] want = losses(uninterrupted, 10);

        Trainer stopped = new Trainer(Model.init(c, data.vocab), data);
        losses(stopped, 5);
        float w = Chapter.last(stopped.model).weight.data[3];
        Chapter.last(stopped.model).weight.data[3] = Float.NaN;   // the step diverges (as too high a learning rate makes it)
        assertThrows(Trainer.Diverged.class, stopped::trainStep);
        Chapter.last(stopped.model).weight.data[3] = w;           // the cause gone, as with a lower learning rate
        ModelFile.Loaded saved = ModelFile.read(ModelFile.write(stopped.model, stopped.stepsDone(), null, stopped.batchState()));
        assertArrayEquals(bits(want), bits(losses(stopped, 10)), "continued in place");

        Trainer resumed = new Trainer(saved.model, data, saved.step, saved.batchRng);
        assertArrayEquals(bits(want), bits(losses(resumed, 10)), "resumed from the file saved after the stop");
    }
}
