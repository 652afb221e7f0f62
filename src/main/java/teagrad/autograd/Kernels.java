package teagrad.autograd;

/**
 * The three matrix products of a linear layer, on flat row-major arrays:
 * forward {@code y = x·w (+ b)}, backward {@code dx += dy·wᵀ} and {@code dw += xᵀ·dy}.
 *
 * <p>Every product is written as one building block, {@link #axpyRows}: a row accumulator
 * gains Σ_p a_p · row_p over rows kept in the product's {@link Scratch}. On the JVM two things
 * make it fast: the inner loop indexes its arrays from 0 (HotSpot's C2 vectorises {@code acc[j] += a·r[j]}
 * with AVX but not {@code y[off + j] += …}), and four rows are added per pass, so the
 * accumulator is loaded and stored a quarter as often. Each product picks the layout whose
 * inner loop is the longer dimension (200 rather than 27 or 30 in the chapter's network).
 *
 * <p>The summation order depends only on the shapes, so the JVM and TeaVM's WebAssembly
 * produce the same bits, also where the WebAssembly worker sums with SIMD: its kernel adds in
 * the same order per element (teagrad.web.Simd). KernelsTest checks every product against the
 * textbook triple loop.
 */
public final class Kernels {
    private Kernels() {}

    /**
     * Where a product keeps what it works on: the rows it sums, the coefficients it reads and
     * the accumulators, one per output row (kept after the product where a sum of them follows:
     * {@link #sumAccRows}); and tanh, the one element-wise pass that costs as much as a product in
     * the WebAssembly worker (also applied to loaded values, and eval's table rows summed into the
     * coefficients: there a hidden layer need not be copied out and back). The products below are
     * written once against it. {@link ArrayScratch}
     * (the JVM, the JavaScript worker) keeps them in {@code float[]}s and sums with
     * {@link #axpyRows}; the WebAssembly worker installs a scratch in linear memory whose axpy
     * is an f32x4 kernel with the same order per element ({@link #useScratch}). Copying a tensor
     * into the scratch is what the products did anyway: split a matrix into rows, or transpose it.
     */
    public abstract static class Scratch {
        /** The rows: src from {@code from} on as {@code count} rows of {@code length}; transposed, src there is [length × count] and row r is its column r. */
        protected abstract void loadRows(float[] src, int from, int count, int length, boolean transposed);

        /** The coefficients: src[0 .. length), read with an offset and a stride by {@link #axpy}. */
        protected abstract void loadCoefficients(float[] src, int length);

        /**
         * The accumulators: rows r = 0, 1, … of one length, as many as a product has outputs along
         * its longer side; each product starts every row, sums them all in one {@link #axpy} and stores them.
         * acc row r[0 .. length) = value.
         */
        protected abstract void fillAcc(int r, int length, float value);

        /** acc rows r0 .. r0 + count − 1, each [0 .. length), = 0 (in linear memory one bulk fill, not a loop per row). */
        protected void zeroAcc(int r0, int count, int length) {
            for (int r = r0; r < r0 + count; r++) fillAcc(r, length, 0f);
        }

        /** acc row r[0 .. length) = src[offset ..]. */
        protected abstract void loadAcc(int r, float[] src, int offset, int length);

        /**
         * acc row r0 + r[0..m) += Σ_{p<k} coef[ao + r·aoStep + p·as] · row_p[0..m), for r in [0, count),
         * each row in {@link #axpyRows}' order (the WebAssembly kernel takes two rows per pass:
         * it reads each of the k rows once for both).
         */
        protected abstract void axpy(int r0, int count, int ao, int aoStep, int as, int k, int m);

        /**
         * out[i·width ..][0..width) = ((first + acc row at[i·per]) + acc row at[i·per + 1]) + …, for i
         * in [0, n), as {@link #sumRows} adds (first null: a row of zeros): rows of products kept in
         * the scratch, summed where they are ({@link #matmulIntoAcc}).
         */
        protected abstract void sumAccRows(float[] first, int[] at, int n, int per, int width, float[] out);

        /**
         * Acc rows 0 .. count − 1 are columns of dst: dst[offset + i·width + r] = acc row r[i], or += when
         * {@code add}, for i in [0, length) ({@link #storeAcc} for each row; in linear memory a transpose).
         */
        protected void storeAccColumns(int count, float[] dst, int offset, int width, int length, boolean add) {
            for (int r = 0; r < count; r++) storeAcc(r, dst, offset + r, width, length, add);
        }

