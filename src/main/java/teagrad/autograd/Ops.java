package teagrad.autograd;

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

    /**
     * An embedding followed by a linear layer, fused:
     * out[rows × m] = view(embedding(table, ix, rows, block), rows, block·dim) · w (+ b),
     * with table [vocab × dim] and w [block·dim × m].
     *
     * <p>Row i of the flattened embedding is C[x_i0] ‖ C[x_i1] ‖ … (C = table, x_ip = ix[i·block + p]),
     * so with W_p = rows p·dim .. p·dim+dim−1 of w the product is a lookup per position, and
     * every row that shares the token v at position p shares its products:
     * <pre>
     *   forward   R_p[v]  = C[v,:] · W_p                        (dim×m multiply-adds per distinct v)
     *             out[i]  = b + Σ_p R_p[x_ip]                   (adds only)
     *   backward  S_p[v]  = Σ_{i: x_ip = v} dout[i,:]           (adds only)
     *             dW_p[d,:] += Σ_v C[v,d] · S_p[v,:]
     *             dC[v,d]   += Σ_p Σ_j W_p[d,j] · S_p[v,j]
     *             db        += Σ_i dout[i,:]
     * </pre>
     * Only the tokens that occur cost products: with 32 rows over 27 symbols about 18 per
     * position, against 32 rows of the unfused matmul. Per position, the distinct tokens get
     * slots in order of first appearance (rows in index order), so the summation order depends
     * only on the data and the JVM and TeaVM's WebAssembly produce the same bits. The backward
     * of table computes S, which the backward of w then reuses (they run in input order). With
     * G_p the rows C[v] of the tokens at position p, the three products are {@link Kernels}'
     * per position: R_p = G_p·W_p, dG_p = S_p·W_pᵀ and dW_p += G_pᵀ·S_p.
     */
    public static Tensor embeddingLinear(Tensor table, int[] ix, int rows, int block, Tensor w, Tensor b) {
        requireRank(table, 2, "embedding table");
        requireRank(w, 2, "linear weight");
        if (ix.length < rows * block) {
            throw new IllegalArgumentException("embeddingLinear: " + ix.length + " indices cannot fill " + rows + "×" + block);
        }
        int vocab = table.dim(0), dim = table.dim(1), k = block * dim, m = w.dim(1);
        if (w.dim(0) != k) {
            throw new IllegalArgumentException("embeddingLinear: " + block + " positions of " + table.shapeString() + " give " + k + " inputs, but the weight is " + w.shapeString());
        }
        if (b != null && (b.shape.length != 1 || b.dim(0) != m)) {
            throw new IllegalArgumentException("embeddingLinear: bias " + b.shapeString() + " does not match output " + java.util.Arrays.toString(new int[] {rows, m}));
        }
        Tensor y = new Tensor("embeddingLinear", rows, m);
        w.productsOnly = true;
        int maxSlots = Math.min(vocab, rows);
        // Buffers for every step (no garbage per step).
        int[] slotOf = new int[block * vocab];           // [p][v] → slot of token v at position p, −1 if absent
        int[] tokenOf = new int[block * maxSlots];       // [p][slot] → token, in order of first appearance
        int[] slotCount = new int[block];                // distinct tokens at position p
        int[] rowSlot = new int[rows * block];           // [i][p] → slot of x_ip
        float[][] g = new float[block][maxSlots * dim];   // G_p [slots × dim]: C[v] of each slot's token
        float[][] sums = new float[block][maxSlots * m];  // [slots × m]: S_p, the backward's
        int[] resultRow = new int[rows * block];         // [i][p] → the row of R_p[x_ip] among sR's products
        float[] dg = new float[maxSlots * dim];           // S_p·W_pᵀ [slots × dim]
        // The forward's products share a scratch, which keeps every R_p for the sum; the backward's
        // share another, which keeps every S_p for the products that read it.
        Kernels.Scratch sR = Kernels.scratch(), sS = Kernels.scratch();

        Runnable forward = () -> {
            // Slots: the distinct tokens per position, in order of first appearance.
            java.util.Arrays.fill(slotOf, -1);
            java.util.Arrays.fill(slotCount, 0);
            for (int p = 0; p < block; p++) {
                for (int i = 0; i < rows; i++) {
                    int v = ix[i * block + p];
                    if (v < 0 || v >= vocab) throw new IllegalArgumentException("embedding: index " + v + " outside [0, " + vocab + ")");
                    int s = slotOf[p * vocab + v];
                    if (s < 0) {
                        s = slotCount[p]++;
                        slotOf[p * vocab + v] = s;
                        tokenOf[p * maxSlots + s] = v;
                    }
                    rowSlot[i * block + p] = s;
                    resultRow[i * block + p] = p * maxSlots + s;
                }
            }
            // R_p = G_p · W_p, i.e. R_p[v] = C[v,:] · W_p: slot s of position p is row p·maxSlots + s of sR's products
            for (int p = 0; p < block; p++) {
                int n = slotCount[p];
                for (int s = 0; s < n; s++) System.arraycopy(table.data, tokenOf[p * maxSlots + s] * dim, g[p], s * dim, dim);
                Kernels.matmulIntoAcc(g[p], w.data, p * dim * m, n, dim, m, p * maxSlots, sR);   // W_p: w's rows from p·dim on
            }
            // out[i] = b + Σ_p R_p[x_ip], the rows added where the products left them
            Kernels.sumAccRows(b == null ? null : b.data, resultRow, rows, block, m, y.data, sR);
            Kernels.keepOutput(y.data, sR);   // y is written by nothing else
        };
        Runnable dTable = () -> {
            // S_p[v] = Σ_{i: x_ip = v} dout[i,:], rows in index order
            Kernels.addRowGroups(y.grad, rowSlot, rows, block, m, sums, slotCount, sS);
            // dC[v,d] += Σ_j W_p[d,j] · S_p[v,j], i.e. dC[v] += (S_p · W_pᵀ)[slot of v]
            for (int p = 0; p < block; p++) {
                int n = slotCount[p];
                Tensor.clear(dg, 0, n * dim);
                Kernels.addMatmulTransB(sums[p], w.data, p * dim * m, dg, n, dim, m, sS);
                for (int s = 0; s < n; s++) {
                    int dst = tokenOf[p * maxSlots + s] * dim;
                    for (int d = 0; d < dim; d++) table.grad[dst + d] += dg[s * dim + d];
                }
            }
        };
        Runnable dW = () -> {
            // dW_p += G_pᵀ · S_p, i.e. dW_p[d,:] += Σ_v C[v,d] · S_p[v,:]  (S_p from dTable, which runs first)
            for (int p = 0; p < block; p++) Kernels.addMatmulTransA(g[p], sums[p], w.grad, p * dim * m, slotCount[p], dim, m, sS);
        };
        if (b == null) return y.define(new Tensor[] {table, w}, forward, dTable, dW);
        Runnable db = () -> Kernels.addColumnSums(y.grad, b.grad, rows, m);
        return y.define(new Tensor[] {table, w, b}, forward, dTable, dW, db);
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
        w.productsOnly = true;
        // One scratch per product: each splits a different matrix into rows, so sharing one would reallocate it.
        Kernels.Scratch sy = Kernels.scratch(), sx = Kernels.scratch(), sw = Kernels.scratch();
        Runnable forward = () -> {
            Kernels.matmulBias(x.data, w.data, b == null ? null : b.data, y.data, n, k, m, sy);
            Kernels.keepOutput(y.data, sy);   // y is written by nothing else
        };
        Runnable dx = () -> Kernels.addMatmulTransB(y.grad, w.data, x.grad, n, k, m, sx);   // dx = dy·wᵀ
        Runnable dw = () -> Kernels.addMatmulTransA(x.data, y.grad, w.grad, n, k, m, sw);   // dw = xᵀ·dy
        if (b == null) return y.define(new Tensor[] {x, w}, forward, dx, dw);
        Runnable db = () -> Kernels.addColumnSums(y.grad, b.grad, n, m);                // db = Σ_rows dy
        return y.define(new Tensor[] {x, w, b}, forward, dx, dw, db);
    }

    /** tanh, elementwise; d tanh(x)/dx = 1 − tanh²(x), so the backward needs only the output. */
    public static Tensor tanh(Tensor x) {
        Tensor y = new Tensor("tanh", x.shape);
        Kernels.Scratch s = Kernels.scratch();
        return y.define(new Tensor[] {x},
            () -> Kernels.tanhOutput(x.data, y.data, y.data.length, s),   // y is written by nothing else
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
        double[] logSumExp = new double[n];
        Kernels.Scratch s = Kernels.scratch();
        return loss.define(new Tensor[] {logits},
            () -> loss.data[0] = crossEntropyForward(logits.data, targets, probs, n, v, logSumExp, s),
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
    public static float crossEntropyForward(float[] logits, int[] targets, float[] probs, int n, int v) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            int t = targets[i];
            requireTarget(t, v);
            total += softmaxRow(logits, i * v, probs, v) - logits[i * v + t];   // −log p_t = log Σ_j exp(logit_j) − logit_t
        }
        return (float) (total / n);
    }

    /** As above, the rows' softmax by the scratch ({@link Kernels#softmaxRows}): the same sums in the same order. */
    static float crossEntropyForward(float[] logits, int[] targets, float[] probs, int n, int v, double[] logSumExp, Kernels.Scratch s) {
        for (int i = 0; i < n; i++) requireTarget(targets[i], v);
        Kernels.softmaxRows(logits, probs, n, v, logSumExp, s);
        double total = 0;
        for (int i = 0; i < n; i++) total += logSumExp[i] - logits[i * v + targets[i]];   // −log p_t = log Σ_j exp(logit_j) − logit_t
        return (float) (total / n);
    }

    /**
     * probs[row .. row+v) = softmax(logits[row .. row+v)); returns log Σ_j exp(logit_j), computed as
     * max + log Σ_j exp(logit_j − max) so that no exp overflows.
     */
    public static double softmaxRow(float[] logits, int row, float[] probs, int v) {
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
        return max + FMath.logD(sum);
    }

    /** A target must name one of the v classes. */
    public static void requireTarget(int t, int v) {
        if (t < 0 || t >= v) throw new IllegalArgumentException("cross-entropy: target " + t + " outside [0, " + v + ")");
    }

    public static void requireRank(Tensor t, int rank, String what) {
        if (t.shape.length != rank) {
            throw new IllegalArgumentException(what + " must have " + rank + " dimensions, got " + t.shapeString());
        }
    }
}
