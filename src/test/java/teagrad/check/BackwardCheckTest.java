package teagrad.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import teagrad.TestData;
import teagrad.autograd.Tensor;
import teagrad.data.Dataset;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.model.Presets;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Sequential;
import teagrad.train.Trainer;

/**
 * The lecture's backward check on names.txt: the gradients written out by hand agree with
 * teagrad's autograd in every row, at init and after training, and a wrong normaliser in the
 * hand-written batch-norm backward shows in exactly the rows it reaches.
 */
class BackwardCheckTest {
    /** The lecture's cmp() lines, in its order (without b1: the chapter's first layer has no bias). */
    static final List<String> LECTURE_ROWS = List.of("logprobs", "probs", "counts_sum_inv", "counts_sum", "counts",
        "norm_logits", "logit_maxes", "logits", "h", "W2", "b2", "hpreact", "bngain", "bnbias", "bnraw", "bnvar_inv",
        "bnvar", "bndiff2", "bndiff", "bnmeani", "hprebn", "embcat", "W1", "emb", "C");
    /** Where the fused backwards' own formulas give the reference: agreement is approximate there. */
    static final Set<String> FUSED_FORMULAS = Set.of("logits", "bngain", "hprebn");
    /** What the wrong normaliser reaches: dbndiff2 and everything computed from it, except bnmeani. */
    static final Set<String> AFTER_BNDIFF2 = Set.of("bndiff2", "bndiff", "hprebn", "embcat", "W1", "emb", "C");

    static Dataset data;
    static Model atInit, trained;

    @BeforeAll
    static void models() {
        Config c = new Config();
        c.seed = 3;
        data = new Dataset(TestData.names(), c.blockSize, c.seed);
        atInit = BackwardCheck.lectureInit(c, data.vocab);
        // 3,000 steps of the chapter's recipe: weights, γ and β have moved away from their init
        Model m = Model.init(c, data.vocab);
        Trainer t = new Trainer(m, data);
        for (int i = 0; i < 3000; i++) t.trainStep();
        trained = m;
    }

    static List<String> names(BackwardCheck c) {
        List<String> names = new ArrayList<>();
        for (Cmp r : c.rows) names.add(r.name);
        return names;
    }

    @Test
    void theRowsAreTheLecturesTensorsInItsOrder() {
        BackwardCheck c = BackwardCheck.run(atInit, data.train, 1, false);
        assertEquals(LECTURE_ROWS, names(c));
        assertTrue(c.rows.size() >= 20);
    }

    @Test
    void everyGradientByHandAgreesWithAutogradAtInitAndAfterTraining() {
        for (Model m : List.of(atInit, trained)) {
            for (long seed = 0; seed < 20; seed++) {   // 20 batches each
                BackwardCheck c = BackwardCheck.run(m, data.train, seed, false);
                for (Cmp r : c.rows) {
                    String where = r.name + " (batch " + seed + (m == trained ? ", trained" : ", at init") + ")";
                    assertTrue(r.approx, where + " is not allclose: " + r);
                    assertTrue(r.maxdiff < 1e-5, where + ": maxdiff " + r.maxdiff);
                    // The hand-written line and autograd do the same float operations, except where a
                    // fused backward computes the same gradient by its own formula.
                    if (!FUSED_FORMULAS.contains(r.name)) assertTrue(r.exact, where + " is not bitwise equal: " + r);
                }
                assertTrue(c.allApprox());
            }
        }
    }

    @Test
    void theFusedRowsAreComparedWithTheFusedBackwards() {
        BackwardCheck c = BackwardCheck.run(trained, data.train, 5, false);
        assertEquals(Cmp.CROSS_ENTROPY, c.row("logits").autograd);
        for (String bn : List.of("hprebn", "bngain", "bnbias")) assertEquals(Cmp.BATCH_NORM, c.row(bn).autograd, bn);
        for (String g : List.of("h", "W2", "b2", "hpreact", "embcat", "W1", "emb", "C")) assertEquals(Cmp.GRAPH, c.row(g).autograd, g);
        for (String e : List.of("logprobs", "probs", "counts_sum_inv", "counts_sum", "counts", "norm_logits", "logit_maxes",
                "bnraw", "bnvar_inv", "bnvar", "bndiff2", "bndiff", "bnmeani")) {
            assertEquals(Cmp.ELEMENTARY, c.row(e).autograd, e);
        }
        // The fused formulas really are other computations: not bitwise equal on a trained model.
        assertFalse(c.row("hprebn").exact);
        assertFalse(c.row("logits").exact);
    }

