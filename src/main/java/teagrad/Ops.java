package teagrad;

/**
 * The ops the chapter's network needs. Each returns its result tensor and gives it one
 * backward function per input (batch norm lives in {@link BatchNorm1d}).
 */
public final class Ops {
    private Ops() {}

    /**
     * Embedding gather: out[i, p, :] = table[ix[i·block + p], :].
     * Backward scatter-adds each output row into the table row it came from (rows used twice
     * get both gradients). {@code ix} is read at every forward, so refilling it re-runs the graph
     * on a new minibatch.
     */
    public static Tensor embedding(Tensor table, int[] ix, int rows, int block) {
        requireRank(table, 2, "embedding table");
        if (ix.length < rows * block) {
            throw new IllegalArgumentException("embedding: " + ix.length + " indices cannot fill " + rows + "×" + block);
        }
        int vocab = table.dim(0), dim = table.dim(1);
        Tensor out = new Tensor("embedding", rows, block, dim);
        return out.define(new Tensor[] {table},
            () -> {
                for (int r = 0; r < rows * block; r++) {
                    int v = ix[r];
                    if (v < 0 || v >= vocab) throw new IllegalArgumentException("embedding: index " + v + " outside [0, " + vocab + ")");
                    System.arraycopy(table.data, v * dim, out.data, r * dim, dim);
                }
            },
            () -> {
                for (int r = 0; r < rows * block; r++) {
                    int src = r * dim, dst = ix[r] * dim;
                    for (int d = 0; d < dim; d++) table.grad[dst + d] += out.grad[src + d];
                }
            });
    }

    /** The same numbers seen with another shape (like torch's view): shares data and grad. */
    public static Tensor view(Tensor x, int... shape) {
        if (Tensor.size(shape) != x.size()) {
            throw new IllegalArgumentException("view: cannot view " + x.shapeString() + " as " + java.util.Arrays.toString(shape));
        }
        Tensor out = new Tensor("view", shape, x.data, x.grad);
        out.viewOf = x;
        return out.define(new Tensor[] {x}, () -> {}, () -> {});   // nothing moves: same arrays
    }

    /** x[n×k] · w[k×m] (+ b[m]): a linear layer with weights stored [in, out]. */
    public static Tensor matmul(Tensor x, Tensor w, Tensor b) {
        requireRank(x, 2, "matmul input");
        requireRank(w, 2, "matmul weight");
        int n = x.dim(0), k = x.dim(1), m = w.dim(1);
        if (w.dim(0) != k) {
            throw new IllegalArgumentException("matmul: shapes " + x.shapeString() + " and " + w.shapeString() + " do not chain (" + k + " ≠ " + w.dim(0) + ")");
        }
        if (b != null && (b.shape.length != 1 || b.dim(0) != m)) {
            throw new IllegalArgumentException("matmul: bias " + b.shapeString() + " does not match output " + java.util.Arrays.toString(new int[] {n, m}));
        }
        Tensor y = new Tensor("matmul", n, m);
        // One scratch per product: each splits a different matrix into rows, so sharing one would reallocate it.
        Kernels.Scratch sy = new Kernels.Scratch(), sx = new Kernels.Scratch(), sw = new Kernels.Scratch();
        Runnable forward = () -> Kernels.matmulBias(x.data, w.data, b == null ? null : b.data, y.data, n, k, m, sy);
        Runnable dx = () -> Kernels.addMatmulTransB(y.grad, w.data, x.grad, n, k, m, sx);   // dx = dy·wᵀ
        Runnable dw = () -> Kernels.addMatmulTransA(x.data, y.grad, w.grad, n, k, m, sw);   // dw = xᵀ·dy
        if (b == null) return y.define(new Tensor[] {x, w}, forward, dx, dw);
        Runnable db = () -> Kernels.addColumnSums(y.grad, b.grad, n, m);                // db = Σ_rows dy
        return y.define(new Tensor[] {x, w, b}, forward, dx, dw, db);
    }

    /** tanh, elementwise; d tanh(x)/dx = 1 − tanh²(x), so the backward needs only the output. */
    public static Tensor tanh(Tensor x) {
        Tensor y = new Tensor("tanh", x.shape);
        return y.define(new Tensor[] {x},
            () -> {
                for (int i = 0; i < y.data.length; i++) y.data[i] = FMath.tanh(x.data[i]);
            },
            () -> {
                for (int i = 0; i < y.data.length; i++) {
                    float t = y.data[i];
                    x.grad[i] += (1f - t * t) * y.grad[i];
                }
            });
    }

    /**
     * Mean softmax cross-entropy of logits[n×v] against targets, fused and numerically stable:
     * loss_i = logsumexp(l_i) − l_i[y_i], with logsumexp(l) = max + log Σ exp(l − max), so logits
     * of ±1000 give a finite loss. Backward: dlogits = (softmax(l) − onehot(y)) / n · dloss.
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        requireRank(logits, 2, "cross-entropy logits");
        int n = logits.dim(0), v = logits.dim(1);
        if (targets.length < n) throw new IllegalArgumentException("cross-entropy: " + targets.length + " targets for " + n + " rows");
        Tensor loss = new Tensor("crossEntropy", 1);
        float[] probs = new float[n * v];   // softmax, kept for the backward
        return loss.define(new Tensor[] {logits},
            () -> loss.data[0] = crossEntropyForward(logits.data, targets, probs, n, v),
            () -> {
                float g = loss.grad[0] / n;
                for (int i = 0; i < n; i++) {
                    int row = i * v;
                    for (int j = 0; j < v; j++) logits.grad[row + j] += probs[row + j] * g;
                    logits.grad[row + targets[i]] -= g;
                }
            });
    }

    /** Fills probs with softmax(logits) row by row and returns the mean loss. */
    static float crossEntropyForward(float[] logits, int[] targets, float[] probs, int n, int v) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * v;
            int t = targets[i];
            if (t < 0 || t >= v) throw new IllegalArgumentException("cross-entropy: target " + t + " outside [0, " + v + ")");
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, logits[row + j]);
            double sum = 0;
            for (int j = 0; j < v; j++) {
                float e = FMath.exp(logits[row + j] - max);
                probs[row + j] = e;
                sum += e;
            }
            float inv = (float) (1 / sum);
            for (int j = 0; j < v; j++) probs[row + j] *= inv;
            total += max + FMath.logD(sum) - logits[row + t];
        }
        return (float) (total / n);
    }

    static void requireRank(Tensor t, int rank, String what) {
        if (t.shape.length != rank) {
            throw new IllegalArgumentException(what + " must have " + rank + " dimensions, got " + t.shapeString());
        }
    }
}
