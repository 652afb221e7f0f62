package teagrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import teagrad.nn.BatchNorm1d;

/** Behaviours of the ops beyond their gradients (those are in GradCheckTest). */
class OpsTest {

    // ---- cross-entropy

    @Test
    void crossEntropyOfLogitsOfPlusMinus1000IsFiniteAndEqualsTheAnalyticValue() {
        // row 0: target −1000 against a 1000 → loss 2000 (the other terms are e^−1000, e^−2000)
        // row 1: two logits of 1000, target one of them → loss ln 2
        // row 2: the target is the only large logit → loss log(1 + 2e^−2000) = 0
        Tensor logits = Tensor.of("logits", new float[] {
            1000, -1000, 0,
            -1000, 1000, 1000,
            1000, -1000, -1000}, 3, 3);
        int[] targets = {1, 2, 0};
        Tensor loss = Ops.crossEntropy(logits, targets);
        Graph g = new Graph(loss);
        g.forward();
        double expected = (2000 + Math.log(2) + 0) / 3;
        assertTrue(Float.isFinite(loss.item()), "loss " + loss.item());
        assertEquals(expected, loss.item(), 1e-6 * expected);

        g.backward();
        // d loss/d logits = (softmax − onehot)/n: row 0 → (1, −1, 0)/3; row 1 → (0, ½, −½)/3; row 2 → 0.
        float[] want = {1 / 3f, -1 / 3f, 0, 0, 1 / 6f, -1 / 6f, 0, 0, 0};
        for (int i = 0; i < want.length; i++) {
            assertTrue(Float.isFinite(logits.grad[i]), "grad " + i);
            assertEquals(want[i], logits.grad[i], 1e-7, "d loss/d logits[" + i + "]");
        }
    }

    @Test
    void crossEntropyOfUniformLogitsIsLogOfTheVocabularySize() {
        Tensor logits = new Tensor("logits", 4, 27);   // all zero
        Tensor loss = Ops.crossEntropy(logits, new int[] {0, 5, 26, 13});
        new Graph(loss).forward();
        assertEquals(Math.log(27), loss.item(), 1e-6);
    }

