package teagrad.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import teagrad.autograd.Kernels;
import teagrad.autograd.Tensor;
import teagrad.data.Dataset;
import teagrad.data.Rng;
import teagrad.data.Vocab;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Embedding;
import teagrad.nn.Flatten;
import teagrad.nn.Linear;
import teagrad.nn.Sequential;
import teagrad.nn.Tanh;

/**
 * The lecture's backward check (makemore part 4, "backprop ninja"): one batch through the
 * chapter's network, its gradients written out by hand through every intermediate
 * ({@link ManualBackward}) and compared with autograd's, a {@link Cmp} row per tensor, in the
 * lecture's order.
 *
 * <p>Autograd is teagrad's training graph, the ops every training step runs, with two fused
 * ops: cross-entropy (its row: logits) and {@link BatchNorm1d} (its rows: hprebn, bngain,
 * bnbias). Their backwards are formulas of their own (each quoted beside its code: Ops.crossEntropy,
 * BatchNorm1d.backward); in the notebook's notation, with its Bessel-corrected bnvar,
 * <pre>
 *   dlogits = (softmax(logits) − onehot(Yb)) / n
 *   dhprebn = bngain·bnvar_inv/n · (n·dhpreact − dhpreact.sum(0) − n/(n−1)·bnraw·(dhpreact·bnraw).sum(0))
 * </pre>
 * and with the biased bnvar that BatchNorm1d normalises with, n/(n−1) becomes 1. So those rows
 * agree approximately, as the lecture's exercises 2 and 3 do (bnbias, a plain sum, exactly),
 * and every other row exactly: the hand-written line and autograd do the same float operations
 * on the same values ({@link #fusedBackward} says how the two graphs share them). Inside the fused ops the
 * lecture's intermediates (logprobs … logit_maxes, bnraw … bnmeani) have no tensor; their rows
 * compare with teagrad's autograd on the lecture's forward written op by op ({@link LectureGraph}).
 *
 * <p>The model is copied first: its running statistics, gradients and mode stay as they were,
 * so the page can check the model it is training.
 */
public final class BackwardCheck {
    /** The batch's loss. */
    public final float loss;
    /** The rows of the table, in the lecture's order. */
    public final List<Cmp> rows;
    /** Whether the manual backward had the wrong normaliser ({@link ManualBackward}). */
    public final boolean besselMismatch;

    private BackwardCheck(float loss, List<Cmp> rows, boolean besselMismatch) {
        this.loss = loss;
        this.rows = Collections.unmodifiableList(rows);
        this.besselMismatch = besselMismatch;
    }

