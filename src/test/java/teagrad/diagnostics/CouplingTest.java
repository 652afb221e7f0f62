package teagrad.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import teagrad.Chapter;
import teagrad.TestData;
import teagrad.autograd.FMath;
import teagrad.data.Dataset;
import teagrad.inference.Inference;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.nn.BatchNorm1d;

/**
 * The batch-coupling explorer on names.txt: in training mode an example's activations,
 * probability and loss move with the batch it is in; in eval mode they do not move at all.
 */
class CouplingTest {
    static Dataset data;
    static Model model;    // the chapter's network after 1,000 steps
    static int[] emm;      // the context "emm"
    static int a;

    @BeforeAll
    static void train() {
        TestData.Chapter chapter = TestData.chapter(2, 1000);
        data = chapter.data();
        model = chapter.model();
        emm = Coupling.context(data.vocab, 3, "emm");
        a = data.vocab.index('a');
    }

    @Test
    void inTrainingModeTheExampleMovesWithItsBatchAndInEvalModeNotAtAll() {
        for (int layer : new int[] {3, 4}) {   // hpreact (the batch norm's output) and h (the tanh's)
            Coupling c = Coupling.explore(model, data.train, emm, a, layer, 25, 1);
            assertEquals(200, c.units);
            double trainSpread = 0;
            for (float s : c.activationSpread(true)) trainSpread = Math.max(trainSpread, s);
            // Measured on this model: up to ~0.1 for hpreact (batch statistics of 32 examples are noisy)
            assertTrue(trainSpread > 0.01, "layer " + layer + " spreads in training mode: " + trainSpread);
            assertTrue(c.probSpread(true) > 0 && c.lossSpread(true) > 0);
            for (float s : c.activationSpread(false)) assertEquals(0f, s);
            assertEquals(0.0, c.probSpread(false));
            assertEquals(0.0, c.lossSpread(false));
            for (int j = 1; j < c.k; j++) {   // not just a small spread: the same bits in every batch
                assertArrayEquals(Arrays.copyOf(c.evalActivations, c.units), Arrays.copyOfRange(c.evalActivations, j * c.units, (j + 1) * c.units));
            }
        }
    }

    @Test
    void inEvalModeTheExampleGetsWhatInferenceGivesIt() {
        Coupling c = Coupling.explore(model, data.train, emm, a, 4, 3, 5);
        float[] logits = new float[data.vocab.size()];
        new Inference(model).logits(emm, 0, logits);
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float l : logits) max = Math.max(max, l);
        for (float l : logits) sum += FMath.exp((float) (l - max));
        double p = FMath.exp((float) (logits[a] - max)) / sum;
        assertEquals(p, c.evalProb[0], 1e-5);
        assertEquals(-Math.log(p), c.evalLoss[0], 1e-4);
        // and training mode lands around it: the running statistics estimate what batches do
        double mean = 0;
        for (float q : c.trainProb) mean += q / c.k;
        assertEquals(p, mean, 0.1);
    }

    @Test
    void exploringLeavesTheModelAsItWas() {
        BatchNorm1d bn = Chapter.bn(model);
        float[] mean = bn.runningMean.clone(), var = bn.runningVar.clone();
        model.eval();
        Coupling.explore(model, data.train, emm, a, 3, 10, 3);
        assertArrayEquals(mean, bn.runningMean);
        assertArrayEquals(var, bn.runningVar);
        assertFalse(bn.training(), "still in eval mode");
        model.train();
        Coupling.explore(model, data.train, emm, a, 3, 10, 3);
        assertTrue(bn.training(), "still in training mode");
    }

    @Test
    void withoutBatchNormNothingCouplesTheExamples() {
        Config c = TestData.small();
        c.batchNorm = false;
        Model plain = Model.init(c, data.vocab);
        Coupling k = Coupling.explore(plain, data.train, emm, a, 2, 10, 1);
        for (float s : k.activationSpread(true)) assertEquals(0f, s);
        assertEquals(0.0, k.lossSpread(true));
    }

    @Test
    void typedLettersArePaddedWithDotsAsTheDataSetDoes() {
        int m = data.vocab.index('m'), e = data.vocab.index('e');
        assertArrayEquals(new int[] {0, m, m}, Coupling.context(data.vocab, 3, "mm"));
        assertArrayEquals(new int[] {0, 0, 0}, Coupling.context(data.vocab, 3, ""));
        assertArrayEquals(new int[] {m, m, a}, Coupling.context(data.vocab, 3, "emma"));
        assertArrayEquals(new int[] {e, m, m}, emm);
        String message = assertThrows(IllegalArgumentException.class, () -> Coupling.context(data.vocab, 3, "éa")).getMessage();
        assertTrue(message.contains("'é'"), message);
    }

    @Test
    void theMostCommonNextCharacterComesFromTheSplit() {
        // names.txt: more names start with 'a' than with any other letter
        assertEquals(a, Coupling.mostCommonNext(data.train, new int[] {0, 0, 0}));
        int q = data.vocab.index('q'), x = data.vocab.index('x');
        assertEquals(-1, Coupling.mostCommonNext(data.train, new int[] {q, x, q}), "a context that never occurs");
    }

    @Test
    void whatDoesNotFitTheModelIsRefusedByName() {
        assertThrows(IllegalArgumentException.class, () -> Coupling.explore(model, data.train, new int[] {0, 0}, a, 3, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> Coupling.explore(model, data.train, emm, 99, 3, 5, 1));
        String layer = assertThrows(IllegalArgumentException.class, () -> Coupling.explore(model, data.train, emm, a, 9, 5, 1)).getMessage();
        assertEquals("layer must be between 1 and 5, got 9", layer);
        assertThrows(IllegalArgumentException.class, () -> Coupling.explore(model, data.train, emm, a, 3, 0, 1));
    }
}
