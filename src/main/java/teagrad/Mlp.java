package teagrad;

import java.util.ArrayList;
import java.util.List;

/**
 * The chapter's network, makemore's MLP with batch norm:
 * <pre>
 *   emb     = C[X]                     [B, block, embed]   embedding lookup
 *   hpreact = emb.view(B, -1) @ W1     [B, hidden]         (+ b1 only without batch norm)
 *   hbn     = BatchNorm1d(hpreact)     [B, hidden]
 *   h       = tanh(hbn)
 *   logits  = h @ W2 + b2              [B, vocab]
 *   loss    = cross_entropy(logits, Y)
 * </pre>
 * Weights are stored [in, out], as the notebook's W1 and W2 are. The first two lines run as one
 * op, {@link Ops#embeddingLinear}: an embedding followed by a linear layer is a table lookup per
 * position, so each distinct token of a position is multiplied by W1 once per batch (forward and
 * both gradients), and emb itself is never materialised.
 */
public final class Mlp {
    public final Config config;
    public final Vocab vocab;
    public final Tensor C, W1, b1, W2, b2;   // b1 is null with batch norm: β does its job
    public final BatchNorm1d bn;             // null without batch norm

    /** A freshly initialised network (the notebook's init, drawn from {@code Rng(seed, INIT)}). */
    public Mlp(Config config, Vocab vocab) {
        config.validate();
        this.config = config.copy();
        this.vocab = vocab;
        int v = vocab.size(), d = config.embedDim, fanIn = config.blockSize * d, h = config.hidden;
        Rng rng = new Rng(config.seed, Rng.INIT);
        C = gaussian("C", rng, 1f, v, d);
        W1 = gaussian("W1", rng, config.initGain / (float) Math.sqrt(fanIn), fanIn, h);
        b1 = config.batchNorm ? null : new Tensor("b1", h);
        W2 = gaussian("W2", rng, config.outScale, h, v);
        b2 = new Tensor("b2", v);
        bn = config.batchNorm ? new BatchNorm1d(h, config.momentum, config.eps) : null;
    }

    private static Tensor gaussian(String name, Rng rng, float scale, int... shape) {
        Tensor t = new Tensor(name, shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = rng.nextGaussian() * scale;
        return t;
    }

    /** Parameters in the order the model file and the notebook list them. */
    public List<Tensor> parameters() {
        List<Tensor> ps = new ArrayList<>(List.of(C, W1));
        if (b1 != null) ps.add(b1);
        if (bn != null) { ps.add(bn.gamma); ps.add(bn.beta); }
        ps.add(W2);
        ps.add(b2);
        return ps;
    }

    public int parameterCount() {
        int n = 0;
        for (Tensor p : parameters()) n += p.size();
        return n;
    }

    /** Training mode: batch norm uses and updates batch statistics. */
    public void train() { if (bn != null) bn.training = true; }

    /** Eval mode: batch norm uses its running statistics. */
    public void eval() { if (bn != null) bn.training = false; }

    public boolean isTraining() { return bn == null || bn.training; }

    /** The forward graph for batches of {@code batch} examples; refill x and y, then run it. */
    public Pass pass(int batch) { return new Pass(this, batch); }

    /** One forward/backward graph with its input buffers and named activations. */
    public static final class Pass {
        public final int batch;
        public final int[] x;    // [batch × blockSize] context indices
        public final int[] y;    // [batch] targets
        public final Tensor hpreact, hbn, h, logits, loss;
        public final Graph graph;

        Pass(Mlp m, int batch) {
            this.batch = batch;
            int block = m.config.blockSize;
            x = new int[batch * block];
            y = new int[batch];
            hpreact = Ops.embeddingLinear(m.C, x, batch, block, m.W1, m.b1);   // C[X].view(B, -1) @ W1, fused
            hbn = m.bn == null ? null : m.bn.apply(hpreact);
            h = Ops.tanh(hbn == null ? hpreact : hbn);
            logits = Ops.matmul(h, m.W2, m.b2);
            loss = Ops.crossEntropy(logits, y);
            graph = new Graph(loss);
        }

        /** Copies examples {@code rows[i]} of a split into the input buffers. */
        public void load(Dataset.Split s, int[] rows) {
            int block = s.blockSize;
            for (int i = 0; i < batch; i++) {
                System.arraycopy(s.x, rows[i] * block, x, i * block, block);
                y[i] = s.y[rows[i]];
            }
        }
    }
}