        /** dst[offset + i·stride] = acc row r[i], or += when {@code add}, for i in [0, length). */
        protected abstract void storeAcc(int r, float[] dst, int offset, int stride, int length, boolean add);

        /** y[0..n) = {@link FMath#tanh}(x[0..n)); y may be x. */
        protected abstract void tanh(float[] x, float[] y, int n);

        /**
         * {@link #tanh} for an op's output y, which nothing but this call writes: the scratch may keep
         * y's values where a later product reads y from (the WebAssembly worker's then skips copying
         * y into its memory; the float[] scratch reads y in place anyway).
         */
        protected void tanhOutput(float[] x, float[] y, int n) { tanh(x, y, n); }

        /**
         * y is an op's output, which nothing but the op writes, and the last product (or sum of its rows)
         * stored it whole: a scratch may note where its values are, so that the ops reading y next (products,
         * batch norm, tanh) read them there (the WebAssembly worker's does; the float[] scratch reads y anyway).
         */
        protected void keepOutput(float[] y) {}

        /** a (an op's output) was just written by other code than its op: every scratch that kept its values elsewhere forgets them. */
        protected void forgetKept(float[] a) {}

        /** The loaded coefficients become their tanh, where they are (src is left as it was). */
        protected abstract void tanhCoefficients(int length);

        /**
         * The coefficients, n rows of {@code width}, summed from rows of a table as {@link #sumRows}
         * does: row r = first + table[at[r·per]..] + … + table[at[r·per + per − 1]..] (offsets in
         * floats). The table is the same array while a caller uses this scratch: it may be kept.
         */
        protected abstract void sumCoefficients(float[] table, float[] first, int[] at, int n, int per, int width);

        /**
         * probs row i = softmax(logits row i) and logSumExp[i] = log Σ_j exp(logits[i, j]), for i in
         * [0, n): {@link Ops#softmaxRow} per row. The WebAssembly worker's scratch computes the rows in
         * the module, the same operations in the same order (its exps cost ~3× the JVM's in TeaVM's code).
         */
        protected void softmaxRows(float[] logits, float[] probs, int n, int v, double[] logSumExp) {
            for (int i = 0; i < n; i++) logSumExp[i] = Ops.softmaxRow(logits, i * v, probs, v);
        }

        /**
         * out[p] row to[i·per + p] gains src row i (width floats), for every row i in index order and
         * p in [0, per), rows [0, used[p]) of each out[p] starting from zeros: the rows of src summed
         * by the group each belongs to at each of per positions ({@link Ops#embeddingLinear}'s S_p).
         * A scratch may keep the sums where its next products read them when given out[p], and then
         * leave out as it was (the WebAssembly worker's does, see {@link #holds}): out's arrays are the
         * caller's own, which only this scratch's products read and nothing else writes.
         */
        protected void addRowGroups(float[] src, int[] to, int n, int per, int width, float[][] out, int[] used) {
            if (inArrays == null) inArrays = new ArrayScratch();   // a scratch that keeps nothing sums them as the float[] one does
            inArrays.addRowGroups(src, to, n, per, width, out, used);
        }

        private ArrayScratch inArrays;

        /**
         * Whether this scratch keeps a's values where its products read them: {@link #addRowGroups}'
         * sums (then they are read there as coefficients), or a weight kept in linear memory for a run of
         * training steps (the WebAssembly worker's teagrad.train.Parameters).
         */
        protected boolean holds(float[] a) { return false; }

        // ---- BatchNorm1d's loops (teagrad.nn.BatchNorm1d runs its own where these return false, as here)

        /**
         * BatchNorm1d's two forward passes over x[m × n]: mean[j] = Σ_i x_ij / m, then
         * sq[j] = Σ_i (x_ij − mean[j])², in doubles, down each column in row order. Returns whether
         * this scratch did them (the WebAssembly worker's does, in its SIMD module: the same
         * operations in the same order, so the same bits); the float[] scratch leaves them to the layer.
         */
        public boolean batchNormMoments(float[] x, int m, int n, double[] mean, double[] sq) { return false; }

        /**
         * The normalising pass after {@link #batchNormMoments} on the same x and mean:
         * xhat_ij = (float) (x_ij − mean_j)·invStd_j, y_ij = γ_j·xhat_ij + β_j. A scratch that does it
         * may keep xhat where {@link #batchNormBackward} reads it, and leave the array as it was:
         * the layer passes its own array, which nothing else reads.
         */
        public boolean batchNormNormalise(float[] x, int m, int n, double[] mean, float[] invStd, float[] gamma, float[] beta, float[] xhat, float[] y) {
            return false;
        }

