package teagrad.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import teagrad.data.Vocab;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.model.Presets;

/** The embedding table in the plane: its own axes at size 2, its two principal components beyond. */
class EmbeddingPlaneTest {
    @Test
    void theEmbed2PresetDrawsTheTableAsItIs() {
        Config c = Presets.apply("embed2", new Config());
        assertEquals(2, c.embedDim);
        assertEquals("embed2", Presets.nameOf(c));
        assertEquals(10, Presets.apply("kaiming", c).embedDim, "another preset brings its own embedding size back");
        Model m = Model.init(c, Vocab.parse(".abc"));
        EmbeddingPlane p = EmbeddingPlane.of(m.net.embedding());
        float[] table = m.net.embedding().weight.data;
        assertFalse(p.projected);
        for (int r = 0; r < 4; r++) {
            assertEquals(table[2 * r], p.x[r]);
            assertEquals(table[2 * r + 1], p.y[r]);
        }
        assertEquals(1, p.xShare + p.yShare, 1e-9);
    }

    @Test
    void jacobiFindsTheEigenvectors() {
        Random rnd = new Random(3);
        int n = 12;
        double[][] a = new double[n][n], copy = new double[n][n], v = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = rnd.nextGaussian();
        for (int i = 0; i < n; i++) copy[i] = a[i].clone();
        double[] lambda = EmbeddingPlane.eigen(a, v);
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) av += copy[i][j] * v[j][k];
                assertEquals(lambda[k] * v[i][k], av, 1e-9, "A v = λ v for eigenpair " + k);
            }
        }
    }

    @Test
    void aTableSpreadAlongAPlaneIsSeenInThatPlane() {
        // 27 rows a·u + b·w + tiny noise in 10-D, u ⟂ w, a spread 3× wider than b: x recovers a, y recovers b.
        int rows = 27, dim = 10;
        Random rnd = new Random(5);
        double[] u = new double[dim], w = new double[dim];
        u[0] = u[3] = Math.sqrt(0.5);
        w[1] = 0.6;
        w[7] = 0.8;
        double[] a = new double[rows], b = new double[rows];
        float[] t = new float[rows * dim];
        for (int r = 0; r < rows; r++) {
            a[r] = 3 * rnd.nextGaussian();
            b[r] = rnd.nextGaussian();
        }
        double ab = 0, aa = 0, ma0 = mean(a), mb0 = mean(b);
        for (int r = 0; r < rows; r++) {
            ab += (a[r] - ma0) * (b[r] - mb0);
            aa += (a[r] - ma0) * (a[r] - ma0);
        }
        for (int r = 0; r < rows; r++) b[r] -= ab / aa * (a[r] - ma0);   // uncorrelated over these rows, so u and w are the components
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < dim; j++) t[r * dim + j] = (float) (a[r] * u[j] + b[r] * w[j] + 1e-3 * rnd.nextGaussian() + 5);
        }
        EmbeddingPlane p = EmbeddingPlane.of(t, rows, dim);
        assertTrue(p.projected);
        assertTrue(p.xShare > p.yShare && p.xShare + p.yShare > 0.999, p.xShare + " + " + p.yShare);
        double ma = mean(a), mb = mean(b);
        double sx = Math.signum(p.x[0] * (a[0] - ma)), sy = Math.signum(p.y[0] * (b[0] - mb));
        for (int r = 0; r < rows; r++) {
            assertEquals(a[r] - ma, sx * p.x[r], 0.01, "row " + r + " along the first component");
            assertEquals(b[r] - mb, sy * p.y[r], 0.01, "row " + r + " along the second");
        }
    }

    @Test
    void noOtherDirectionSpreadsTheCharactersWider() {
        Model m = Model.init(new Config(), Vocab.parse(".abcdefghijklmnopqrstuvwxyz"));
        float[] t = m.net.embedding().weight.data;
        int rows = 27, dim = 10;
        EmbeddingPlane p = EmbeddingPlane.of(t, rows, dim);
        double best = variance(p.x);
        Random rnd = new Random(9);
        for (int trial = 0; trial < 2000; trial++) {
            double[] d = new double[dim];
            double norm = 0;
            for (int j = 0; j < dim; j++) norm += (d[j] = rnd.nextGaussian()) * d[j];
            float[] proj = new float[rows];
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int j = 0; j < dim; j++) s += t[r * dim + j] * d[j] / Math.sqrt(norm);
                proj[r] = (float) s;
            }
            assertTrue(variance(proj) <= best * (1 + 1e-5), "direction " + trial);
        }
        assertArrayEquals(p.x, EmbeddingPlane.of(t, rows, dim).x, "the same table, the same picture");
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double variance(float[] v) {
        double m = 0, s = 0;
        for (float x : v) m += x / (double) v.length;
        for (float x : v) s += (x - m) * (x - m);
        return s / v.length;
    }
}
