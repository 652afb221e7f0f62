package teagrad.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teagrad.parity.Reference.list;
import static teagrad.parity.Reference.map;
import static teagrad.parity.Reference.num;
import static teagrad.parity.Reference.tensor;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import teagrad.autograd.Tensor;
import teagrad.data.Dataset;
import teagrad.diagnostics.Diagnostics;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Layer;
import teagrad.nn.Sequential;
import teagrad.model.Model;
import teagrad.inference.Inference;
import teagrad.modelfile.ModelFile;
import teagrad.modelfile.Json;

/**
 * Deep Sequential networks against PyTorch (computed in float64, stored as float32 as in
 * {@link ReferenceParityTest}): the reference files list their layers in
 * the model-file vocabulary, so the network is read by {@link ModelFile} itself (version 2, the
 * smallest file: vocab, blockSize and the layers). Then one training step: the loss, every
 * layer's output and output gradient, every parameter gradient, the running statistics after
 * the step, the lecture's diagnostics of that step; and the eval-mode loss and logits.
 *
 * <p>Tolerance: float32 through up to 19 layers. As in {@link ReferenceParityTest}, errors are
 * measured relative to the largest magnitude of each tensor; 5e-5 is ~800 units of roundoff,
 * while a wrong formula anywhere (a Bessel factor, a transposed weight, a missing term of the
 * batch-norm backward) is off by 1e-2 or more.
 */
class DeepReferenceParityTest {
    static final double TOL = 5e-5;

    /** The reference's layers as a version-2 model file, read by ModelFile. */
    static Model model(Reference ref) {
        int vocabSize = ref.integer("config.vocabSize");
        StringBuilder letters = new StringBuilder(".");
        for (int i = 1; i < vocabSize; i++) letters.append((char) ('a' + i - 1));
        String file = "{\"format\": \"teagrad-model\", \"version\": 2, \"vocab\": " + Json.quote(letters.toString())
            + ", \"config\": {\"blockSize\": " + ref.integer("config.blockSize") + ", \"batchSize\": " + ref.integer("config.batchSize")
            + ", \"lr\": " + ref.number("config.lr") + "}, \"layers\": " + write(ref.root.get("layers")) + "}";
        return ModelFile.read(file).model;
    }

