package teagrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import teagrad.data.Rng;

/**
 * The fast matrix products agree with the textbook triple loop, for shapes that take each
 * layout branch (the longer of two dimensions inside) and the four-rows-per-pass tails.
 */
class KernelsTest {
    /** Products of up to ~200 float terms: a few hundred ulp of the largest partial sum at most. */
    static final double TOL = 1e-5;

    @ParameterizedTest(name = "n={0} k={1} m={2}")
    @CsvSource({"32,30,200", "32,200,27", "32,200,30", "200,32,27", "30,32,200", "1,1,1", "5,7,3", "3,5,7", "7,3,5", "33,6,4", "4,6,33", "6,33,4"})
    void everyProductMatchesTheTripleLoop(int n, int k, int m) {
        Rng rng = new Rng(n * 10_000 + k * 100 + m, Rng.INIT);
        float[] x = random(n * k, rng), w = random(k * m, rng), b = random(m, rng), dy = random(n * m, rng);
        Kernels.Scratch s = new Kernels.ArrayScratch();

        float[] y = new float[n * m];
        Kernels.matmulBias(x, w, b, y, n, k, m, s);
        double[] expected = new double[n * m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) {
            double sum = b[j];
            for (int p = 0; p < k; p++) sum += (double) x[i * k + p] * w[p * m + j];
            expected[i * m + j] = sum;
        }
        assertClose(expected, y, "y = x·w + b");

        Kernels.matmulBias(x, w, null, y, n, k, m, s);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) expected[i * m + j] -= b[j];
        assertClose(expected, y, "y = x·w");

        float[] dx = random(n * k, rng), dx0 = dx.clone();   // gradients accumulate: start from non-zero
        Kernels.addMatmulTransB(dy, w, dx, n, k, m, s);
        double[] edx = new double[n * k];
        for (int i = 0; i < n; i++) for (int p = 0; p < k; p++) {
            double sum = dx0[i * k + p];
            for (int j = 0; j < m; j++) sum += (double) dy[i * m + j] * w[p * m + j];
            edx[i * k + p] = sum;
        }
        assertClose(edx, dx, "dx += dy·wᵀ");

        float[] dw = random(k * m, rng), dw0 = dw.clone();
        Kernels.addMatmulTransA(x, dy, dw, n, k, m, s);
        double[] edw = new double[k * m];
        for (int p = 0; p < k; p++) for (int j = 0; j < m; j++) {
            double sum = dw0[p * m + j];
            for (int i = 0; i < n; i++) sum += (double) x[i * k + p] * dy[i * m + j];
            edw[p * m + j] = sum;
        }
        assertClose(edw, dw, "dw += xᵀ·dy");
    }

    /**
     * Eval's fused kernel is its steps, to the bit: a lookup table's rows summed, tanh'd and
     * multiplied (along the rows of w where the scratch goes that way, whereas matmulBias may go
     * along the columns of x: the same sums in the same order).
     */
    @ParameterizedTest(name = "n={0} k={1} m={2}")
    @CsvSource({"256,200,27", "32,200,27", "1,1,1", "5,7,3", "33,6,4", "4,6,33", "256,100,100"})
    void evalsFusedKernelGivesTheBitsOfItsSteps(int n, int k, int m) {
        Rng rng = new Rng(n * 10_000 + k * 100 + m, Rng.INIT);
        float[] w = random(k * m, rng), b = random(m, rng);
        Kernels.Scratch s = new Kernels.ArrayScratch();
        float[] h = new float[n * k], expected = new float[n * m], y = new float[n * m];
        int per = 3, tableRows = 27;
        float[] table = random(tableRows * k, rng), first = random(k, rng);
        for (int i = 0; i < table.length; i += 5) table[i] *= 4;   // some sums saturate the tanh
        int[] at = new int[n * per];
        for (int i = 0; i < at.length; i++) at[i] = rng.nextInt(tableRows) * k;
        Kernels.sumRows(table, first, at, n, per, k, h);
        for (int r = 0; r < n; r++) for (int j = 0; j < k; j++) {
            float v = first[j];
            for (int p = 0; p < per; p++) v += table[at[r * per + p] + j];
            assertEquals(v, h[r * k + j], "row sum at " + r + "," + j);
        }
        Kernels.tanh(h, h, n * k, s);
        Kernels.matmulBias(h, w, b, expected, n, k, m, s);
        if (Kernels.summedIntoCoefficients(n, k, m, s)) {
            Kernels.sumTanhMatmulBias(table, first, at, per, w, b, y, n, k, m, s);
            assertArrayEquals(expected, y, "tanh(Σ table rows)·w + b");
        } else {
            assertThrows(IllegalArgumentException.class, () -> Kernels.sumTanhMatmulBias(table, first, at, per, w, b, y, n, k, m, s));
        }
    }

    static float[] random(int size, Rng rng) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = rng.nextGaussian();
        return a;
    }

    static void assertClose(double[] expected, float[] actual, String what) {
        double scale = 1, worst = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= TOL * scale, what + ": max error " + worst + " > " + TOL * scale);
    }
}
