package teagrad.inference;

import teagrad.autograd.FMath;
import teagrad.autograd.Kernels;
import teagrad.autograd.Ops;
import teagrad.data.Dataset;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Embedding;
import teagrad.nn.Flatten;
import teagrad.nn.Layer;
import teagrad.nn.Linear;
import teagrad.nn.Sequential;
import teagrad.nn.Tanh;
import teagrad.model.Model;

/**
 * The network in eval mode without a gradient graph: for whole-split losses, calibration and
 * sampling. The lookup table below is computed when it is created: create it after training,
 * and use it while the model stays as it was.
 *
 * <p>Where the network starts Embedding → Flatten → Linear, that is a table lookup per context
 * position: emb.view(B,-1) @ W = Σ_p C[x_p] @ W[p·embed:(p+1)·embed, :] = Σ_p T_p[x_p], with
 * T_p = C @ W_p computed once ([vocab × width] per position). In eval mode a batch norm right
 * after it is a fixed per-feature affine map, y = scale·x + shift with scale = γ/√(running var + ε)
 * and shift = β − running mean·scale, so it folds into the tables too. One example then costs
 * block·width additions for the first layers; the rest run layer by layer, in chunks of rows.
 * The usual start, table → Tanh → Linear, is one kernel ({@link Kernels#sumTanhMatmulBias}):
 * in the WebAssembly worker the hidden layer then never leaves the SIMD module's memory.
 */
public final class Inference {
    private static final int CHUNK = 256;

    private final Model model;
    private final Sequential net;
    private final int block, vocab, end;   // layers [0, end) are run
    private final int tableWidth;          // > 0: layers [0, tableEnd) are the lookup table
    private final int tableEnd;
    private final float[] table;           // [block][vocab][width]: T_p with batch norm's scale folded in
    private final float[] shift;           // [width]: batch norm's shift, or the bias
    private final Kernels.Scratch[] scratch;   // row buffers of each layer's product
    private final int maxWidth;
    private float[] a = new float[0], b = new float[0];   // ping-pong activations of one chunk
    private int[] at = new int[0];                        // the table rows of a chunk's examples, block per example

    /** The whole network: its output is the logits. */
    public Inference(Model model) {
        this(model, model.net.size());
    }

    /** Layers [0, end) only: calibration reads a batch norm's input. */
    private Inference(Model model, int end) {
        this.model = model;
        net = model.net;
        this.end = end;
        block = net.blockSize;
        vocab = model.vocab.size();
        scratch = new Kernels.Scratch[net.size()];
        int widest = block * net.embedding().dim;
        for (int i = 0; i < net.size(); i++) {
            scratch[i] = Kernels.scratch();
            widest = Math.max(widest, net.shape(i)[net.shape(i).length - 1] * (i == 0 ? block : 1));
        }
        maxWidth = widest;
        if (net.startsWithEmbeddingLinear() && end >= 3) {
            Linear first = (Linear) net.layer(2);
            int w = first.out;
            boolean foldBn = end >= 4 && net.layer(3) instanceof BatchNorm1d;
            float[] scale = new float[w];
            shift = new float[w];
            java.util.Arrays.fill(scale, 1f);
            if (foldBn) {
                BatchNorm1d bn = (BatchNorm1d) net.layer(3);
                for (int j = 0; j < w; j++) {
                    scale[j] = bn.gamma.data[j] / FMath.sqrt(bn.runningVar[j] + bn.eps);
                    shift[j] = bn.beta.data[j] - bn.runningMean[j] * scale[j];
                }
            } else if (first.bias != null) {
                System.arraycopy(first.bias.data, 0, shift, 0, w);
            }
            Embedding emb = net.embedding();
            int d = emb.dim;
            table = new float[block * vocab * w];
            for (int p = 0; p < block; p++) {
                // T_p = C[vocab × d] @ W rows p·d .. p·d+d−1  → [vocab × w]
                float[] wp = new float[d * w];
                System.arraycopy(first.weight.data, p * d * w, wp, 0, d * w);
                float[] tp = new float[vocab * w];
                Kernels.matmulBias(emb.weight.data, wp, null, tp, vocab, d, w, scratch[2]);
                for (int v = 0; v < vocab; v++) {
                    for (int j = 0; j < w; j++) table[(p * vocab + v) * w + j] = tp[v * w + j] * scale[j];
                }
            }
            tableWidth = w;
            tableEnd = foldBn ? 4 : 3;
        } else {
            table = shift = null;
            tableWidth = 0;
            tableEnd = 0;
        }
    }