        /** Eval mode's pass: xhat_ij = (x_ij − runningMean_j)·invStd_j in floats, y as {@link #batchNormNormalise}'s. */
        public boolean batchNormNormaliseEval(float[] x, int m, int n, float[] runningMean, float[] invStd, float[] gamma, float[] beta, float[] xhat, float[] y) {
            return false;
        }

        /**
         * BatchNorm1d's fused backward: sumDy[j] = Σ_i dy_ij and sumDyXhat[j] = Σ_i dy_ij·xhat_ij down each
         * column, and dx_ij += γ_j·invStd_j/m · (m·dy_ij − sumDy_j − xhat_ij·sumDyXhat_j) in training,
         * dx_ij += γ_j·invStd_j · dy_ij in eval mode; xhat as the last normalising pass left it.
         */
        public boolean batchNormBackward(float[] dy, int m, int n, float[] xhat, float[] invStd, float[] gamma, boolean training,
                                         float[] sumDy, float[] sumDyXhat, float[] dx) {
            return false;
        }

        /**
         * Whether {@link #matmulBias} goes along the rows of w, else along the columns of x.
         * Either way each y[i,o] is b[o] plus the same products added in the same order (a·b is
         * b·a in floating point), so the bits are the same and each scratch takes its faster
         * one; in float[]s the longer inner loop.
         */
        protected boolean alongRowsOfW(int n, int k, int m) { return m >= n; }
    }

    private static java.util.function.Supplier<Scratch> scratches = ArrayScratch::new;

    /** A new scratch for one product (each product keeps its own: no garbage per step). */
    public static Scratch scratch() { return scratches.get(); }

    /** Makes {@link #scratch} return another kind: the WebAssembly worker's SIMD one, before any model is built. */
    public static void useScratch(java.util.function.Supplier<Scratch> kind) { scratches = kind; }

    /** The kind {@link #scratch} returns now (a self-check that builds layers with another kind puts it back after). */
    public static java.util.function.Supplier<Scratch> scratchKind() { return scratches; }

    /** The scratch in {@code float[]}s: rows as separate arrays, summed by {@link #axpyRows}. */
    public static final class ArrayScratch extends Scratch {
        private float[][] rows = new float[0][];
        private float[][] acc = new float[0][];
        private float[] coef;
        private float[] ownCoef = new float[0];   // summed or tanh'd coefficients: loaded ones are the caller's array, not ours to change

        @Override protected void loadRows(float[] src, int from, int count, int length, boolean transposed) {
            if (rows.length < count || (count > 0 && rows[0].length < length)) {   // grows only: no garbage when a shape varies per step
                rows = new float[Math.max(count, rows.length)][Math.max(length, rows.length > 0 ? rows[0].length : 0)];
            }
            if (!transposed) {
                for (int r = 0; r < count; r++) System.arraycopy(src, from + r * length, rows[r], 0, length);
            } else {      // row r = column r of src: each row written in order (reading down the column: 1.5–2× as fast as across)
                for (int r = 0; r < count; r++) {
                    float[] row = rows[r];
                    for (int i = 0, o = from + r; i < length; i++, o += count) row[i] = src[o];
                }
            }
        }

        @Override protected void loadCoefficients(float[] src, int length) { coef = src; }   // read in place

        /** Row r of the accumulators, at least length long; rows grow only (no garbage when a shape varies per step) and keep what they hold. */
        private float[] acc(int r, int length) {
            if (r >= acc.length) acc = java.util.Arrays.copyOf(acc, Math.max(r + 1, 2 * acc.length));
            if (acc[r] == null || acc[r].length < length) acc[r] = new float[length];
            return acc[r];
        }

        @Override protected void fillAcc(int r, int length, float value) { java.util.Arrays.fill(acc(r, length), 0, length, value); }

        @Override protected void loadAcc(int r, float[] src, int offset, int length) { System.arraycopy(src, offset, acc(r, length), 0, length); }

        @Override protected void axpy(int r0, int count, int ao, int aoStep, int as, int k, int m) {
            for (int r = 0; r < count; r++) axpyRows(acc[r0 + r], coef, ao + r * aoStep, as, rows, k, m);
        }

        private float[] sum = new float[0];   // one row of sumAccRows, indexed from 0 (HotSpot vectorises that)

