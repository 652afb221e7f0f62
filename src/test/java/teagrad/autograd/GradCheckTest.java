package teagrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teagrad.autograd.FiniteDifference.H;
import static teagrad.autograd.FiniteDifference.assertGradClose;
import static teagrad.autograd.FiniteDifference.dot;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import teagrad.Float64;
import teagrad.autograd.FiniteDifference.Reference;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.data.Vocab;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Embedding;
import teagrad.nn.Layer;
import teagrad.nn.Linear;
import teagrad.nn.Sequential;
import teagrad.nn.Tanh;

/**
 * Every op's backward against central finite differences of an independent, textbook
 * double-precision forward written here (not the code under test).
 *
 * <p>For an op out = f(inputs) we take L = Σ r_i·out_i with fixed random weights r; then
 * dL/d(input) is exactly what the op's backward computes when out.grad = r. The finite
 * difference (L(x + h) − L(x − h)) / 2h is taken on the double reference at the very same
 * (float-representable) input values.
 *
 * <p>Tolerances. Forward: ours is float32, so each output is off by a few units of roundoff
 * (u = 6e-8) times the number of terms summed (≤ 30 here); 1e-5 relative to the largest output
 * leaves a 100× margin. Backward: the analytic gradient is float32 (relative error ≲ 1e-6 of
 * the largest magnitude for sums this short); the finite difference in double with h = 1e-6
 * has truncation error ~h²·|f'''| ≈ 1e-12 and cancellation error ~1e-16·|L|/h ≈ 1e-10. We
 * allow 1e-4 × max|gradient| (+1e-7 absolute for all-zero gradients): 100× the expected error,
 * while any wrong formula (a missing term, a transposed product, a Bessel factor in the
 * training-mode backward) is off by O(1) relative.
 */
class GradCheckTest {
    static final double FORWARD_TOL = 1e-5;

    // ---------------------------------------------------------------- harness

