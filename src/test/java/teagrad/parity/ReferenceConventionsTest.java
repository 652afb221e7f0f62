package teagrad.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teagrad.parity.Reference.list;
import static teagrad.parity.Reference.map;
import static teagrad.parity.Reference.num;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import teagrad.Float64;
import teagrad.modelfile.Json;

/**
 * The committed reference vectors carry the conventions the parity tests assume. Each is
 * recomputed here, in double precision, from values stored beside it, so vectors written with
 * other conventions fail this test rather than teagrad's parity tests:
 * <ul>
 * <li>linear weights are [in, out]: y = x·W + b;</li>
 * <li>training-mode batch norm normalises with the biased batch variance + eps, and updates
 *     running = (1 − momentum)·running + momentum·batch with the unbiased variance;</li>
 * <li>eval-mode batch norm normalises with the running statistics;</li>
 * <li>the loss is the mean cross-entropy, and gradients are of that mean;</li>
 * <li>the diagnostics are the lecture's: unbiased std, saturation |t| > 0.97, a 100-bin density
 *     histogram over [min, max], grad:data = std(grad)/std(W), log10 of std(lr·grad)/std(W).</li>
 * </ul>
 *
 * <p>Tolerance: stored tensors are float32, each within 2^-24 (6e-8) of the float64 it rounds;
 * recomputed from such values, a result moves by a few of those. 1e-6 of a tensor's largest
 * magnitude leaves room for that and none for the smallest wrong convention here: the biased
 * running variance of the lecture's configuration (momentum 0.001, batch 32) is off by 1.7e-4.
 */
class ReferenceConventionsTest {
    static final double TOL = 1e-6;