        @Override protected void sumAccRows(float[] first, int[] at, int n, int per, int width, float[] out) {
            if (sum.length < width) sum = new float[width];   // grows only
            for (int i = 0; i < n; i++) {
                if (first != null) System.arraycopy(first, 0, sum, 0, width);
                else java.util.Arrays.fill(sum, 0, width, 0f);
                for (int q = 0; q < per; q++) {
                    float[] r = acc[at[i * per + q]];
                    for (int j = 0; j < width; j++) sum[j] += r[j];
                }
                System.arraycopy(sum, 0, out, i * width, width);
            }
        }

        @Override protected void tanh(float[] x, float[] y, int n) {
            for (int i = 0; i < n; i++) y[i] = FMath.tanh(x[i]);
        }

        private float[][] groups = new float[0][];   // addRowGroups' sums, a row each from index 0 (HotSpot vectorises those loops: 3.5 µs of the chapter's step)

        @Override protected void addRowGroups(float[] src, int[] to, int n, int per, int width, float[][] out, int[] used) {
            int most = 0;
            for (int p = 0; p < per; p++) most = Math.max(most, used[p]);
            if (groups.length < per * most || (groups.length > 0 && groups[0].length < width)) {   // grows only
                groups = new float[Math.max(per * most, groups.length)][Math.max(width, groups.length > 0 ? groups[0].length : 0)];
            }
            if (sum.length < width) sum = new float[width];
            for (int p = 0; p < per; p++) {
                for (int r = 0; r < used[p]; r++) Tensor.clear(groups[p * most + r], 0, width);
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(src, i * width, sum, 0, width);
                for (int p = 0; p < per; p++) {
                    float[] g = groups[p * most + to[i * per + p]];
                    for (int j = 0; j < width; j++) g[j] += sum[j];
                }
            }
            for (int p = 0; p < per; p++) {
                for (int r = 0; r < used[p]; r++) System.arraycopy(groups[p * most + r], 0, out[p], r * width, width);
            }
        }

        @Override protected void tanhCoefficients(int length) {
            if (ownCoef.length < length) ownCoef = new float[length];   // grows only
            tanh(coef, ownCoef, length);   // not FMath.tanh again: with one call site TeaVM inlines it (the JS worker's tanh took 1.6× as long with two)
            coef = ownCoef;
        }

        @Override protected void sumCoefficients(float[] table, float[] first, int[] at, int n, int per, int width) {
            coef = ownCoef = ownCoef.length < n * width ? new float[n * width] : ownCoef;   // grows only
            sumRows(table, first, at, n, per, width, coef);
        }

        @Override protected void storeAcc(int r, float[] dst, int offset, int stride, int length, boolean add) {
            float[] a = acc[r];
            if (stride == 1 && !add) {
                System.arraycopy(a, 0, dst, offset, length);
            } else if (add) {
                for (int i = 0; i < length; i++) dst[offset + i * stride] += a[i];
            } else {
                for (int i = 0; i < length; i++) dst[offset + i * stride] = a[i];
            }
        }
    }

    /** acc[0..m) += Σ_p a[ao + p·as] · rows[p][0..m), four rows per pass. */
    public static void axpyRows(float[] acc, float[] a, int ao, int as, float[][] rows, int k, int m) {
        int p = 0;
        for (; p + 3 < k; p += 4) {
            float a0 = a[ao + p * as], a1 = a[ao + (p + 1) * as], a2 = a[ao + (p + 2) * as], a3 = a[ao + (p + 3) * as];
            float[] r0 = rows[p], r1 = rows[p + 1], r2 = rows[p + 2], r3 = rows[p + 3];
            for (int j = 0; j < m; j++) acc[j] += a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
        }
        for (; p < k; p++) {
            float a0 = a[ao + p * as];
            float[] r0 = rows[p];
            for (int j = 0; j < m; j++) acc[j] += a0 * r0[j];
        }
    }

    /** y[n×m] = x[n×k]·w[k×m] + b[m] (b may be null). */
    public static void matmulBias(float[] x, float[] w, float[] b, float[] y, int n, int k, int m, Scratch s) {
        if (s.alongRowsOfW(n, k, m)) {            // row i of y = b + Σ_p x[i,p]·(row p of w)
            s.loadRows(w, 0, k, m, false);
            s.loadCoefficients(x, n * k);
            rowsOfY(b, y, n, k, m, s);
        } else {                 // column o of y = b[o] + Σ_p w[p,o]·(column p of x)
            s.loadRows(x, 0, k, n, true);
            s.loadCoefficients(w, k * m);
            for (int o = 0; o < m; o++) s.fillAcc(o, n, b == null ? 0f : b[o]);
            s.axpy(0, m, 0, 1, m, k, n);
            s.storeAccColumns(m, y, 0, m, n, false);
        }
    }

