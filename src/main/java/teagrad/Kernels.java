package teagrad;

/**
 * The three matrix products of a linear layer, on flat row-major arrays.
 * Forward  y = x·w (+ b);  backward  dx += dy·wᵀ  and  dw += xᵀ·dy.
 *
 * <p>Loop orders keep the innermost loop on contiguous memory (a row of w or of dy), which is
 * what the JIT and V8's WASM tier turn into tight loops. KernelsTest checks each against the
 * textbook triple loop.
 */
final class Kernels {
    private Kernels() {}

    /** y[n×m] = x[n×k]·w[k×m] + b[m] (b may be null). Row i of y is Σ_p x[i,p]·(row p of w). */
    static void matmulBias(float[] x, float[] w, float[] b, float[] y, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            int yi = i * m;
            if (b != null) System.arraycopy(b, 0, y, yi, m);
            else java.util.Arrays.fill(y, yi, yi + m, 0f);
            for (int p = 0; p < k; p++) {
                float xip = x[i * k + p];
                int wp = p * m;
                for (int j = 0; j < m; j++) y[yi + j] += xip * w[wp + j];
            }
        }
    }

    /** dx[n×k] += dy[n×m]·wᵀ: each dx[i,p] is the dot product of row i of dy with row p of w. */
    static void addMatmulTransB(float[] dy, float[] w, float[] dx, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            int di = i * m;
            for (int p = 0; p < k; p++) {
                int wp = p * m;
                float s = 0f;
                for (int j = 0; j < m; j++) s += dy[di + j] * w[wp + j];
                dx[i * k + p] += s;
            }
        }
    }

    /** dw[k×m] += xᵀ·dy with x[n×k], dy[n×m]: row p of dw gains x[i,p]·(row i of dy). */
    static void addMatmulTransA(float[] x, float[] dy, float[] dw, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            int di = i * m;
            for (int p = 0; p < k; p++) {
                float xip = x[i * k + p];
                int wp = p * m;
                for (int j = 0; j < m; j++) dw[wp + j] += xip * dy[di + j];
            }
        }
    }

    /** db[m] += Σ_i dy[i,:]: the bias gradient is the column sum of dy. */
    static void addColumnSums(float[] dy, float[] db, int n, int m) {
        for (int i = 0; i < n; i++) {
            int di = i * m;
            for (int j = 0; j < m; j++) db[j] += dy[di + j];
        }
    }
}