    @Test
    void crossEntropyRefusesATargetOutsideTheVocabulary() {
        Tensor logits = new Tensor("logits", 2, 3);
        Tensor loss = Ops.crossEntropy(logits, new int[] {0, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Graph(loss).forward());
        assertTrue(e.getMessage().contains("3"), e.getMessage());
    }

    // ---- matmul

    @Test
    void matmulShapeMismatchNamesBothShapes() {
        Tensor x = new Tensor("x", 4, 3), w = new Tensor("w", 5, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.matmul(x, w, null));
        assertTrue(e.getMessage().contains("[4, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("[5, 2]"), e.getMessage());
    }

    @Test
    void matmulBiasOfTheWrongLengthIsRefusedNamingItsShape() {
        Tensor x = new Tensor("x", 4, 3), w = new Tensor("w", 3, 2), b = new Tensor("b", 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.matmul(x, w, b));
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void matmulComputesTheProductWithWeightsStoredInByOut() {
        // [1 2; 3 4] · [1 0 2; 0 1 3] + [10 20 30]
        Tensor x = Tensor.of("x", new float[] {1, 2, 3, 4}, 2, 2);
        Tensor w = Tensor.of("w", new float[] {1, 0, 2, 0, 1, 3}, 2, 3);
        Tensor b = Tensor.of("b", new float[] {10, 20, 30}, 3);
        Tensor y = Ops.matmul(x, w, b);
        new Graph(y).forward();
        assertArrayEquals(new int[] {2, 3}, y.shape);
        assertArrayEquals(new float[] {11, 22, 38, 13, 24, 48}, y.data);
    }

    // ---- batch norm

    @Test
    void batchNormInTrainingModeRefusesABatchOfOne() {
        BatchNorm1d bn = new BatchNorm1d(3, 0.1f, 1e-5f);
        Tensor y = bn.apply(Tensor.of("x", new float[] {1, 2, 3}, 1, 3));
        Graph g = new Graph(y);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::forward);
        assertTrue(e.getMessage().contains("Expected more than 1 value per channel when training"), e.getMessage());
    }

    @Test
    void batchNormInEvalModeAcceptsABatchOfOneAndLeavesTheRunningStatsAlone() {
        BatchNorm1d bn = new BatchNorm1d(2, 0.1f, 1e-5f);
        bn.runningMean[0] = 0.5f;
        bn.runningMean[1] = -2f;
        bn.runningVar[0] = 4f;
        bn.runningVar[1] = 0.25f;
        bn.train(false);
        Tensor y = bn.apply(Tensor.of("x", new float[] {2.5f, -1f}, 1, 2));
        Graph g = new Graph(y);
        g.forward();
        g.forward();
        assertArrayEquals(new float[] {0.5f, -2f}, bn.runningMean);
        assertArrayEquals(new float[] {4f, 0.25f}, bn.runningVar);
        // (2.5 − 0.5)/√(4 + ε) ≈ 1, (−1 + 2)/√(0.25 + ε) ≈ 2
        assertEquals(2 / Math.sqrt(4 + 1e-5), y.data[0], 1e-6);
        assertEquals(1 / Math.sqrt(0.25 + 1e-5), y.data[1], 1e-6);
    }

    @Test
    void batchNormInTrainingModeUpdatesRunningMeanWithMomentumAndRunningVarWithTheUnbiasedVariance() {
        // x = [[1, 2], [3, 6], [5, 1]]: feature 0 has mean 3, squared deviations 4+0+4 = 8,
        // so biased var 8/3 and unbiased var 8/2 = 4; feature 1 has mean 3, deviations −1, 3, −2,
        // squares 14, unbiased var 7.
        BatchNorm1d bn = new BatchNorm1d(2, 0.1f, 1e-5f);
        Tensor y = bn.apply(Tensor.of("x", new float[] {1, 2, 3, 6, 5, 1}, 3, 2));
        Graph g = new Graph(y);
        g.forward();
        // running = 0.9·running + 0.1·batch, from mean 0 / var 1
        assertEquals(0.3, bn.runningMean[0], 1e-6);
        assertEquals(0.3, bn.runningMean[1], 1e-6);
        assertEquals(0.9 * 1 + 0.1 * 4, bn.runningVar[0], 1e-6);
        assertEquals(0.9 * 1 + 0.1 * 7, bn.runningVar[1], 1e-6);
        // and the output is normalised with the *biased* variance
        assertEquals((1 - 3) / Math.sqrt(8.0 / 3 + 1e-5), y.data[0], 1e-6);
        assertEquals((6 - 3) / Math.sqrt(14.0 / 3 + 1e-5), y.data[3], 1e-6);

        g.forward();   // a second step on the same batch compounds
        assertEquals(0.9 * 0.3 + 0.1 * 3, bn.runningMean[0], 1e-6);
        assertEquals(0.9 * 1.3 + 0.1 * 4, bn.runningVar[0], 1e-6);
    }

    @Test
    void batchNormRefusesAnInputWithTheWrongNumberOfFeatures() {
        BatchNorm1d bn = new BatchNorm1d(4, 0.1f, 1e-5f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.apply(new Tensor("x", 3, 5)));
        assertTrue(e.getMessage().contains("[3, 5]"), e.getMessage());
    }

    // ---- view

    @Test
    void viewSharesDataAndGradWithItsBase() {
        Tensor x = Tensor.of("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 1, 3);
        Tensor v = Ops.view(x, 2, 3);
        assertArrayEquals(new int[] {2, 3}, v.shape);
        assertSame(x.data, v.data, "same data array");
        assertSame(x.grad, v.grad, "same grad array");
        x.data[4] = 42;
        assertEquals(42, v.data[4]);
        v.grad[1] = 7;
        assertEquals(7, x.grad[1]);
    }

    @Test
    void viewOfTheWrongSizeIsRefusedNamingBothShapes() {
        Tensor x = new Tensor("x", 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.view(x, 4, 2));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
    }

    // ---- embedding

    @Test
    void embeddingGathersRowsOfTheTable() {
        Tensor table = Tensor.of("C", new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
        int[] ix = {2, 0, 1, 2};
        Tensor e = Ops.embedding(table, ix, 2, 2);
        Graph g = new Graph(e);
        g.forward();
        assertArrayEquals(new float[] {20, 21, 0, 1, 10, 11, 20, 21}, e.data);
        ix[0] = 1;   // refilling the index buffer and re-running gives the new minibatch
        g.forward();
        assertArrayEquals(new float[] {10, 11, 0, 1, 10, 11, 20, 21}, e.data);
    }

    @Test
    void embeddingWithAnIndexPastTheTableThrowsNamingIt() {
        Tensor table = new Tensor("C", 3, 2);
        Tensor e = Ops.embedding(table, new int[] {0, 3}, 1, 2);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new Graph(e).forward());
        assertTrue(ex.getMessage().contains("3"), ex.getMessage());
    }

    @Test
    void embeddingWithANegativeIndexThrows() {
        Tensor table = new Tensor("C", 3, 2);
        Tensor e = Ops.embedding(table, new int[] {-1, 0}, 1, 2);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new Graph(e).forward());
        assertTrue(ex.getMessage().contains("-1"), ex.getMessage());
    }

    @Test
    void embeddingRefusesTooFewIndices() {
        assertThrows(IllegalArgumentException.class, () -> Ops.embedding(new Tensor("C", 3, 2), new int[3], 2, 2));
    }

    // ---- graph

    @Test
    void backwardNeedsASingleValueOutput() {
        Tensor y = Ops.tanh(new Tensor("x", 2, 2));
        Graph g = new Graph(y);
        g.forward();
        assertThrows(IllegalStateException.class, g::backward);
    }

    @Test
    void aTensorUsedTwiceGetsBothGradientContributions() {
        // a = tanh(x) feeds both factors of the outer product a·aᵀ (a diamond in the graph), so
        // d loss/d a must be the sum of the contributions through both uses.
        Tensor x = Tensor.of("x", new float[] {0.3f, -0.2f}, 2);
        Tensor a = Ops.tanh(x);
        Tensor outer = Ops.matmul(Ops.view(a, 2, 1), Ops.view(a, 1, 2), null);
        Tensor loss = Ops.crossEntropy(Ops.view(outer, 1, 4), new int[] {0});
        Graph g = new Graph(loss);
        g.forward();
        g.backward();
        // By hand: z = (a0², a0·a1, a1·a0, a1²), loss = −log softmax(z)[0].
        double a0 = Math.tanh(0.3), a1 = Math.tanh(-0.2);
        double[] z = {a0 * a0, a0 * a1, a1 * a0, a1 * a1};
        double sum = 0;
        for (double v : z) sum += Math.exp(v);
        double[] dz = new double[4];
        for (int i = 0; i < 4; i++) dz[i] = Math.exp(z[i]) / sum - (i == 0 ? 1 : 0);
        double da0 = 2 * a0 * dz[0] + a1 * (dz[1] + dz[2]);
        double da1 = 2 * a1 * dz[3] + a0 * (dz[1] + dz[2]);
        assertEquals(da0 * (1 - a0 * a0), x.grad[0], 1e-6);
        assertEquals(da1 * (1 - a1 * a1), x.grad[1], 1e-6);
    }
}
