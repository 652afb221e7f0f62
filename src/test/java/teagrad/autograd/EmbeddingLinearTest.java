package teagrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused {@link Ops#embeddingLinear} against the composition it replaces,
 * matmul(view(embedding(C, x)), W, b): same output and same gradients for C, W and b.
 *
 * <p>Both are float32 with sums taken in different orders, so they agree to roundoff: a few
 * units of 6e-8 times the ≤ 64 terms of a sum; 1e-5 relative to the largest magnitude leaves
 * a wide margin, while a wrong slot, position or transposition is off by O(1).
 */
class EmbeddingLinearTest {
    static final double TOL = 1e-5;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void fusedOpEqualsEmbeddingViewMatmulInValueAndGradients(int seed) {
        Random rnd = new Random(seed);
        int vocab = 1 + rnd.nextInt(30), dim = 1 + rnd.nextInt(12), block = 1 + rnd.nextInt(5);
        int rows = 1 + rnd.nextInt(40), m = 1 + rnd.nextInt(50);
        boolean bias = seed % 3 != 0;
        // Tokens from a random subset of the vocabulary: some never occur, others repeat.
        int used = 1 + rnd.nextInt(vocab);
        int[] ix = new int[rows * block];
        for (int r = 0; r < ix.length; r++) ix[r] = rnd.nextInt(used) * (vocab / used) % vocab;
        int[] targets = new int[rows];
        for (int i = 0; i < rows; i++) targets[i] = rnd.nextInt(m);
        float[] c = gaussian(rnd, vocab * dim), w = gaussian(rnd, block * dim * m), b = gaussian(rnd, m);

        Tensor c1 = Tensor.of("C", c, vocab, dim), w1 = Tensor.of("W", w, block * dim, m), b1 = bias ? Tensor.of("b", b, m) : null;
        Tensor fused = Ops.embeddingLinear(c1, ix, rows, block, w1, b1);
        Tensor c2 = Tensor.of("C", c, vocab, dim), w2 = Tensor.of("W", w, block * dim, m), b2 = bias ? Tensor.of("b", b, m) : null;
        Tensor plain = Ops.matmul(Ops.view(Ops.embedding(c2, ix, rows, block), rows, block * dim), w2, b2);
        assertArrayEquals(plain.shape, fused.shape, "shape");

        // Backward through a cross-entropy on top, so every row gets a different gradient.
        Graph g1 = new Graph(Ops.crossEntropy(fused, targets)), g2 = new Graph(Ops.crossEntropy(plain, targets));
        for (int round = 0; round < 2; round++) {   // twice: buffers are reused, gradients accumulate
            g1.forward();
            g2.forward();
            assertClose(plain.data, fused.data, "out (" + vocab + "×" + dim + ", block " + block + ", " + rows + " rows, " + m + " out)");
            g1.backward();
            g2.backward();
            assertClose(c2.grad, c1.grad, "dC");
            assertClose(w2.grad, w1.grad, "dW");
            if (bias) assertClose(b2.grad, b1.grad, "db");
        }
        // Rows of C no example uses get no gradient at all.
        for (int v = 0; v < vocab; v++) {
            boolean occurs = false;
            for (int t : ix) occurs |= t == v;
            if (!occurs) for (int d = 0; d < dim; d++) assertTrue(c1.grad[v * dim + d] == 0f, "dC of unused token " + v);
        }

        // A new minibatch in the same buffer re-runs the graph on it.
        for (int r = 0; r < ix.length; r++) ix[r] = rnd.nextInt(vocab);
        g1.forward();
        g2.forward();
        assertClose(plain.data, fused.data, "out after refilling the indices");
    }

    @Test
    void anIndexOutsideTheTableIsRefused() {
        Tensor c = new Tensor("C", 3, 2), w = new Tensor("W", 4, 5);
        Tensor out = Ops.embeddingLinear(c, new int[] {0, 3}, 1, 2, w, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Graph(out).forward());
        assertTrue(e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void aWeightThatDoesNotTakeBlockTimesEmbedInputsIsRefused() {
        Tensor c = new Tensor("C", 3, 2), w = new Tensor("W", 5, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.embeddingLinear(c, new int[4], 2, 2, w, null));
        assertTrue(e.getMessage().contains("[5, 4]"), e.getMessage());
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double scale = 0, worst = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= TOL * scale + 1e-12, what + ": max difference " + worst + " against max |value| " + scale);
    }
}