    static float[] gaussian(Random rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextGaussian() * scale);
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    static void assertForwardClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": output size");
        double scale = Math.max(1, maxAbs(expected));
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            assertTrue(err <= FORWARD_TOL * scale,
                what + " forward[" + i + "]: ours " + actual[i] + ", reference " + expected[i]);
        }
    }

    /**
     * Runs the op's forward through a Graph, compares it with the reference, then sets
     * out.grad = r, runs each backward of the op in order and compares every input's grad with
     * the finite difference. {@code inputs} are the op's inputs in the order the reference
     * takes them (and in which the op declared them).
     */
    static void check(String what, Tensor out, Tensor[] inputs, Reference ref, Random rnd) {
        assertEquals(inputs.length, out.inputs.length, what + ": number of inputs");
        for (int q = 0; q < inputs.length; q++) assertSame(inputs[q], out.inputs[q], what + ": input " + q);

        new Graph(out).forward();
        double[][] x = new double[inputs.length][];
        for (int q = 0; q < inputs.length; q++) x[q] = toDouble(inputs[q].data);
        assertForwardClose(ref.apply(x), out.data, what);

        float[] r = gaussian(rnd, out.size(), 1);
        for (Tensor t : inputs) t.zeroGrad();
        System.arraycopy(r, 0, out.grad, 0, r.length);
        for (Runnable b : out.backward) b.run();

        for (int q = 0; q < inputs.length; q++) {
            assertGradClose(FiniteDifference.of(ref, x, q, r), inputs[q].grad, what + " d/d " + inputs[q].name);
        }
    }

    static Tensor leaf(String name, Random rnd, double scale, int... shape) {
        Tensor t = new Tensor(name, shape);
        System.arraycopy(gaussian(rnd, t.size(), scale), 0, t.data, 0, t.size());
        return t;
    }

    // ---------------------------------------------------------------- the ops

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void embeddingBackwardScatterAddsIntoTheRowsItRead(int seed) {
        Random rnd = new Random(seed);
        int vocab = 2 + rnd.nextInt(5), dim = 1 + rnd.nextInt(4), rows = 1 + rnd.nextInt(5), block = 1 + rnd.nextInt(4);
        Tensor table = leaf("table", rnd, 1, vocab, dim);
        int[] ix = new int[rows * block];
        for (int i = 0; i < ix.length; i++) ix[i] = rnd.nextInt(vocab);
        ix[ix.length - 1] = ix[0];   // at least one row used twice (or the same slot) → accumulated gradient
        Tensor out = Ops.embedding(table, ix, rows, block);
        assertArrayEquals(new int[] {rows, block, dim}, out.shape, "embedding output shape");
        check("embedding", out, new Tensor[] {table}, in -> {
            double[] y = new double[rows * block * dim];
            for (int r = 0; r < rows * block; r++) {
                for (int d = 0; d < dim; d++) y[r * dim + d] = in[0][ix[r] * dim + d];
            }
            return y;
        }, rnd);
    }

    @Test
    void embeddingGradientOfARowUsedThreeTimesIsTheSumOfTheThreeOutputGradients() {
        Tensor table = Tensor.of("table", new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        int[] ix = {2, 0, 2, 2};
        Tensor out = Ops.embedding(table, ix, 2, 2);
        new Graph(out).forward();
        float[] g = {1, 10, 100, 1000, 10000, 100000, 1e6f, 1e7f};
        System.arraycopy(g, 0, out.grad, 0, g.length);
        out.backward[0].run();
        // row 2 was read at positions 0, 2 and 3; row 0 at position 1; row 1 never.
        assertArrayEquals(new float[] {100, 1000, 0, 0, 1 + 10000 + 1e6f, 10 + 100000 + 1e7f}, table.grad);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void viewPassesTheGradientStraightThrough(int seed) {
        Random rnd = new Random(seed);
        int a = 1 + rnd.nextInt(4), b = 1 + rnd.nextInt(4), c = 1 + rnd.nextInt(4);
        Tensor x = leaf("x", rnd, 1, a, b, c);
        Tensor out = Ops.view(x, a, b * c);
        check("view", out, new Tensor[] {x}, in -> in[0].clone(), rnd);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void matmulWithoutBias(int seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(5), k = 1 + rnd.nextInt(6), m = 1 + rnd.nextInt(6);
        Tensor x = leaf("x", rnd, 1, n, k), w = leaf("w", rnd, 1, k, m);
        Tensor out = Ops.matmul(x, w, null);
        assertArrayEquals(new int[] {n, m}, out.shape);
        check("matmul", out, new Tensor[] {x, w}, in -> Float64.matmul(in[0], in[1], null, n, k, m), rnd);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void matmulWithBias(int seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(5), k = 1 + rnd.nextInt(6), m = 1 + rnd.nextInt(6);
        Tensor x = leaf("x", rnd, 1, n, k), w = leaf("w", rnd, 1, k, m), b = leaf("b", rnd, 1, m);
        Tensor out = Ops.matmul(x, w, b);
        check("matmul+bias", out, new Tensor[] {x, w, b}, in -> Float64.matmul(in[0], in[1], in[2], n, k, m), rnd);
    }

    /** Shapes around the blocking and unrolling widths a fast kernel may use (4, 8, 16…), and the chapter's own. */
    @ParameterizedTest(name = "[{0}×{1}]·[{1}×{2}]")
    @org.junit.jupiter.params.provider.CsvSource({
        "1, 1, 1", "1, 4, 1", "2, 3, 5", "4, 4, 4", "3, 5, 8", "5, 7, 9", "8, 8, 3", "7, 9, 16",
        "2, 17, 13", "9, 12, 5", "6, 30, 27", "3, 33, 6"})
    void matmulOnShapesThatExerciseUnrolledAndBlockedLoops(int n, int k, int m) {
        Random rnd = new Random(31L * n + 7L * k + m);
        Tensor x = leaf("x", rnd, 1, n, k), w = leaf("w", rnd, 1, k, m), b = leaf("b", rnd, 1, m);
        check("matmul+bias " + n + "x" + k + "x" + m, Ops.matmul(x, w, b), new Tensor[] {x, w, b},
            in -> Float64.matmul(in[0], in[1], in[2], n, k, m), rnd);
        Tensor x2 = leaf("x", rnd, 1, n, k), w2 = leaf("w", rnd, 1, k, m);
        check("matmul " + n + "x" + k + "x" + m, Ops.matmul(x2, w2, null), new Tensor[] {x2, w2},
            in -> Float64.matmul(in[0], in[1], null, n, k, m), rnd);
    }

    @ParameterizedTest(name = "batch {0}, features {1}")
    @org.junit.jupiter.params.provider.CsvSource({"2, 1", "3, 8", "32, 17", "5, 33"})
    void batchNormTrainingModeOnLargerShapes(int m, int n) {
        Random rnd = new Random(17L * m + n);
        BatchNorm1d bn = new BatchNorm1d(n, 0.1f, 1e-5f);
        for (int j = 0; j < n; j++) {
            bn.gamma.data[j] = (float) (1 + 0.5 * rnd.nextGaussian());
            bn.beta.data[j] = (float) (0.5 * rnd.nextGaussian());
        }
        Tensor x = leaf("x", rnd, 3, m, n);
        Tensor out = bn.apply(x);
        double eps = bn.eps;
        check("batchnorm(train) " + m + "x" + n, out, new Tensor[] {x, bn.gamma, bn.beta},
            in -> Float64.batchNormTrain(in[0], in[1], in[2], m, n, eps), rnd);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void batchNormTrainingModeGradientsOfXGammaAndBeta(int seed) {
        Random rnd = new Random(seed);
        int m = 2 + rnd.nextInt(6), n = 1 + rnd.nextInt(5);
        BatchNorm1d bn = new BatchNorm1d(n, 0.1f, 1e-5f);
        System.arraycopy(gaussian(rnd, n, 0.5), 0, bn.gamma.data, 0, n);
        for (int j = 0; j < n; j++) bn.gamma.data[j] += 1;
        System.arraycopy(gaussian(rnd, n, 0.5), 0, bn.beta.data, 0, n);
        Tensor x = leaf("x", rnd, 2, m, n);
        for (int i = 0; i < x.size(); i++) x.data[i] += 0.7f;   // a non-zero mean to remove
        bn.train(true);
        Tensor out = bn.apply(x);
        double eps = bn.eps;
        check("batchnorm(train)", out, new Tensor[] {x, bn.gamma, bn.beta},
            in -> Float64.batchNormTrain(in[0], in[1], in[2], m, n, eps), rnd);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void batchNormEvalModeGradientsOfXGammaAndBeta(int seed) {
        Random rnd = new Random(seed);
        int m = 1 + rnd.nextInt(6), n = 1 + rnd.nextInt(5);
        BatchNorm1d bn = new BatchNorm1d(n, 0.1f, 1e-5f);
        for (int j = 0; j < n; j++) {
            bn.gamma.data[j] = (float) (1 + 0.5 * rnd.nextGaussian());
            bn.beta.data[j] = (float) (0.5 * rnd.nextGaussian());
            bn.runningMean[j] = (float) rnd.nextGaussian();
            bn.runningVar[j] = (float) (0.2 + 3 * rnd.nextDouble());
        }
        float[] runMean = bn.runningMean.clone(), runVar = bn.runningVar.clone();
        Tensor x = leaf("x", rnd, 2, m, n);
        bn.train(false);
        Tensor out = bn.apply(x);
        double eps = bn.eps;
        check("batchnorm(eval)", out, new Tensor[] {x, bn.gamma, bn.beta},
            in -> Float64.batchNormEval(in[0], in[1], in[2], runMean, runVar, m, n, eps), rnd);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void tanh(int seed) {
        Random rnd = new Random(seed);
        int a = 1 + rnd.nextInt(5), b = 1 + rnd.nextInt(5);
        Tensor x = leaf("x", rnd, 1.5, a, b);
        check("tanh", Ops.tanh(x), new Tensor[] {x}, in -> Float64.tanh(in[0]), rnd);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void crossEntropy(int seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(6), v = 2 + rnd.nextInt(6);
        Tensor logits = leaf("logits", rnd, 2, n, v);
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) targets[i] = rnd.nextInt(v);
        Tensor loss = Ops.crossEntropy(logits, targets);
        check("crossEntropy", loss, new Tensor[] {logits},
            in -> new double[] {Float64.crossEntropy(in[0], targets, n, v)}, rnd);
    }

    // ---------------------------------------------------------------- the whole network

    enum Mode { BATCH_NORM_TRAINING, BATCH_NORM_EVAL, NO_BATCH_NORM }

    /**
     * A small network (vocab 5, block 2, embed 3, batch 6) with non-trivial parameters: the
     * chapter's shape (one hidden layer of 4) or a deep one (hidden 4, 3, 5; with batch norm also
     * on the logits, as the lecture's deep net has it).
     */
    static final class Net {
        final Model model;
        final Sequential.Pass pass;
        final Mode mode;
        final java.util.Map<BatchNorm1d, float[][]> saved = new java.util.HashMap<>();   // running stats before the forward

        Net(Mode mode, long seed, boolean deep) {
            this.mode = mode;
            Config c = new Config();
            c.embedDim = 3;
            c.blockSize = 2;
            c.widths = deep ? new int[] {4, 3, 5} : new int[] {4};
            c.batchSize = 6;
            c.batchNorm = mode != Mode.NO_BATCH_NORM;
            c.outBatchNorm = deep && c.batchNorm;
            model = Model.init(c, Vocab.parse(".abcd"));
            Random rnd = new Random(seed);
            // The notebook's init makes the output weights ≈ 0.01, which would make most gradients
            // tiny; use O(1) values everywhere so every path carries a clearly measurable gradient.
            for (BatchNorm1d bn : model.batchNorms()) {
                for (int j = 0; j < bn.features; j++) {
                    bn.runningMean[j] = (float) rnd.nextGaussian();
                    bn.runningVar[j] = (float) (0.3 + 2 * rnd.nextDouble());
                }
            }
            for (Tensor p : model.parameters()) {
                boolean gamma = model.batchNorms().stream().anyMatch(bn -> bn.gamma == p);
                float[] g = gaussian(rnd, p.size(), 0.8);
                for (int i = 0; i < g.length; i++) p.data[i] = g[i] + (gamma ? 1f : 0f);   // γ around 1
            }
            pass = model.pass(c.batchSize);
            for (int i = 0; i < pass.x.length; i++) pass.x[i] = rnd.nextInt(5);   // 12 indices from 5: repeats
            for (int i = 0; i < pass.y.length; i++) pass.y[i] = rnd.nextInt(5);
            if (mode == Mode.BATCH_NORM_EVAL) model.eval(); else model.train();
        }

        void saveRunningStats() {
            for (BatchNorm1d bn : model.batchNorms()) saved.put(bn, new float[][] {bn.runningMean.clone(), bn.runningVar.clone()});
        }

        /** The whole network in double, layer by layer, from parameters listed as model.parameters() lists them. */
        double loss(double[][] p) {
            int B = pass.batch, block = model.config.blockSize, k = 0;
            double[] h = null;
            int width = 0;
            for (Layer l : model.net.layers()) {
                if (l instanceof Embedding e) {
                    double[] C = p[k++];
                    width = block * e.dim;
                    h = new double[B * width];
                    for (int r = 0; r < B * block; r++) {
                        for (int d = 0; d < e.dim; d++) h[r * e.dim + d] = C[pass.x[r] * e.dim + d];
                    }
                } else if (l instanceof Linear lin) {
                    double[] w = p[k++], b = lin.bias != null ? p[k++] : null;
                    h = Float64.matmul(h, w, b, B, lin.in, lin.out);
                    width = lin.out;
                } else if (l instanceof BatchNorm1d bn) {
                    double[] gamma = p[k++], beta = p[k++];
                    h = mode == Mode.BATCH_NORM_TRAINING
                        ? Float64.batchNormTrain(h, gamma, beta, B, width, bn.eps)
                        : Float64.batchNormEval(h, gamma, beta, saved.get(bn)[0], saved.get(bn)[1], B, width, bn.eps);
                } else if (l instanceof Tanh) {
                    h = Float64.tanh(h);
                }   // Flatten: the same numbers
            }
            return Float64.crossEntropy(h, pass.y, B, width);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Mode.class)
    void wholeNetworkLossGradientMatchesFiniteDifferencesForEveryParameter(Mode mode) {
        for (long seed = 1; seed <= 3; seed++) checkWholeNetwork(new Net(mode, seed, false), mode + " seed " + seed);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Mode.class)
    void deepNetworkLossGradientMatchesFiniteDifferencesForEveryParameter(Mode mode) {
        for (long seed = 1; seed <= 2; seed++) checkWholeNetwork(new Net(mode, seed, true), "deep " + mode + " seed " + seed);
    }

    private static void checkWholeNetwork(Net t, String what) {
        t.saveRunningStats();
        List<Tensor> params = t.model.parameters();
        double[][] p = new double[params.size()][];
        for (int i = 0; i < p.length; i++) p[i] = toDouble(params.get(i).data);

        t.pass.graph.forward();
        double expectedLoss = t.loss(p);
        assertEquals(expectedLoss, t.pass.loss.item(), FORWARD_TOL * Math.max(1, expectedLoss), what + " loss");
        for (Tensor q : params) q.zeroGrad();
        t.pass.graph.backward();

        for (int q = 0; q < p.length; q++) {
            double[] fd = new double[p[q].length];
            for (int i = 0; i < fd.length; i++) {
                double keep = p[q][i];
                p[q][i] = keep + H;
                double plus = t.loss(p);
                p[q][i] = keep - H;
                double minus = t.loss(p);
                p[q][i] = keep;
                fd[i] = (plus - minus) / (2 * H);
            }
            assertTrue(maxAbs(fd) > 1e-5, what + ": d loss/d parameter " + q + " (" + params.get(q).name + ") should not vanish");
            assertGradClose(fd, params.get(q).grad, what + " d loss/d parameter " + q + " (" + params.get(q).name + ")");
        }
    }

    // ---------------------------------------------------------------- accumulation and clearing

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Mode.class)
    void leafGradientsAccumulateAcrossBackwardsWhileIntermediateGradientsAreRecomputedFromZero(Mode mode) {
        Net t = new Net(mode, 7, false);
        List<Tensor> params = t.model.parameters();
        t.pass.graph.forward();
        for (Tensor p : params) p.zeroGrad();
        t.pass.graph.backward();
        List<float[]> once = new ArrayList<>();
        for (Tensor p : params) once.add(p.grad.clone());
        List<Tensor> intermediates = new ArrayList<>();
        for (int i = 2; i < t.model.net.size(); i++) intermediates.add(t.pass.output(i));   // after the fused first layers
        List<float[]> inter = new ArrayList<>();
        for (Tensor x : intermediates) inter.add(x.grad.clone());

        t.pass.graph.backward();   // no zeroGrad in between

        for (int q = 0; q < params.size(); q++) {
            float[] g1 = once.get(q), g2 = params.get(q).grad;
            double scale = 0;
            for (float v : g1) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < g1.length; i++) {
                // Not bit-exact: the second pass adds its terms one by one onto g1 (rounding differs).
                assertEquals(2.0 * g1[i], g2[i], 1e-6 * scale + 1e-12, mode + " " + params.get(q).name + "[" + i + "] after two backwards");
            }
        }
        for (int q = 0; q < intermediates.size(); q++) {
            assertArrayEquals(inter.get(q), intermediates.get(q).grad,
                mode + " " + intermediates.get(q).name + ".grad must be recomputed, not accumulated, by a second backward");
        }
        assertEquals(1f, t.pass.loss.grad[0], "d loss / d loss");
    }
}