    /** JSON text of a parsed value (for handing the reference's layers to ModelFile); tensors as the model file writes them. */
    @SuppressWarnings("unchecked")
    static String write(Object v) {
        if (v == null) return "null";
        if (v instanceof Map<?, ?> m && m.containsKey("f32")) {
            StringBuilder b = new StringBuilder("{\"shape\":").append(write(m.get("shape"))).append(",\"data\":[");
            float[] f = Reference.floats(map(m));
            for (int i = 0; i < f.length; i++) b.append(i == 0 ? "" : ",").append(f[i]);   // Float.toString: the same float back
            return b.append("]}").toString();
        }
        if (v instanceof String s) return Json.quote(s);
        if (v instanceof Json.Num n) return n.text;
        if (v instanceof Boolean b) return b.toString();
        StringBuilder b = new StringBuilder();
        if (v instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) b.append(i == 0 ? "" : ",").append(write(list.get(i)));
            return b.append(']').toString();
        }
        b.append('{');
        int i = 0;
        for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
            b.append(i++ == 0 ? "" : ",").append(Json.quote(e.getKey())).append(':').append(write(e.getValue()));
        }
        return b.append('}').toString();
    }

    static Sequential.Pass batch(Model m, Reference ref) {
        Sequential.Pass pass = m.pass(ref.integer("config.batchSize"));
        System.arraycopy(ref.ints("inputs.X"), 0, pass.x, 0, pass.x.length);
        System.arraycopy(ref.ints("inputs.Y"), 0, pass.y, 0, pass.y.length);
        return pass;
    }

    static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0, worst = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= TOL * scale + 1e-12, what + ": max |ours − torch| = " + worst + " > " + TOL * scale);
    }

    static void assertNear(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(expected - actual) <= tol, what + ": ours " + actual + ", torch " + expected + " (tolerance " + tol + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep_bn_mlp.json", "deep_mlp_nobn.json"})
    void trainingStepMatchesPyTorchLayerByLayer(String file) throws Exception {
        Reference r = Reference.load(file);
        Model m = model(r);
        Sequential.Pass pass = batch(m, r);
        m.train();
        pass.graph.forward();
        for (Tensor p : m.parameters()) p.zeroGrad();
        pass.graph.backward();
        assertEquals(r.number("train.loss"), pass.loss.item(), TOL * r.number("train.loss"), "loss");

        List<Object> outputs = r.list("train.outputs"), outputGrads = r.list("train.outputGrads");
        assertEquals(m.net.size(), outputs.size(), "one output per layer");
        for (int i = 0; i < m.net.size(); i++) {   // layers 0 and 1 are fused away in training: rebuilt on request
            assertClose(tensor(map(outputs.get(i))), pass.output(i).data, "layers[" + i + "] " + m.net.layer(i) + " output");
            assertClose(tensor(map(outputGrads.get(i))), pass.output(i).grad, "layers[" + i + "] " + m.net.layer(i) + " output gradient");
        }

        List<Object> grads = r.list("train.paramGrads");
        int checked = 0;
        for (Object o : grads) {
            Map<String, Object> g = map(o);
            int layer = (int) ((Json.Num) g.get("layer")).doubleValue();
            String name = (String) g.get("name");
            Layer l = m.net.layer(layer);
            Tensor p = l instanceof BatchNorm1d bn ? (name.equals("weight") ? bn.gamma : bn.beta) : l.parameters().get(name.equals("weight") ? 0 : 1);
            assertClose(tensor(map(g.get("grad"))), p.grad, "layers[" + layer + "] " + l + " d" + name);
            checked++;
        }
        assertEquals(m.parameters().size(), checked, "every parameter's gradient is in the reference");

        List<BatchNorm1d> bns = m.batchNorms();
        List<Object> running = r.list("train.runningAfter");
        assertEquals(bns.size(), running.size(), "running statistics per batch norm");
        for (int k = 0; k < bns.size(); k++) {
            Map<String, Object> s = map(running.get(k));
            assertClose(tensor(map(s.get("runningMean"))), bns.get(k).runningMean, "batch norm " + k + " running mean after the step");
            assertClose(tensor(map(s.get("runningVar"))), bns.get(k).runningVar, "batch norm " + k + " running var after the step (unbiased)");
        }

        checkDiagnostics(r, new Diagnostics(m.net, pass, (float) r.number("config.lr")), pass);
    }

    /** The lecture's statistics of the same step, as the reference computed them in float64. */
    static void checkDiagnostics(Reference r, Diagnostics d, Sequential.Pass pass) {
        List<Object> tanh = r.list("diagnostics.tanh");
        assertEquals(tanh.size(), d.tanh.size(), "one entry per tanh layer");
        for (int i = 0; i < tanh.size(); i++) {
            Map<String, Object> e = map(tanh.get(i));
            Diagnostics.TanhLayer t = d.tanh.get(i);
            String what = "tanh " + i;
            assertEquals((int) num(e, "layer"), t.layer, what + " layer index");
            int n = pass.output(t.layer).size();
            assertNear(num(e, "mean"), t.out.mean, 1e-5 * num(e, "std"), what + " mean");
            assertNear(num(e, "std"), t.out.std, 1e-5 * num(e, "std"), what + " std (unbiased)");
            assertNear(num(e, "saturated"), t.saturated, 1.0 / n, what + " saturated fraction");   // at most one value on the 0.97 edge
            assertNear(num(e, "gradMean"), t.grad.mean, 1e-4 * num(e, "gradStd"), what + " grad mean");
            assertNear(num(e, "gradStd"), t.grad.std, 1e-4 * num(e, "gradStd"), what + " grad std");
            Map<String, Object> h = map(e.get("histogram"));
            double min = num(h, "min"), max = num(h, "max");
            List<Object> density = list(h, "density");
            assertEquals(t.out.density.length, density.size(), what + " histogram bins");
            assertNear(min, t.out.min, 1e-6, what + " histogram from min");
            assertNear(max, t.out.max, 1e-6, what + " histogram to max");
            double oneValue = density.size() / (n * (max - min));   // one value moving to the next bin
            for (int b = 0; b < density.size(); b++) {
                assertNear(((Json.Num) density.get(b)).doubleValue(), t.out.density[b], oneValue + 1e-9, what + " density bin " + b);
            }
        }
        List<Object> weights = r.list("diagnostics.weights");
        assertEquals(weights.size(), d.weights.size(), "one entry per 2-D weight");
        for (int i = 0; i < weights.size(); i++) {
            Map<String, Object> e = map(weights.get(i));
            Diagnostics.Weight w = d.weights.get(i);
            String what = "weight " + i + " (" + w.label + ")";
            assertEquals((int) num(e, "layer"), w.layer, what + " layer index");
            assertNear(num(e, "gradStd"), w.gradStd, 1e-4 * num(e, "gradStd"), what + " grad std");
            assertNear(num(e, "gradMean"), w.gradMean, 1e-4 * num(e, "gradStd"), what + " grad mean");
            assertNear(num(e, "gradToData"), w.gradToData, 1e-4 * num(e, "gradToData"), what + " grad:data");
            assertNear(num(e, "log10UpdateToData"), w.log10UpdateToData, 1e-4, what + " log10 update:data");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep_bn_mlp.json", "deep_mlp_nobn.json"})
    void evalModeMatchesPyTorchInTheGraphAndInInference(String file) throws Exception {
        Reference r = Reference.load(file);
        Model m = model(r);
        Sequential.Pass pass = batch(m, r);
        m.eval();
        pass.graph.forward();
        double loss = r.number("eval.loss");
        assertEquals(loss, pass.loss.item(), TOL * loss, "eval loss in the graph");
        assertClose(r.tensor("eval.logits"), pass.logits.data, "eval logits in the graph");
        Dataset.Split b = new Dataset.Split(pass.x.clone(), pass.y.clone(), m.config.blockSize);
        assertEquals(loss, new Inference(m).loss(b), TOL * loss, "eval loss of the graph-free Inference");
    }
}