    /**
     * Checks the backward on one batch of the model's batch size, drawn uniformly (with
     * replacement, as training draws) from {@code train} by {@code Rng(seed, PROBE)}: the batch
     * the trainer's look at step 0 uses ({@link teagrad.train.Trainer#probe}).
     * @throws IllegalArgumentException if the model is not the lecture's network
     */
    public static BackwardCheck run(Model model, Dataset.Split train, long seed, boolean besselMismatch) {
        requireLectureNetwork(model.net);
        if (train.size == 0) throw new IllegalArgumentException("the training split is empty: the check needs one batch from it");
        int n = model.config.batchSize;
        Rng rng = new Rng(seed, Rng.PROBE);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = rng.nextInt(train.size);

        // The training graph on a copy, every layer its own op (so emb and embcat have a grad).
        Model copy = copyOf(model);
        copy.train();
        Sequential.Pass pass = copy.net.unfusedPass(n);
        pass.load(train, rows);
        LectureGraph g = new LectureGraph(copy.net, pass.x, pass.y);
        g.forward();
        g.backward();
        ManualBackward m = new ManualBackward(g, besselMismatch);
        float[][] fusedGrads = fusedBackward(pass, g);
        Linear first = (Linear) copy.net.layer(2), last = (Linear) copy.net.layer(5);
        BatchNorm1d bn = (BatchNorm1d) copy.net.layer(3);
        List<Cmp> t = new ArrayList<>();
        t.add(elementary("logprobs", m.dlogprobs, g.logprobs));
        t.add(elementary("probs", m.dprobs, g.probs));
        t.add(elementary("counts_sum_inv", m.dcounts_sum_inv, g.counts_sum_inv));
        t.add(elementary("counts_sum", m.dcounts_sum, g.counts_sum));
        t.add(elementary("counts", m.dcounts, g.counts));
        t.add(elementary("norm_logits", m.dnorm_logits, g.norm_logits));
        t.add(elementary("logit_maxes", m.dlogit_maxes, g.logit_maxes));
        t.add(Cmp.of("logits", m.dlogits, fusedGrads[0], Cmp.CROSS_ENTROPY));
        t.add(graph("h", m.dh, pass.output(4)));
        t.add(graph("W2", m.dW2, last.weight));
        t.add(graph("b2", m.db2, last.bias));
        t.add(graph("hpreact", m.dhpreact, pass.output(3)));
        t.add(Cmp.of("bngain", m.dbngain, bn.gamma.grad, Cmp.BATCH_NORM));
        t.add(Cmp.of("bnbias", m.dbnbias, bn.beta.grad, Cmp.BATCH_NORM));
        t.add(elementary("bnraw", m.dbnraw, g.bnraw));
        t.add(elementary("bnvar_inv", m.dbnvar_inv, g.bnvar_inv));
        t.add(elementary("bnvar", m.dbnvar, g.bnvar));
        t.add(elementary("bndiff2", m.dbndiff2, g.bndiff2));
        t.add(elementary("bndiff", m.dbndiff, g.bndiff));
        t.add(elementary("bnmeani", m.dbnmeani, g.bnmeani));
        t.add(Cmp.of("hprebn", m.dhprebn, fusedGrads[1], Cmp.BATCH_NORM));
        t.add(graph("embcat", m.dembcat, pass.output(1)));
        t.add(graph("W1", m.dW1, first.weight));
        t.add(graph("emb", m.demb, pass.output(0)));
        t.add(graph("C", m.dC, copy.net.embedding().weight));
        return new BackwardCheck(g.loss.item(), t, besselMismatch);
    }

    /**
     * The training graph's forward and backward, op by op, the way the lecture compares a fused
     * backward (its exercises 2 and 3): on the same forward values and the same gradient
     * arriving from above, so that a row measures one formula and not the float32 noise of
     * everything computed after it. Two values are set from the lecture's graph:
     * <ul>
     * <li>forward, batch norm's output: its fused forward sums in double and lands a few ulps
     *     from the elementary hpreact, which tanh and the 200-term products would grow into
     *     logits ~1e-6 apart; softmax turns that into relative differences of ~1e-6 in every
     *     gradient. (Its backward still runs on its own x̂ and 1/√(σ² + ε).)</li>
     * <li>backward, the output of each fused backward (dlogits from cross-entropy's, dhprebn
     *     from batch norm's) is kept for its row, then replaced by autograd's elementary one
     *     before the ops below read it: otherwise each row further down would also carry the
     *     difference between the two formulas (dlogit_maxes, mathematically 0, is a sum of 27
     *     terms that float32 leaves at ~1e-8), and allclose's atol of 1e-8 sits at that level.</li>
     * </ul>
     * Only autograd's values are used; the manual backward is never read.
     * @return the fused backwards' own dlogits and dhprebn; the graph's tensors hold the rest
     */
    private static float[][] fusedBackward(Sequential.Pass pass, LectureGraph g) {
        Tensor[] ops = pass.graph.ops();
        Tensor hprebn = pass.output(2), hpreact = pass.output(3), logits = pass.output(5);
        for (Tensor op : ops) {
            op.forwardFunction().run();
            if (op == hpreact) {
                System.arraycopy(g.hpreact.data, 0, hpreact.data, 0, hpreact.size());
                Kernels.overwritten(hpreact.data);   // tanh reads these values, not where batch norm computed its own
            }
        }
        // Graph.backward, a step at a time: clear, d(loss)/d(loss) = 1, the ops in reverse order.
        for (Tensor op : ops) op.zeroGrad();
        pass.loss.grad[0] = 1f;
        float[] dlogits = null, dhprebn = null;
        for (int i = ops.length - 1; i >= 0; i--) {
            for (Runnable backward : ops[i].backwardFunctions()) backward.run();
            if (ops[i] == pass.loss) {             // fused cross-entropy: dlogits = (softmax − onehot)/n
                dlogits = logits.grad.clone();
                System.arraycopy(g.logits.grad, 0, logits.grad, 0, logits.size());
            } else if (ops[i] == hpreact) {        // fused batch norm: dhprebn, and dbngain, dbnbias
                dhprebn = hprebn.grad.clone();
                System.arraycopy(g.hprebn.grad, 0, hprebn.grad, 0, hprebn.size());
            }
        }
        return new float[][] {dlogits, dhprebn};
    }