    /** y = b + x·w, a row of y per accumulator, the rows of w and the coefficients x loaded. */
    private static void rowsOfY(float[] b, float[] y, int n, int k, int m, Scratch s) {
        for (int i = 0; i < n; i++) {
            if (b != null) s.loadAcc(i, b, 0, m);
            else s.fillAcc(i, m, 0f);
        }
        s.axpy(0, n, 0, k, 1, k, m);
        for (int i = 0; i < n; i++) s.storeAcc(i, y, i * m, 1, m, false);
    }

    /**
     * acc rows r0 .. r0 + n − 1 of the scratch = x[n×k]·w[k×m], w the k rows of m from w[wFrom] on, kept there
     * for {@link #sumAccRows} (along the rows of w, whichever way the scratch prefers: a product's bits are the same both ways).
     */
    public static void matmulIntoAcc(float[] x, float[] w, int wFrom, int n, int k, int m, int r0, Scratch s) {
        s.loadRows(w, wFrom, k, m, false);
        s.loadCoefficients(x, n * k);
        s.zeroAcc(r0, n, m);
        s.axpy(r0, n, 0, k, 1, k, m);
    }

    /**
     * out[i·width ..] = ((first + acc row at[i·per]) + acc row at[i·per + 1]) + … for i in [0, n)
     * (first null: zeros): rows of products kept in the scratch by {@link #matmulIntoAcc}, added in
     * {@link #sumRows}' order. In the WebAssembly worker they are added where they are, with SIMD.
     */
    public static void sumAccRows(float[] first, int[] at, int n, int per, int width, float[] out, Scratch s) {
        s.sumAccRows(first, at, n, per, width, out);
    }

    /** dx[n×k] += dy[n×m]·wᵀ with w[k×m]. */
    public static void addMatmulTransB(float[] dy, float[] w, float[] dx, int n, int k, int m, Scratch s) {
        addMatmulTransB(dy, w, 0, dx, n, k, m, s);
    }

    /**
     * dx[n×k] += dy[n×m]·wᵀ with w[k×m] from w[wFrom] on: along the columns of w where the scratch
     * holds dy ({@link Scratch#holds}: it reads dy as coefficients where it is) or dx has at least as
     * many columns as rows, else along the rows of w. Each element of dx gains the same products in
     * the same order either way.
     */
    public static void addMatmulTransB(float[] dy, float[] w, int wFrom, float[] dx, int n, int k, int m, Scratch s) {
        if (s.holds(dy) || k >= n) {   // row i of dx += Σ_j dy[i,j]·(column j of w)
            s.loadRows(w, wFrom, m, k, true);
            s.loadCoefficients(dy, n * m);
            for (int i = 0; i < n; i++) s.loadAcc(i, dx, i * k, k);
            s.axpy(0, n, 0, m, 1, m, k);
            for (int i = 0; i < n; i++) s.storeAcc(i, dx, i * k, 1, k, false);
        } else {                 // column p of dx += Σ_j w[p,j]·(column j of dy)
            s.loadRows(dy, 0, m, n, true);
            s.loadCoefficients(w, wFrom + k * m);
            s.zeroAcc(0, k, n);
            s.axpy(0, k, wFrom, m, 1, m, n);
            s.storeAccColumns(k, dx, 0, k, n, true);
        }
    }

    /** dw[k×m] += xᵀ·dy with x[n×k], dy[n×m]. */
    public static void addMatmulTransA(float[] x, float[] dy, float[] dw, int n, int k, int m, Scratch s) {
        addMatmulTransA(x, dy, dw, 0, n, k, m, s);
    }

    /** dw[k×m], the k rows of m from dw[dwFrom] on, += xᵀ·dy with x[n×k], dy[n×m]. */
    public static void addMatmulTransA(float[] x, float[] dy, float[] dw, int dwFrom, int n, int k, int m, Scratch s) {
        if (m >= k) {            // row p of dw += Σ_i x[i,p]·(row i of dy)
            s.loadRows(dy, 0, n, m, false);
            s.loadCoefficients(x, n * k);
            for (int p = 0; p < k; p++) s.loadAcc(p, dw, dwFrom + p * m, m);
            s.axpy(0, k, 0, 1, k, n, m);
            for (int p = 0; p < k; p++) s.storeAcc(p, dw, dwFrom + p * m, 1, m, false);
        } else {                 // column o of dw += Σ_i dy[i,o]·(row i of x)
            s.loadRows(x, 0, n, k, false);
            s.loadCoefficients(dy, n * m);
            s.zeroAcc(0, m, k);
            s.axpy(0, m, 0, 1, m, n, k);
            s.storeAccColumns(m, dw, dwFrom, m, k, true);
        }
    }

