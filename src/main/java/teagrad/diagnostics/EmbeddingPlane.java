package teagrad.diagnostics;

import teagrad.nn.Embedding;

/**
 * The embedding table C in the plane, as part 2 draws it (plt.scatter(C[:,0], C[:,1]) with each
 * character written at its point). With two numbers per character those are the axes; with one,
 * the line; with more, the table is projected on its first two principal components (PCA): the
 * plane along which the characters' embeddings spread the most, so that characters the network
 * treats alike still land near each other.
 *
 * <p>PCA: centre the rows, {@code S = Xᵀ X / n} (d × d), and take the eigenvectors of S with the
 * two largest eigenvalues; a character's coordinates are its centred row times them. S is
 * diagonalised by Jacobi rotations, exact and short for d ≤ 64. Each axis's sign is fixed (its
 * largest entry positive) so the picture does not flip from one frame to the next.
 */
public final class EmbeddingPlane {
    /** Each symbol's coordinates, in the vocabulary's order. */
    public final float[] x, y;
    /** The share of the table's variance along each axis (1 and 0 for a 1-D table). */
    public final double xShare, yShare;
    /** Whether the axes are principal components (dim > 2) rather than the table's own columns. */
    public final boolean projected;

    private EmbeddingPlane(float[] x, float[] y, double xShare, double yShare, boolean projected) {
        this.x = x;
        this.y = y;
        this.xShare = xShare;
        this.yShare = yShare;
        this.projected = projected;
    }

    public static EmbeddingPlane of(Embedding e) {
        return of(e.weight.data, e.symbols, e.dim);
    }

    /** The plane of a [rows × dim] table. */
    public static EmbeddingPlane of(float[] table, int rows, int dim) {
        double[][] s = covariance(table, rows, dim);
        double total = 0;
        for (int i = 0; i < dim; i++) total += s[i][i];
        if (dim <= 2) {
            float[] x = new float[rows], y = new float[rows];
            for (int r = 0; r < rows; r++) {
                x[r] = table[r * dim];
                if (dim == 2) y[r] = table[r * dim + 1];
            }
            return new EmbeddingPlane(x, y, share(s[0][0], total), dim == 2 ? share(s[1][1], total) : 0, false);
        }
        double[][] v = new double[dim][dim];
        double[] lambda = eigen(s, v);
        int first = 0, second = -1;
        for (int i = 1; i < dim; i++) if (lambda[i] > lambda[first]) first = i;
        for (int i = 0; i < dim; i++) if (i != first && (second < 0 || lambda[i] > lambda[second])) second = i;
        double[] mean = mean(table, rows, dim);
        float[] x = project(table, rows, dim, mean, axis(v, first)), y = project(table, rows, dim, mean, axis(v, second));
        return new EmbeddingPlane(x, y, share(lambda[first], total), share(lambda[second], total), true);
    }

    private static double share(double variance, double total) { return total > 0 ? variance / total : 0; }

    private static double[] mean(float[] t, int rows, int dim) {
        double[] m = new double[dim];
        for (int r = 0; r < rows; r++) for (int j = 0; j < dim; j++) m[j] += t[r * dim + j];
        for (int j = 0; j < dim; j++) m[j] /= rows;
        return m;
    }

    /** S = Xᵀ X / n of the centred rows. */
    static double[][] covariance(float[] t, int rows, int dim) {
        double[] m = mean(t, rows, dim);
        double[][] s = new double[dim][dim];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < dim; i++) {
                double a = t[r * dim + i] - m[i];
                for (int j = 0; j < dim; j++) s[i][j] += a * (t[r * dim + j] - m[j]);
            }
        }
        for (double[] row : s) for (int j = 0; j < dim; j++) row[j] /= rows;
        return s;
    }

    /**
     * Cyclic Jacobi: rotate each off-diagonal entry a[p][q] to zero (A ← Jᵀ A J) until A is
     * diagonal; the diagonal is then the eigenvalues and the columns of V (the rotations'
     * product) the eigenvectors. {@code a} is overwritten.
     */
    static double[] eigen(double[][] a, double[][] v) {
        int n = a.length;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) v[i][j] = i == j ? 1 : 0;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int p = 0; p < n; p++) {
                diag += a[p][p] * a[p][p];
                for (int q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
            }
            if (off <= 1e-30 * diag || off == 0) break;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) continue;
                    // The angle that zeroes a[p][q] (Numerical Recipes §11.1): θ = (a_qq − a_pp)/(2 a_pq), t = tan φ.
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) {   // columns p and q: A J
                        double kp = a[k][p], kq = a[k][q];
                        a[k][p] = c * kp - s * kq;
                        a[k][q] = s * kp + c * kq;
                    }
                    for (int k = 0; k < n; k++) {   // rows p and q: Jᵀ (A J)
                        double pk = a[p][k], qk = a[q][k];
                        a[p][k] = c * pk - s * qk;
                        a[q][k] = s * pk + c * qk;
                    }
                    for (int k = 0; k < n; k++) {   // V J
                        double kp = v[k][p], kq = v[k][q];
                        v[k][p] = c * kp - s * kq;
                        v[k][q] = s * kp + c * kq;
                    }
                }
            }
        }
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) lambda[i] = a[i][i];
        return lambda;
    }

    /** Column i of V, its largest entry made positive. */
    private static double[] axis(double[][] v, int i) {
        double[] u = new double[v.length];
        int big = 0;
        for (int k = 0; k < u.length; k++) {
            u[k] = v[k][i];
            if (Math.abs(u[k]) > Math.abs(u[big])) big = k;
        }
        if (u[big] < 0) for (int k = 0; k < u.length; k++) u[k] = -u[k];
        return u;
    }

    private static float[] project(float[] t, int rows, int dim, double[] mean, double[] u) {
        float[] p = new float[rows];
        for (int r = 0; r < rows; r++) {
            double d = 0;
            for (int j = 0; j < dim; j++) d += (t[r * dim + j] - mean[j]) * u[j];
            p[r] = (float) d;
        }
        return p;
    }
}
