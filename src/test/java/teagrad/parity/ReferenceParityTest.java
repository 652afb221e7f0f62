package teagrad.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import teagrad.autograd.Tensor;
import teagrad.data.Dataset;
import teagrad.data.Vocab;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Embedding;
import teagrad.nn.Linear;
import teagrad.nn.Sequential;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.inference.Inference;

/**
 * The whole network against PyTorch on the same float32 parameters and batch: loss,
 * activations, every gradient, the running-statistics update, and the eval-mode loss. The
 * reference was computed in float64 and stored rounded to float32 (src/test/resources/reference,
 * written by tools/make_reference.py): that rounding, u at most, is lost in the tolerance below.
 *
 * <p>Tolerance: we compute in float32 (unit roundoff u = 6e-8). The deepest chain is the
 * gradient of C: six ops each adding sums of at most 200 terms, so a loose worst-case bound is
 * a few hundred u relative to the largest magnitude in the tensor. We require
 * max|ours − torch| ≤ 2e-5 · max(1, max|torch|): ~300 u, and ~1,000× smaller than any
 * real mistake (a wrong Bessel factor alone moves the running variance by 3%; a missing
 * term of the fused backward changes dx at the 1e-2 level).
 */
class ReferenceParityTest {
    static final double TOL = 2e-5;

    static final class Fixture {
        final Reference ref;
        final Model model;
        final Sequential.Pass pass;
        final BatchNorm1d bn;

        Fixture(String file) throws Exception {
            ref = Reference.load(file);
            Config c = new Config();
            c.blockSize = ref.integer("config.blockSize");
            c.embedDim = ref.integer("config.embedDim");
            c.widths = new int[] {ref.integer("config.hidden")};
            c.batchSize = ref.integer("config.batchSize");
            c.momentum = (float) ref.number("config.momentum");
            c.eps = (float) ref.number("config.eps");
            int vocabSize = ref.integer("config.vocabSize");
            StringBuilder letters = new StringBuilder(".");
            for (int i = 1; i < vocabSize; i++) letters.append((char) ('a' + i - 1));
            model = Model.init(c, Vocab.parse(letters.toString()));
            // Embedding, Flatten, Linear, BatchNorm1d, Tanh, Linear: the chapter's network
            bn = (BatchNorm1d) model.net.layer(3);
            copy("params.C", ((Embedding) model.net.layer(0)).weight);
            copy("params.W1", ((Linear) model.net.layer(2)).weight);
            copy("params.bngain", bn.gamma);
            copy("params.bnbias", bn.beta);
            copy("params.W2", ((Linear) model.net.layer(5)).weight);
            copy("params.b2", ((Linear) model.net.layer(5)).bias);
            pass = model.pass(c.batchSize);
            System.arraycopy(ref.ints("inputs.X"), 0, pass.x, 0, pass.x.length);
            System.arraycopy(ref.ints("inputs.Y"), 0, pass.y, 0, pass.y.length);
        }

        void copy(String name, Tensor t) {
            float[] v = ref.floats(name);
            assertEquals(t.size(), v.length, name + " size");
            System.arraycopy(v, 0, t.data, 0, v.length);
        }
    }

    static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 1, worst = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        if (System.getProperty("teagrad.showErrors") != null) System.out.printf("%-40s %.2e%n", what, worst / scale);
        assertTrue(worst <= TOL * scale, what + ": max |ours − torch| = " + worst + " > " + TOL * scale);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bn_mlp_tiny.json", "bn_mlp_karpathy_config.json"})
    void trainingStepMatchesPyTorch(String file) throws Exception {
        Fixture f = new Fixture(file);
        Reference r = f.ref;
        assertClose(r.tensor("train.runningMeanBefore"), f.bn.runningMean, "running mean before");
        assertClose(r.tensor("train.runningVarBefore"), f.bn.runningVar, "running var before");
        f.model.train();
        f.pass.graph.forward();
        assertEquals(r.number("train.loss"), f.pass.loss.item(), TOL * Math.max(1, r.number("train.loss")), "loss");
        assertClose(r.tensor("train.activations.hpreact"), f.pass.output(2).data, "hpreact");
        assertClose(r.tensor("train.activations.hbn"), f.pass.output(3).data, "hbn");
        assertClose(r.tensor("train.activations.h"), f.pass.output(4).data, "h");
        assertClose(r.tensor("train.activations.logits"), f.pass.logits.data, "logits");
        assertClose(r.tensor("train.runningMeanAfter"), f.bn.runningMean, "running mean after one step");
        assertClose(r.tensor("train.runningVarAfter"), f.bn.runningVar, "running var after one step (unbiased)");

        for (Tensor p : f.model.parameters()) p.zeroGrad();
        f.pass.graph.backward();
        java.util.List<Tensor> ps = f.model.parameters();   // C, W1, γ, β, W2, b2
        String[] names = {"C", "W1", "bngain", "bnbias", "W2", "b2"};
        for (int i = 0; i < names.length; i++) assertClose(r.tensor("train.grads." + names[i]), ps.get(i).grad, "d" + names[i]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bn_mlp_tiny.json", "bn_mlp_karpathy_config.json"})
    void evalModeUsesRunningStatistics(String file) throws Exception {
        Fixture f = new Fixture(file);
        Reference r = f.ref;
        System.arraycopy(r.floats("eval.runningMean"), 0, f.bn.runningMean, 0, f.bn.features);
        System.arraycopy(r.floats("eval.runningVar"), 0, f.bn.runningVar, 0, f.bn.features);
        float[] meanBefore = f.bn.runningMean.clone();
        f.model.eval();
        f.pass.graph.forward();
        assertEquals(r.number("eval.loss"), f.pass.loss.item(), TOL * Math.max(1, r.number("eval.loss")), "eval loss");
        assertClose(r.tensor("eval.logits"), f.pass.logits.data, "eval logits");
        assertTrue(java.util.Arrays.equals(meanBefore, f.bn.runningMean), "eval mode must not touch running stats");

        // The graph-free evaluator (table lookup, batch norm folded in) agrees on the same batch.
        Dataset.Split batch = new Dataset.Split(f.pass.x.clone(), f.pass.y.clone(), f.model.config.blockSize);
        assertEquals(r.number("eval.loss"), new Inference(f.model).loss(batch), TOL * Math.max(1, r.number("eval.loss")), "Inference loss");
    }
}