    @ParameterizedTest
    @ValueSource(strings = {"bn_mlp_tiny.json", "bn_mlp_karpathy_config.json"})
    void theChapterNetworksStepIsPyTorchsWithTheseConventions(String file) {
        Reference r = Reference.load(file);
        int batch = r.integer("config.batchSize"), dim = r.integer("config.embedDim"), vocab = r.integer("config.vocabSize");
        int in = r.integer("config.blockSize") * dim, hidden = r.integer("config.hidden");
        double momentum = r.number("config.momentum"), eps = r.number("config.eps");
        int[] x = r.ints("inputs.X"), y = r.ints("inputs.Y");
        assertArrayEquals(new int[] {in, hidden}, r.shape("params.W1"), "W1 is [in, out]");
        assertArrayEquals(new int[] {hidden, vocab}, r.shape("params.W2"), "W2 is [in, out]");
        double[] c = r.tensor("params.C"), w1 = r.tensor("params.W1"), w2 = r.tensor("params.W2"), b2 = r.tensor("params.b2");
        double[] gamma = r.tensor("params.bngain"), beta = r.tensor("params.bnbias");

        double[] hpreact = r.tensor("train.activations.hpreact"), hbn = r.tensor("train.activations.hbn");
        double[] h = r.tensor("train.activations.h"), logits = r.tensor("train.activations.logits");
        close(hpreact, Float64.matmul(embed(c, dim, x), w1, null, batch, in, hidden), "hpreact = C[X].view(B, −1)·W1");
        close(hbn, Float64.batchNormTrain(hpreact, gamma, beta, batch, hidden, eps), "hbn normalises with the biased batch variance");
        close(h, Float64.tanh(hbn), "h = tanh(hbn)");
        close(logits, Float64.matmul(h, w2, b2, batch, hidden, vocab), "logits = h·W2 + b2");
        assertNear(r.number("train.loss"), crossEntropy(logits, y), "the loss is the mean cross-entropy");

        close(r.tensor("train.runningMeanAfter"), update(r.tensor("train.runningMeanBefore"), mean(hpreact, batch), momentum), "running mean after the step");
        close(r.tensor("train.runningVarAfter"), update(r.tensor("train.runningVarBefore"), unbiasedVariance(hpreact, batch), momentum),
            "running var after the step (unbiased)");

        double[] dLogits = dCrossEntropy(logits, y);
        close(r.tensor("train.grads.W2"), weightGrad(h, dLogits, batch), "dW2 = hᵀ·dlogits, [in, out], of the mean loss");
        close(r.tensor("train.grads.b2"), columnSums(dLogits, batch), "db2 = Σ dlogits");

        double[] evalH = Float64.tanh(Float64.batchNormEval(hpreact, gamma, beta, r.floats("eval.runningMean"), r.floats("eval.runningVar"), batch, hidden, eps));
        double[] evalLogits = r.tensor("eval.logits");
        close(evalLogits, Float64.matmul(evalH, w2, b2, batch, hidden, vocab), "eval mode normalises with eval.runningMean/Var");
        assertNear(r.number("eval.loss"), crossEntropy(evalLogits, y), "eval loss");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep_bn_mlp.json", "deep_mlp_nobn.json"})
    void theDeepNetworksStepIsPyTorchsWithTheseConventions(String file) {
        Reference r = Reference.load(file);
        List<Object> layers = r.list("layers");
        int batch = r.integer("config.batchSize");
        int[] x = r.ints("inputs.X"), y = r.ints("inputs.Y");
        double[] trainIn = null, evalIn = null;
        int norms = 0;
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> l = map(layers.get(i));
            String type = (String) l.get("type"), what = "layers[" + i + "] " + type;
            double[] out = r.tensor("train.outputs." + i), evalOut;
            switch (type) {
                case "embedding" -> {
                    int dim = Reference.shape(param(l, "weight"))[1];
                    close(out, embed(tensor(l, "weight"), dim, x), what);
                    evalOut = embed(tensor(l, "weight"), dim, x);
                }
                case "flatten" -> {
                    close(out, trainIn, what);
                    evalOut = evalIn;
                }
                case "linear" -> {
                    int[] shape = Reference.shape(param(l, "weight"));
                    assertEquals(trainIn.length / batch, shape[0], what + " weight is [in, out]");
                    double[] w = tensor(l, "weight"), b = l.get("bias") == null ? null : tensor(l, "bias");
                    close(out, Float64.matmul(trainIn, w, b, batch, shape[0], shape[1]), what + ": x·W + b");
                    evalOut = Float64.matmul(evalIn, w, b, batch, shape[0], shape[1]);
                    checkLinearGrads(r, i, trainIn, batch, l.get("bias") != null);
                }
                case "batchnorm1d" -> {
                    double eps = num(l, "eps"), momentum = num(l, "momentum");
                    double[] gamma = tensor(l, "weight"), beta = tensor(l, "bias");
                    float[] runningMean = Reference.floats(param(l, "runningMean")), runningVar = Reference.floats(param(l, "runningVar"));
                    int n = gamma.length;
                    close(out, Float64.batchNormTrain(trainIn, gamma, beta, batch, n, eps), what + " normalises with the biased batch variance");
                    close(r.tensor("train.runningAfter." + norms + ".runningMean"), update(Reference.widen(runningMean), mean(trainIn, batch), momentum),
                        what + " running mean after the step");
                    close(r.tensor("train.runningAfter." + norms + ".runningVar"), update(Reference.widen(runningVar), unbiasedVariance(trainIn, batch), momentum),
                        what + " running var after the step (unbiased)");
                    evalOut = Float64.batchNormEval(evalIn, gamma, beta, runningMean, runningVar, batch, n, eps);
                    norms++;
                }
                case "tanh" -> {
                    close(out, Float64.tanh(trainIn), what);
                    evalOut = Float64.tanh(evalIn);
                }
                default -> throw new AssertionError(what + ": not a layer of the model file");
            }
            trainIn = out;
            evalIn = evalOut;
        }
        assertEquals(norms, r.list("train.runningAfter").size(), "running statistics per batch norm");
        assertNear(r.number("train.loss"), crossEntropy(trainIn, y), "the loss is the mean cross-entropy of the last output");
        close(r.tensor("train.outputGrads." + (layers.size() - 1)), dCrossEntropy(trainIn, y), "the last output's gradient: (softmax − onehot)/B");
        double[] evalLogits = r.tensor("eval.logits");
        close(evalLogits, evalIn, "eval mode normalises with the running statistics stored in layers");
        assertNear(r.number("eval.loss"), crossEntropy(evalLogits, y), "eval loss");
        checkDiagnostics(r, layers);
    }