    private static Cmp elementary(String name, float[] dt, Tensor t) { return Cmp.of(name, dt, t.grad, Cmp.ELEMENTARY); }

    private static Cmp graph(String name, float[] dt, Tensor t) { return Cmp.of(name, dt, t.grad, Cmp.GRAPH); }

    /** Whether every row is approximately equal (the check passes). */
    public boolean allApprox() {
        for (Cmp c : rows) if (!c.approx) return false;
        return true;
    }

    /** The row of one tensor, by its lecture name. */
    public Cmp row(String name) {
        for (Cmp c : rows) if (c.name.equals(name)) return c;
        throw new IllegalArgumentException("no row '" + name + "'");
    }

    /**
     * The chapter's network initialised as the lecture's part 4 does it, "in non-standard ways
     * because sometimes initializing with e.g. all zeros could mask an incorrect implementation
     * of the backward pass": W2 and b2 ~ N(0, 1)·0.1, bngain ~ 1 + N(0, 1)·0.1, bnbias ~ N(0, 1)·0.1
     * (C and W1 as usual). A freshly initialised γ = 1, β = 0, b2 = 0 would hide a backward
     * that forgot γ, and a b2 gradient nobody computed.
     */
    public static Model lectureInit(Config config, Vocab vocab) {
        Config c = config.copy();
        c.outScale = 0.1f;
        c.outBiasScale = 0.1f;
        Model m = Model.init(c, vocab);
        requireLectureNetwork(m.net);
        Rng rng = new Rng(c.seed, Rng.CHECK);
        for (BatchNorm1d bn : m.batchNorms()) {
            for (int j = 0; j < bn.features; j++) bn.gamma.data[j] = 1 + 0.1f * rng.nextGaussian();
            for (int j = 0; j < bn.features; j++) bn.beta.data[j] = 0.1f * rng.nextGaussian();
        }
        return m;
    }

    /** @throws IllegalArgumentException unless the layers are the lecture's: Embedding, Flatten, Linear (no bias), BatchNorm1d, Tanh, Linear */
    static void requireLectureNetwork(Sequential net) {
        boolean lecture = net.size() == 6 && net.layer(1) instanceof Flatten
            && net.layer(2) instanceof Linear l1 && l1.bias == null && net.layer(3) instanceof BatchNorm1d
            && net.layer(4) instanceof Tanh && net.layer(5) instanceof Linear l2 && l2.bias != null;
        if (!lecture) {
            StringBuilder layers = new StringBuilder();
            for (int i = 0; i < net.size(); i++) layers.append(i == 0 ? "" : ", ").append(net.layer(i));
            throw new IllegalArgumentException("the backward check follows the lecture's network, Embedding, Flatten, Linear (no bias), BatchNorm1d, Tanh, Linear; this one is " + layers);
        }
    }

    /** A model with the same settings, parameters and running statistics, sharing no array with the original. */
    static Model copyOf(Model model) {
        Model copy = Model.init(model.config, model.vocab);
        List<Tensor> from = model.parameters(), to = copy.parameters();
        for (int i = 0; i < from.size(); i++) System.arraycopy(from.get(i).data, 0, to.get(i).data, 0, from.get(i).size());
        List<BatchNorm1d> a = model.batchNorms(), b = copy.batchNorms();
        for (int i = 0; i < a.size(); i++) {
            System.arraycopy(a.get(i).runningMean, 0, b.get(i).runningMean, 0, a.get(i).features);
            System.arraycopy(a.get(i).runningVar, 0, b.get(i).runningVar, 0, a.get(i).features);
        }
        return copy;
    }
}