    /**
     * Rows {@code start .. start+n} of contexts x (block indices each) through layers [0, end);
     * returns the buffer that holds the result, [n × width of layer end−1].
     */
    private float[] run(int[] x, int start, int n) {
        if (a.length < n * maxWidth) {
            a = new float[n * maxWidth];
            b = new float[n * maxWidth];
            at = new int[n * block];
        }
        float[] in = a, out = b;
        int width, i;
        if (tableWidth > 0) {
            width = tableWidth;
            for (int r = 0; r < n; r++) {       // example r's rows: T_p[x_p] for every position p
                for (int p = 0; p < block; p++) at[r * block + p] = (p * vocab + x[(start + r) * block + p]) * width;
            }
            i = tableEnd;
            if (i + 1 < end && net.layer(i) instanceof Tanh && net.layer(i + 1) instanceof Linear lin
                    && Kernels.summedIntoCoefficients(n, width, lin.out, scratch[i + 1])) {   // the usual case in the WASM worker: one pass
                Kernels.sumTanhMatmulBias(table, shift, at, block, lin.weight.data, lin.bias == null ? null : lin.bias.data, out, n, width, lin.out, scratch[i + 1]);
                float[] t = in; in = out; out = t;
                width = lin.out;
                i += 2;
            } else {
                Kernels.sumRows(table, shift, at, n, block, width, in);
            }
        } else {
            Embedding emb = net.embedding();
            width = block * emb.dim;   // gathered and flattened: the same numbers
            for (int r = 0; r < n * block; r++) {
                int v = x[start * block + r];
                System.arraycopy(emb.weight.data, v * emb.dim, in, r * emb.dim, emb.dim);
            }
            i = 1;
        }
        for (; i < end; i++) {
            Layer l = net.layer(i);
            if (l instanceof Tanh) {
                Kernels.tanh(in, in, n * width, scratch[i]);
            } else if (l instanceof Linear lin) {
                Kernels.matmulBias(in, lin.weight.data, lin.bias == null ? null : lin.bias.data, out, n, lin.in, lin.out, scratch[i]);
                float[] t = in; in = out; out = t;
                width = lin.out;
            } else if (l instanceof BatchNorm1d bn) {
                for (int j = 0; j < width; j++) {
                    // as the eval forward of the training graph: γ·(x − running mean)/√(running var + ε) + β
                    float inv = (float) (1 / Math.sqrt(bn.runningVar[j] + bn.eps)), mu = bn.runningMean[j];
                    float g = bn.gamma.data[j], be = bn.beta.data[j];
                    for (int k = j; k < n * width; k += width) in[k] = g * ((in[k] - mu) * inv) + be;
                }
            } else if (!(l instanceof Flatten)) {
                throw new IllegalStateException("no eval path for " + l);
            }
        }
        return in;
    }

    /** Mean cross-entropy over every example of a split, in eval mode (running statistics). */
    public double loss(Dataset.Split s) {
        if (s.size == 0) return Double.NaN;
        float[] probs = new float[CHUNK * vocab];
        int[] targets = new int[CHUNK];
        double total = 0;
        for (int start = 0; start < s.size; start += CHUNK) {
            int n = Math.min(CHUNK, s.size - start);
            float[] logits = run(s.x, start, n);
            System.arraycopy(s.y, start, targets, 0, n);
            total += (double) Ops.crossEntropyForward(logits, targets, probs, n, vocab) * n;
        }
        return total / s.size;
    }

    /** The logits of one context (x[offset .. offset+block)) into {@code logits[vocab]}. */
    public void logits(int[] x, int offset, float[] logits) {
        if (offset % block != 0) {
            int[] one = new int[block];
            System.arraycopy(x, offset, one, 0, block);
            System.arraycopy(run(one, 0, 1), 0, logits, 0, vocab);
        } else {
            System.arraycopy(run(x, offset / block, 1), 0, logits, 0, vocab);
        }
    }

    /**
     * The notebook's calibration pass: set every batch norm's running mean and variance from its
     * input over the whole training split (variance unbiased, as PyTorch tracks it), instead of
     * relying on the slow running average of a short run. Layer by layer, since a batch norm's
     * input depends on the batch norms before it.
     */
    public static void calibrate(Model model, Dataset.Split train) {
        if (train.size < 2) return;
        Sequential net = model.net;
        for (int i = 0; i < net.size(); i++) {
            if (!(net.layer(i) instanceof BatchNorm1d bn)) continue;
            Inference before = new Inference(model, i);   // up to the batch norm's input
            int width = bn.features;
            double[] sum = new double[width], sumSq = new double[width];
            for (int start = 0; start < train.size; start += CHUNK) {
                int n = Math.min(CHUNK, train.size - start);
                float[] pre = before.run(train.x, start, n);
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < width; j++) {
                        float v = pre[r * width + j];
                        sum[j] += v;
                        sumSq[j] += (double) v * v;
                    }
                }
            }
            int n = train.size;
            for (int j = 0; j < width; j++) {
                double mean = sum[j] / n;
                double var = Math.max(0, (sumSq[j] - n * mean * mean) / (n - 1));
                bn.runningMean[j] = (float) mean;
                bn.runningVar[j] = (float) var;
            }
        }
    }
}