    /** dW = inᵀ·dout ([in, out]) and db = Σ dout, from the stored input and output gradient. */
    static void checkLinearGrads(Reference r, int layer, double[] in, int batch, boolean bias) {
        double[] dOut = r.tensor("train.outputGrads." + layer);
        for (Object o : r.list("train.paramGrads")) {
            Map<String, Object> g = map(o);
            if ((int) num(g, "layer") != layer) continue;
            double[] grad = Reference.tensor(map(g.get("grad")));
            if (g.get("name").equals("weight")) close(grad, weightGrad(in, dOut, batch), "layers[" + layer + "] dW = xᵀ·dout");
            else close(grad, columnSums(dOut, batch), "layers[" + layer + "] db = Σ dout");
        }
    }

    /** The lecture's statistics, recomputed from the stored outputs, output gradients and parameter gradients. */
    static void checkDiagnostics(Reference r, List<Object> layers) {
        double lr = r.number("config.lr");
        List<Object> tanh = r.list("diagnostics.tanh"), weights = r.list("diagnostics.weights");
        int tanhs = 0, matrices = 0;
        for (Object o : layers) {
            String type = (String) map(o).get("type");
            if (type.equals("tanh")) tanhs++;
            if (type.equals("embedding") || type.equals("linear")) matrices++;
        }
        assertEquals(tanhs, tanh.size(), "an entry per tanh layer");
        assertEquals(matrices, weights.size(), "an entry per 2-D weight");
        for (Object o : tanh) {
            Map<String, Object> e = map(o);
            int layer = (int) num(e, "layer");
            String what = "tanh at layers[" + layer + "]";
            double[] t = r.tensor("train.outputs." + layer), g = r.tensor("train.outputGrads." + layer);
            double std = std(t), gradStd = std(g);
            assertEquals("tanh", r.get("layers." + layer + ".type"), what);
            assertNear(num(e, "mean"), mean(t), TOL * std, what + " mean");
            assertNear(num(e, "std"), std, TOL * std, what + " std (unbiased)");
            double saturated = 0;
            for (double v : t) if (Math.abs(v) > 0.97) saturated++;
            assertNear(num(e, "saturated"), saturated / t.length, 1.0 / t.length, what + " saturated: |t| > 0.97");
            assertNear(num(e, "gradMean"), mean(g), TOL * gradStd, what + " grad mean");
            assertNear(num(e, "gradStd"), gradStd, TOL * gradStd, what + " grad std (unbiased)");
            checkHistogram(map(e.get("histogram")), t, what);
        }
        for (Object o : weights) {
            Map<String, Object> e = map(o);
            int layer = (int) num(e, "layer");
            String what = "weight of layers[" + layer + "]";
            double[] w = r.tensor("layers." + layer + ".weight"), g = null;
            for (Object p : r.list("train.paramGrads")) {
                Map<String, Object> pg = map(p);
                if ((int) num(pg, "layer") == layer && pg.get("name").equals("weight")) {
                    g = Reference.tensor(map(pg.get("grad")));
                }
            }
            double gradStd = std(g), ratio = gradStd / std(w);
            assertNear(num(e, "gradMean"), mean(g), TOL * gradStd, what + " grad mean");
            assertNear(num(e, "gradStd"), gradStd, TOL * gradStd, what + " grad std (unbiased)");
            assertNear(num(e, "gradToData"), ratio, TOL * ratio, what + " grad:data = std(grad)/std(W)");
            assertNear(num(e, "log10UpdateToData"), Math.log10(lr * ratio), TOL, what + " log10 std(lr·grad)/std(W)");
        }
    }