    @Test
    void withTheWrongNormaliserTheRowsFromBndiff2BackTurnFalseAndTheOthersStayTrue() {
        for (Model m : List.of(atInit, trained)) {
            BackwardCheck c = BackwardCheck.run(m, data.train, 2, true);
            assertTrue(c.besselMismatch);
            for (Cmp r : c.rows) {
                if (AFTER_BNDIFF2.contains(r.name)) {
                    assertFalse(r.approx, r.name + " should differ with n−1 in the backward: " + r);
                    assertTrue(r.maxdiff > 1e-6, r.name + ": " + r);
                } else {
                    assertTrue(r.approx, r.name + " comes before dbndiff2 or sums its error away: " + r);
                }
            }
            // The wrong term 2·bndiff·dbndiff2 sums to 0 over the batch: dbnmeani does not see it.
            assertTrue(c.row("bnmeani").approx);
            assertFalse(c.allApprox());
        }
    }

    @Test
    void theLectureGraphComputesTheTrainingGraphsLossAndGradients() {
        // Run the two graphs each on its own (no shared forward): the same network within float32.
        Model copy = BackwardCheck.copyOf(trained);
        Sequential.Pass pass = copy.net.unfusedPass(32);
        int[] rows = new int[32];
        for (int i = 0; i < 32; i++) rows[i] = 1000 * i + 7;
        pass.load(data.train, rows);
        pass.graph.forward();
        pass.graph.backward();
        LectureGraph g = new LectureGraph(copy.net, pass.x, pass.y);
        g.forward();
        g.backward();
        assertEquals(pass.loss.item(), g.loss.item(), 1e-5);
        Tensor[][] pairs = {{copy.net.embedding().weight, g.C}, {copy.parameters().get(1), g.W1}, {copy.parameters().get(2), g.bngain},
            {copy.parameters().get(3), g.bnbias}, {copy.parameters().get(4), g.W2}, {copy.parameters().get(5), g.b2}};
        for (Tensor[] p : pairs) {
            double largest = 0, worst = 0;
            for (int i = 0; i < p[0].size(); i++) {
                largest = Math.max(largest, Math.abs(p[0].grad[i]));
                worst = Math.max(worst, Math.abs(p[0].grad[i] - p[1].grad[i]));
            }
            assertTrue(worst < 1e-4 * largest, p[1].name + ": gradients differ by " + worst + " of " + largest);
        }
    }

    @Test
    void theCheckLeavesTheModelAsItWas() {
        Model m = trained;
        List<float[]> before = new ArrayList<>();
        for (Tensor p : m.parameters()) { before.add(p.data.clone()); before.add(p.grad.clone()); }
        for (BatchNorm1d bn : m.batchNorms()) { before.add(bn.runningMean.clone()); before.add(bn.runningVar.clone()); }
        m.eval();
        BackwardCheck.run(m, data.train, 9, false);
        int k = 0;
        for (Tensor p : m.parameters()) {
            assertArrayEquals(before.get(k++), p.data, p.name);
            assertArrayEquals(before.get(k++), p.grad, p.name + " grad");
        }
        for (BatchNorm1d bn : m.batchNorms()) {
            assertArrayEquals(before.get(k++), bn.runningMean);
            assertArrayEquals(before.get(k++), bn.runningVar);
            assertFalse(bn.training(), "still in eval mode");
        }
        m.train();
    }

    @Test
    void theLecturesInitRandomisesWhatAFreshInitWouldLeaveAtOneOrZero() {
        Model m = atInit;
        BatchNorm1d bn = m.batchNorms().get(0);
        float[] b2 = m.parameters().get(5).data;
        assertTrue(spread(bn.gamma.data) > 0.05 && spread(bn.beta.data) > 0.05 && spread(b2) > 0.05);
        assertEquals(1, mean(bn.gamma.data), 0.03);
    }

    static double mean(float[] a) {
        double s = 0;
        for (float v : a) s += v;
        return s / a.length;
    }

    static double spread(float[] a) {
        double mu = mean(a), s = 0;
        for (float v : a) s += (v - mu) * (v - mu);
        return Math.sqrt(s / a.length);
    }

    @Test
    void anotherNetworkIsRefusedSayingWhichLayersTheCheckFollows() {
        Config c = Presets.apply("deep-batchnorm", TestData.small());
        Model deep = Model.init(c, data.vocab);
        String message = assertThrows(IllegalArgumentException.class, () -> BackwardCheck.run(deep, data.train, 1, false)).getMessage();
        assertTrue(message.startsWith("the backward check follows the lecture's network"), message);
        Config plain = TestData.small();
        plain.batchNorm = false;
        assertThrows(IllegalArgumentException.class, () -> BackwardCheck.run(Model.init(plain, data.vocab), data.train, 1, false));
    }
}
