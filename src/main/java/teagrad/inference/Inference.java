package teagrad.inference;

import teagrad.autograd.FMath;
import teagrad.autograd.Kernels;
import teagrad.autograd.Ops;
import teagrad.data.Contexts;
import teagrad.data.Dataset;
import teagrad.data.Rng;
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
 *
 * <p>Batch norm normalises with the model's running statistics, or with any other
 * {@link RunningStats} given (calibrated, biased), or, in {@link #batchStatisticsLoss}, with each
 * batch's own statistics as training does.
 */
public final class Inference {
    private static final int CHUNK = 256;
    private static final long MAX_DISTINCT_LOGITS = 1 << 22;   // 16 MB of logits; beyond it loss runs example by example

    private final Model model;
    private final Sequential net;
    private final int block, vocab, end;   // layers [0, end) are run
    private final RunningStats stats;      // what each batch norm normalises with; null: each chunk's own statistics
    private final int[] bnOf;              // layer i → its index among the batch norms
    private final int tableWidth;          // > 0: layers [0, tableEnd) are the lookup table
    private final int tableEnd;
    private final float[] table;           // [block][vocab][width]: T_p with batch norm's scale folded in
    private final float[] shift;           // [width]: batch norm's shift, or the bias
    private final Kernels.Scratch[] scratch;   // row buffers of each layer's product
    private final int maxWidth;
    private float[] a = new float[0], b = new float[0];   // ping-pong activations of one chunk
    private int[] at = new int[0];                        // the table rows of a chunk's examples, block per example

    /** The whole network in eval mode: its output is the logits. */
    public Inference(Model model) {
        this(model, model.net.size(), RunningStats.of(model));
    }

    /** The whole network, batch norm normalising with {@code stats} instead of the model's running statistics. */
    public Inference(Model model, RunningStats stats) {
        this(model, model.net.size(), fitting(stats, model));
    }

    private static RunningStats fitting(RunningStats stats, Model model) {
        java.util.List<BatchNorm1d> bns = model.batchNorms();
        boolean fits = stats.mean.length == bns.size();
        for (int k = 0; fits && k < bns.size(); k++) fits = stats.mean[k].length == bns.get(k).features && stats.var[k].length == bns.get(k).features;
        if (!fits) throw new IllegalArgumentException("these statistics are for another network: " + stats.mean.length + " batch norms, this one has " + bns.size());
        return stats;
    }

    /** Layers [0, end) only (calibration reads a batch norm's input); stats null: each chunk's own statistics. */
    private Inference(Model model, int end, RunningStats stats) {
        this.model = model;
        net = model.net;
        this.end = end;
        this.stats = stats;
        bnOf = new int[net.size()];
        for (int i = 0, k = 0; i < net.size(); i++) bnOf[i] = net.layer(i) instanceof BatchNorm1d ? k++ : -1;
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
            boolean foldBn = end >= 4 && net.layer(3) instanceof BatchNorm1d && stats != null;   // a chunk's own statistics are not known in advance
            float[] scale = new float[w];
            shift = new float[w];
            java.util.Arrays.fill(scale, 1f);
            if (foldBn) {
                BatchNorm1d bn = (BatchNorm1d) net.layer(3);
                float[] mean = stats.mean[bnOf[3]], var = stats.var[bnOf[3]];
                for (int j = 0; j < w; j++) {
                    scale[j] = bn.gamma.data[j] / FMath.sqrt(var[j] + bn.eps);
                    shift[j] = bn.beta.data[j] - mean[j] * scale[j];
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
            } else if (l instanceof BatchNorm1d bn && stats == null) {
                normaliseByChunk(bn, in, n, width);
            } else if (l instanceof BatchNorm1d bn) {
                float[] mean = stats.mean[bnOf[i]], var = stats.var[bnOf[i]];
                for (int j = 0; j < width; j++) {
                    // as the eval forward of the training graph: γ·(x − running mean)/√(running var + ε) + β
                    float inv = (float) (1 / Math.sqrt(var[j] + bn.eps)), mu = mean[j];
                    float g = bn.gamma.data[j], be = bn.beta.data[j];
                    for (int k = j; k < n * width; k += width) in[k] = g * ((in[k] - mu) * inv) + be;
                }
            } else if (!(l instanceof Flatten)) {
                throw new IllegalStateException("no eval path for " + l);
            }
        }
        return in;
    }

    /**
     * Mean cross-entropy over every example of a split, in eval mode (running statistics). The
     * network runs once per distinct context ({@link Contexts}): an example's loss is then
     * log Σ exp(logits) − logit_target of its context's row, the same numbers as running every
     * example, added in the same order (chunks of {@value #CHUNK}, each chunk's mean as a float),
     * so the same bits as {@link #lossExampleByExample}.
     */
    public double loss(Dataset.Split s) {
        if (s.size == 0) return Double.NaN;
        Contexts c = s.contexts();
        if (stats == null || (long) c.count * vocab > MAX_DISTINCT_LOGITS) return lossExampleByExample(s);   // a chunk's own statistics couple its rows; a huge vocabulary: keep memory bounded
        float[] logits = new float[c.count * vocab], probs = new float[c.count * vocab];
        double[] logSumExp = new double[c.count];
        for (int start = 0; start < c.count; start += CHUNK) {
            int n = Math.min(CHUNK, c.count - start);
            System.arraycopy(run(c.unique, start, n), 0, logits, start * vocab, n * vocab);
        }
        for (int u = 0; u < c.count; u++) logSumExp[u] = Ops.softmaxRow(logits, u * vocab, probs, vocab);
        double total = 0;
        for (int start = 0; start < s.size; start += CHUNK) {
            int n = Math.min(CHUNK, s.size - start);
            double chunk = 0;
            for (int i = start; i < start + n; i++) {
                int u = c.of[i], t = s.y[i];
                Ops.requireTarget(t, vocab);
                chunk += logSumExp[u] - logits[u * vocab + t];
            }
            total += (double) (float) (chunk / n) * n;   // as crossEntropyForward's mean of the chunk
        }
        return total / s.size;
    }

    /** {@link #loss} the plain way: every example through the network, a chunk at a time. */
    double lossExampleByExample(Dataset.Split s) {
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
     * The notebook's calibration pass: every batch norm's mean and variance over its input for
     * the whole training split (variance unbiased, as PyTorch tracks it), instead of the slow
     * running average of a short run. Layer by layer, since a batch norm's input depends on the
     * batch norms before it. The model is left as it was.
     */
    public static RunningStats calibrated(Model model, Dataset.Split train) {
        RunningStats stats = RunningStats.of(model).copy();
        if (train.size < 2) return stats;
        Sequential net = model.net;
        for (int i = 0; i < net.size(); i++) {
            if (!(net.layer(i) instanceof BatchNorm1d bn)) continue;
            Inference before = new Inference(model, i, stats);   // up to the batch norm's input, the ones before calibrated
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
            int n = train.size, k = before.bnOf[i];
            for (int j = 0; j < width; j++) {
                double mean = sum[j] / n;
                double var = Math.max(0, (sumSq[j] - n * mean * mean) / (n - 1));
                stats.mean[k][j] = (float) mean;
                stats.var[k][j] = (float) var;
            }
        }
        return stats;
    }

    /** {@link #calibrated}, written into the model's batch norms (the notebook's cell does that). */
    public static void calibrate(Model model, Dataset.Split train) {
        calibrated(model, train).applyTo(model);
    }

    /**
     * Mean cross-entropy of a split with batch norm in training mode: each batch normalised with
     * its own mean and biased variance, as a training step does, and nothing updated. The
     * batches are the split shuffled by {@code Rng(seed, EVAL_BATCHES)} and cut into
     * {@code batchSize} examples each, so every example is evaluated once among random others,
     * as in training. (In the split's order a batch would hold the consecutive windows of four or
     * five names, each window's target inside the next window's context: not a batch training
     * ever sees, and on a trained model it scores lower than random batches do.) The last batch takes the remainder; one
     * example left over joins the batch before, as the variance of one value is 0.
     * @throws IllegalArgumentException for a split of fewer than 2 examples or a batch size below 2
     */
    public static double batchStatisticsLoss(Model model, Dataset.Split s, int batchSize, long seed) {
        if (batchSize < 2) throw new IllegalArgumentException("batch statistics need batches of at least 2 examples, got " + batchSize);
        if (s.size < 2) throw new IllegalArgumentException("batch statistics need at least 2 examples, the split has " + s.size);
        int[] order = new int[s.size];
        for (int i = 0; i < order.length; i++) order[i] = i;
        new Rng(seed, Rng.EVAL_BATCHES).shuffle(order);
        Inference inference = new Inference(model, model.net.size(), null);
        int block = s.blockSize, vocab = model.vocab.size();
        int[] x = new int[(batchSize + 1) * block], y = new int[batchSize + 1];
        float[] probs = new float[(batchSize + 1) * vocab];
        double total = 0;
        for (int start = 0; start < s.size; ) {
            int n = Math.min(batchSize, s.size - start);
            if (s.size - start - n == 1) n++;   // not a batch of one at the end
            for (int r = 0; r < n; r++) {
                System.arraycopy(s.x, order[start + r] * block, x, r * block, block);
                y[r] = s.y[order[start + r]];
            }
            float[] logits = inference.run(x, 0, n);
            total += (double) Ops.crossEntropyForward(logits, y, probs, n, vocab) * n;
            start += n;
        }
        return total / s.size;
    }

    /** Training mode's normalisation of n rows, with their own mean and biased variance (as BatchNorm1d's forward computes them). */
    private static void normaliseByChunk(BatchNorm1d bn, float[] x, int n, int width) {
        for (int j = 0; j < width; j++) {
            double sum = 0;
            for (int k = j; k < n * width; k += width) sum += x[k];
            double mu = sum / n, sq = 0;
            for (int k = j; k < n * width; k += width) {
                double d = x[k] - mu;
                sq += d * d;
            }
            float inv = (float) (1 / Math.sqrt(sq / n + bn.eps));
            float g = bn.gamma.data[j], b = bn.beta.data[j];
            for (int k = j; k < n * width; k += width) x[k] = g * ((float) (x[k] - mu) * inv) + b;
        }
    }
}