    /** 100 equal bins over [min, max], each count / (n · bin width); at most one value on a bin edge may move. */
    static void checkHistogram(Map<String, Object> h, double[] t, String what) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : t) { min = Math.min(min, v); max = Math.max(max, v); }
        assertNear(num(h, "min"), min, TOL, what + " histogram from min");
        assertNear(num(h, "max"), max, TOL, what + " histogram to max");
        List<Object> density = list(h, "density");
        int bins = density.size();
        assertEquals(100, bins, what + " histogram bins");
        double width = (max - min) / bins;
        int[] count = new int[bins];
        for (double v : t) count[Math.min(bins - 1, (int) ((v - min) / width))]++;
        for (int b = 0; b < bins; b++) {
            assertNear(((Json.Num) density.get(b)).doubleValue(), count[b] / (t.length * width), 1.0 / (t.length * width) + 1e-9, what + " density bin " + b);
        }
    }

    // ---- checking

    /** max|expected − actual| within TOL of expected's largest magnitude. */
    static void close(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": size");
        double scale = 0, worst = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= TOL * scale, what + ": stored and recomputed differ by " + worst + " (" + worst / scale + " of the largest)");
    }

    static void assertNear(double expected, double actual, String what) { assertNear(expected, actual, TOL * Math.abs(expected), what); }

    static void assertNear(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(expected - actual) <= tol, what + ": stored " + expected + ", recomputed " + actual);
    }

    static Map<String, Object> param(Map<String, Object> layer, String name) { return map(layer.get(name)); }

    static double[] tensor(Map<String, Object> layer, String name) { return Reference.tensor(param(layer, name)); }

    // ---- the layers in double precision (beside Float64's), on [rows × features] row-major arrays

    /** C[x] flattened: each index's row of C in turn. */
    static double[] embed(double[] c, int dim, int[] x) {
        double[] out = new double[x.length * dim];
        for (int i = 0; i < x.length; i++) System.arraycopy(c, x[i] * dim, out, i * dim, dim);
        return out;
    }

    /** Per-feature mean over the rows. */
    static double[] mean(double[] x, int rows) {
        double[] m = columnSums(x, rows);
        for (int j = 0; j < m.length; j++) m[j] /= rows;
        return m;
    }

    /** Per-feature Σ(x − μ)² / (rows − 1): the unbiased variance the running statistics track. */
    static double[] unbiasedVariance(double[] x, int rows) {
        double[] m = mean(x, rows), v = new double[m.length];
        for (int i = 0; i < x.length; i++) v[i % m.length] += (x[i] - m[i % m.length]) * (x[i] - m[i % m.length]);
        for (int j = 0; j < v.length; j++) v[j] /= rows - 1;
        return v;
    }

    /** running = (1 − momentum)·running + momentum·batch. */
    static double[] update(double[] running, double[] batch, double momentum) {
        double[] r = new double[running.length];
        for (int j = 0; j < r.length; j++) r[j] = (1 - momentum) * running[j] + momentum * batch[j];
        return r;
    }

    static double[] columnSums(double[] x, int rows) {
        double[] s = new double[x.length / rows];
        for (int i = 0; i < x.length; i++) s[i % s.length] += x[i];
        return s;
    }

    /** xᵀ·dy: [in, out]. */
    static double[] weightGrad(double[] x, double[] dy, int rows) {
        int in = x.length / rows, out = dy.length / rows;
        double[] g = new double[in * out];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < in; k++) for (int j = 0; j < out; j++) g[k * out + j] += x[r * in + k] * dy[r * out + j];
        }
        return g;
    }

    static double[] softmax(double[] logits, int rows) {
        int v = logits.length / rows;
        double[] p = new double[logits.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < v; j++) max = Math.max(max, logits[r * v + j]);
            for (int j = 0; j < v; j++) sum += p[r * v + j] = Math.exp(logits[r * v + j] - max);
            for (int j = 0; j < v; j++) p[r * v + j] /= sum;
        }
        return p;
    }

    /** Mean over the rows of −log softmax(logits)[y]. */
    static double crossEntropy(double[] logits, int[] y) { return Float64.crossEntropy(logits, y, y.length, logits.length / y.length); }

    /** d crossEntropy / d logits = (softmax − onehot(y)) / rows. */
    static double[] dCrossEntropy(double[] logits, int[] y) {
        double[] d = softmax(logits, y.length);
        int v = logits.length / y.length;
        for (int r = 0; r < y.length; r++) d[r * v + y[r]] -= 1;
        for (int i = 0; i < d.length; i++) d[i] /= y.length;
        return d;
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /** Unbiased, as torch.std. */
    static double std(double[] x) {
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1));
    }
}
