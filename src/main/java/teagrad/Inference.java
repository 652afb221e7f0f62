package teagrad;

/**
 * The network in eval mode without a gradient graph: for whole-split losses, calibration and
 * sampling.
 *
 * <p>An embedding followed by a linear layer is a table lookup per context position:
 * emb.view(B,-1) @ W1 = Σ_p C[x_p] @ W1[p·embed:(p+1)·embed, :] = Σ_p T_p[x_p], with
 * T_p = C @ W1_p computed once ([vocab × hidden] per position). In eval mode batch norm is a
 * fixed per-feature affine map, hbn = scale·hpreact + shift with scale = γ/√(running var + ε)
 * and shift = β − running mean·scale, so it folds into the tables too. One example then costs
 * block·hidden additions, hidden tanh and one hidden×vocab product.
 */
public final class Inference {
    private final Mlp model;
    private final int block, hidden, vocab;
    private final float[] table;   // [block][vocab][hidden]: T_p with batch norm's scale folded in
    private final float[] shift;   // [hidden]: batch norm's shift, or b1 without batch norm
    private final Kernels.Scratch scratch = new Kernels.Scratch();   // row buffers of every product here

    /** Snapshot of the model's current parameters and running statistics. */
    public Inference(Mlp model) {
        this(model, true);
    }

    private Inference(Mlp model, boolean foldBatchNorm) {
        this.model = model;
        block = model.config.blockSize;
        hidden = model.config.hidden;
        vocab = model.vocab.size();
        int d = model.config.embedDim;
        float[] scale = new float[hidden];
        shift = new float[hidden];
        java.util.Arrays.fill(scale, 1f);
        BatchNorm1d bn = model.bn;
        if (bn != null && foldBatchNorm) {
            for (int j = 0; j < hidden; j++) {
                scale[j] = bn.gamma.data[j] / FMath.sqrt(bn.runningVar[j] + bn.eps);
                shift[j] = bn.beta.data[j] - bn.runningMean[j] * scale[j];
            }
        } else if (model.b1 != null) {
            System.arraycopy(model.b1.data, 0, shift, 0, hidden);
        }
        table = new float[block * vocab * hidden];
        for (int p = 0; p < block; p++) {
            // T_p = C[vocab × d] @ W1 rows p·d .. p·d+d−1  → [vocab × hidden]
            float[] w1p = new float[d * hidden];
            System.arraycopy(model.W1.data, p * d * hidden, w1p, 0, d * hidden);
            float[] tp = new float[vocab * hidden];
            Kernels.matmulBias(model.C.data, w1p, null, tp, vocab, d, hidden, scratch);
            for (int v = 0; v < vocab; v++) {
                for (int j = 0; j < hidden; j++) {
                    table[(p * vocab + v) * hidden + j] = tp[v * hidden + j] * scale[j];
                }
            }
        }
    }

    /** hpreact (or, with batch norm folded, hbn) of one example into {@code out[hidden]}. */
    private void firstLayer(int[] x, int offset, float[] out, int outOffset) {
        System.arraycopy(shift, 0, out, outOffset, hidden);
        for (int p = 0; p < block; p++) {
            int row = (p * vocab + x[offset + p]) * hidden;
            for (int j = 0; j < hidden; j++) out[outOffset + j] += table[row + j];
        }
    }

    /** Mean cross-entropy over every example of a split, in eval mode (running statistics). */
    public double loss(Dataset.Split s) {
        if (s.size == 0) return Double.NaN;
        final int chunk = 256;
        float[] h = new float[chunk * hidden], logits = new float[chunk * vocab], probs = new float[chunk * vocab];
        int[] targets = new int[chunk];
        double total = 0;
        for (int start = 0; start < s.size; start += chunk) {
            int n = Math.min(chunk, s.size - start);
            for (int i = 0; i < n; i++) {
                firstLayer(s.x, (start + i) * block, h, i * hidden);
                for (int j = 0; j < hidden; j++) h[i * hidden + j] = FMath.tanh(h[i * hidden + j]);
                targets[i] = s.y[start + i];
            }
            Kernels.matmulBias(h, model.W2.data, model.b2.data, logits, n, hidden, vocab, scratch);
            total += (double) Ops.crossEntropyForward(logits, targets, probs, n, vocab) * n;
        }
        return total / s.size;
    }

    /** The logits of one context (x[offset .. offset+block)) into {@code logits[vocab]}. */
    public void logits(int[] x, int offset, float[] h, float[] logits) {
        firstLayer(x, offset, h, 0);
        for (int j = 0; j < hidden; j++) h[j] = FMath.tanh(h[j]);
        Kernels.matmulBias(h, model.W2.data, model.b2.data, logits, 1, hidden, vocab, scratch);
    }

    /**
     * The notebook's calibration pass: set batch norm's running mean and variance from the
     * pre-activations of the whole training split (variance unbiased, as PyTorch tracks it),
     * instead of relying on the slow running average of a short run.
     */
    public static void calibrate(Mlp model, Dataset.Split train) {
        BatchNorm1d bn = model.bn;
        if (bn == null || train.size < 2) return;
        Inference raw = new Inference(model, false);   // tables without batch norm: hpreact itself
        int hidden = raw.hidden;
        double[] sum = new double[hidden], sumSq = new double[hidden];
        float[] pre = new float[hidden];
        for (int i = 0; i < train.size; i++) {
            raw.firstLayer(train.x, i * raw.block, pre, 0);
            for (int j = 0; j < hidden; j++) {
                sum[j] += pre[j];
                sumSq[j] += (double) pre[j] * pre[j];
            }
        }
        int n = train.size;
        for (int j = 0; j < hidden; j++) {
            double mean = sum[j] / n;
            double var = Math.max(0, (sumSq[j] - n * mean * mean) / (n - 1));
            bn.runningMean[j] = (float) mean;
            bn.runningVar[j] = (float) var;
        }
    }
}
