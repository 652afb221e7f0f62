package teagrad.autograd;

/**
 * The three matrix products of a linear layer, on flat row-major arrays:
 * forward {@code y = x·w (+ b)}, backward {@code dx += dy·wᵀ} and {@code dw += xᵀ·dy}.
 *
 * <p>Every product is written as one building block, {@link #axpyRows}: a row accumulator
 * gains Σ_p a_p · row_p over rows kept as separate {@code float[]}s. Two things make it fast:
 * the inner loop indexes its arrays from 0 (HotSpot's C2 vectorises {@code acc[j] += a·r[j]}
 * with AVX but not {@code y[off + j] += …}), and four rows are added per pass, so the
 * accumulator is loaded and stored a quarter as often. Each product picks the layout whose
 * inner loop is the longer dimension (200 rather than 27 or 30 in the chapter's network).
 *
 * <p>The summation order depends only on the shapes, so the JVM and TeaVM's WebAssembly
 * produce the same bits. KernelsTest checks every product against the textbook triple loop.
 */
public final class Kernels {
    private Kernels() {}

    /** Row buffers one linear layer reuses every step (no garbage per step). */
    public static final class Scratch {
        private float[][] rows = new float[0][];
        private float[] acc = new float[0];

        float[][] rows(int count, int length) {
            if (rows.length < count || (count > 0 && rows[0].length != length)) {
                rows = new float[count][length];
            }
            return rows;
        }

        float[] acc(int length) {
            if (acc.length != length) acc = new float[length];
            return acc;
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

    /** rows[r][0..cols) = src[r·cols ..]: a matrix as separate rows. */
    public static float[][] split(float[] src, int rowCount, int cols, Scratch s) {
        float[][] rows = s.rows(rowCount, cols);
        for (int r = 0; r < rowCount; r++) System.arraycopy(src, r * cols, rows[r], 0, cols);
        return rows;
    }

    /** rows[c][r] = src[r·cols + c]: the transpose, as rows. */
    public static float[][] splitTransposed(float[] src, int rowCount, int cols, Scratch s) {
        float[][] rows = s.rows(cols, rowCount);
        for (int r = 0; r < rowCount; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) rows[c][r] = src[o + c];
        }
        return rows;
    }

    /** y[n×m] = x[n×k]·w[k×m] + b[m] (b may be null). */
    public static void matmulBias(float[] x, float[] w, float[] b, float[] y, int n, int k, int m, Scratch s) {
        if (m >= n) {            // row i of y = b + Σ_p x[i,p]·(row p of w)
            float[][] wRows = split(w, k, m, s);
            float[] acc = s.acc(m);
            for (int i = 0; i < n; i++) {
                if (b != null) System.arraycopy(b, 0, acc, 0, m);
                else java.util.Arrays.fill(acc, 0f);
                axpyRows(acc, x, i * k, 1, wRows, k, m);
                System.arraycopy(acc, 0, y, i * m, m);
            }
        } else {                 // column o of y = b[o] + Σ_p w[p,o]·(column p of x)
            float[][] xCols = splitTransposed(x, n, k, s);
            float[] acc = s.acc(n);
            for (int o = 0; o < m; o++) {
                java.util.Arrays.fill(acc, b == null ? 0f : b[o]);
                axpyRows(acc, w, o, m, xCols, k, n);
                for (int i = 0; i < n; i++) y[i * m + o] = acc[i];
            }
        }
    }

    /** dx[n×k] += dy[n×m]·wᵀ with w[k×m]. */
    public static void addMatmulTransB(float[] dy, float[] w, float[] dx, int n, int k, int m, Scratch s) {
        if (k >= n) {            // row i of dx += Σ_j dy[i,j]·(column j of w)
            float[][] wCols = splitTransposed(w, k, m, s);
            float[] acc = s.acc(k);
            for (int i = 0; i < n; i++) {
                System.arraycopy(dx, i * k, acc, 0, k);
                axpyRows(acc, dy, i * m, 1, wCols, m, k);
                System.arraycopy(acc, 0, dx, i * k, k);
            }
        } else {                 // column p of dx += Σ_j w[p,j]·(column j of dy)
            float[][] dyCols = splitTransposed(dy, n, m, s);
            float[] acc = s.acc(n);
            for (int p = 0; p < k; p++) {
                java.util.Arrays.fill(acc, 0f);
                axpyRows(acc, w, p * m, 1, dyCols, m, n);
                for (int i = 0; i < n; i++) dx[i * k + p] += acc[i];
            }
        }
    }

    /** dw[k×m] += xᵀ·dy with x[n×k], dy[n×m]. */
    public static void addMatmulTransA(float[] x, float[] dy, float[] dw, int n, int k, int m, Scratch s) {
        if (m >= k) {            // row p of dw += Σ_i x[i,p]·(row i of dy)
            float[][] dyRows = split(dy, n, m, s);
            float[] acc = s.acc(m);
            for (int p = 0; p < k; p++) {
                System.arraycopy(dw, p * m, acc, 0, m);
                axpyRows(acc, x, p, k, dyRows, n, m);
                System.arraycopy(acc, 0, dw, p * m, m);
            }
        } else {                 // column o of dw += Σ_i dy[i,o]·(row i of x)
            float[][] xRows = split(x, n, k, s);
            float[] acc = s.acc(k);
            for (int o = 0; o < m; o++) {
                java.util.Arrays.fill(acc, 0f);
                axpyRows(acc, dy, o, m, xRows, n, k);
                for (int p = 0; p < k; p++) dw[p * m + o] += acc[p];
            }
        }
    }

    /** db[m] += Σ_i dy[i,:]: the bias gradient is the column sum of dy. */
    public static void addColumnSums(float[] dy, float[] db, int n, int m) {
        for (int i = 0; i < n; i++) {
            int di = i * m;
            for (int j = 0; j < m; j++) db[j] += dy[di + j];
        }
    }
}