    /**
     * y[n×m] = tanh(h)[n×k]·w[k×m] + b[m] with h's rows summed from a table as {@link #sumRows}
     * does: eval's Embedding → Flatten → Linear (→ BatchNorm1d) as a lookup table, its Tanh and the
     * next Linear in one pass (teagrad.inference.Inference), for a scratch that multiplies these shapes along
     * the rows of w ({@link #summedIntoCoefficients}): h is summed straight into the
     * coefficients, so in the WebAssembly worker it never leaves the module's memory.
     */
    public static void sumTanhMatmulBias(float[] table, float[] first, int[] at, int per,
                                         float[] w, float[] b, float[] y, int n, int k, int m, Scratch s) {
        if (!s.alongRowsOfW(n, k, m)) throw new IllegalArgumentException("this scratch multiplies " + n + "×" + k + "·" + k + "×" + m + " along the columns of x");
        s.loadRows(w, 0, k, m, false);
        s.sumCoefficients(table, first, at, n, per, k);
        s.tanhCoefficients(n * k);
        rowsOfY(b, y, n, k, m, s);
    }

    /**
     * Whether {@link #sumTanhMatmulBias} serves these shapes with this scratch; where it does not
     * (the float[] scratch with more rows than outputs), the caller sums, tanhs and multiplies step
     * by step: the same bits.
     */
    public static boolean summedIntoCoefficients(int n, int k, int m, Scratch s) { return s.alongRowsOfW(n, k, m); }

    /** out[r·width ..] = ((first + table[at[r·per]..]) + table[at[r·per + 1]..]) + …, for r in [0, n): rows of a lookup table summed. */
    public static void sumRows(float[] table, float[] first, int[] at, int n, int per, int width, float[] out) {
        for (int r = 0; r < n; r++) {
            int o = r * width;
            System.arraycopy(first, 0, out, o, width);
            for (int p = 0; p < per; p++) {
                int row = at[r * per + p];
                for (int j = 0; j < width; j++) out[o + j] += table[row + j];
            }
        }
    }

    /** {@link Scratch#addRowGroups}: out[p] row to[i·per + p] += src row i, rows [0, used[p]) of out[p] from zeros. */
    public static void addRowGroups(float[] src, int[] to, int n, int per, int width, float[][] out, int[] used, Scratch s) {
        s.addRowGroups(src, to, n, per, width, out, used);
    }

    /** probs[n×v] = softmax of each row of logits[n×v], logSumExp[i] = log Σ_j exp(logits[i, j]) ({@link Ops#softmaxRow}'s bits). */
    public static void softmaxRows(float[] logits, float[] probs, int n, int v, double[] logSumExp, Scratch s) {
        s.softmaxRows(logits, probs, n, v, logSumExp);
    }

    /** y[0..n) = tanh(x[0..n)) with {@link FMath#tanh}; y may be x. */
    public static void tanh(float[] x, float[] y, int n, Scratch s) { s.tanh(x, y, n); }

    /**
     * As {@link #tanh}, where y is an op's output that only this call writes (Ops.tanh's): the
     * next products that read y (h·W and the weight gradient hᵀ·dy) may find it in the scratch.
     */
    public static void tanhOutput(float[] x, float[] y, int n, Scratch s) { s.tanhOutput(x, y, n); }

    /** See {@link Scratch#keepOutput}: after the op's forward product stored y. */
    public static void keepOutput(float[] y, Scratch s) { s.keepOutput(y); }

    /**
     * An op's output that other code than the op has just written (BackwardCheck sets batch norm's to the
     * lecture graph's values): the ops that read it next read the array, not values kept where they were computed.
     */
    public static void overwritten(float[] a) { scratches.get().forgetKept(a); }

    /** db[m] += Σ_i dy[i,:]: the bias gradient is the column sum of dy. */
    public static void addColumnSums(float[] dy, float[] db, int n, int m) {
        for (int i = 0; i < n; i++) {
            int di = i * m;
            for (int j = 0; j < m; j++) db[j] += dy[di + j];
        }
    }
}
