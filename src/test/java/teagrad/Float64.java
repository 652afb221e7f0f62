package teagrad;

/**
 * The network's ops in double precision, written the plain way: the yardstick the float32 ops
 * are checked against by finite differences (autograd.GradCheckTest), and what the reference
 * vectors' conventions are recomputed with (parity.ReferenceConventionsTest). Matrices are
 * row-major; a linear weight is [in, out].
 */
public final class Float64 {
    private Float64() {}

    /** x[n × k]·w[k × m] (+ b[m]). */
    public static double[] matmul(double[] x, double[] w, double[] b, int n, int k, int m) {
        double[] y = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = b == null ? 0 : b[j];
                for (int p = 0; p < k; p++) s += x[i * k + p] * w[p * m + j];
                y[i * m + j] = s;
            }
        }
        return y;
    }

    /** Batch norm, training mode: batch mean and biased (1/m) variance. */
    public static double[] batchNormTrain(double[] x, double[] gamma, double[] beta, int m, int n, double eps) {
        double[] y = new double[m * n];
        for (int j = 0; j < n; j++) {
            double mean = 0;
            for (int i = 0; i < m; i++) mean += x[i * n + j];
            mean /= m;
            double var = 0;
            for (int i = 0; i < m; i++) var += (x[i * n + j] - mean) * (x[i * n + j] - mean);
            var /= m;
            for (int i = 0; i < m; i++) y[i * n + j] = gamma[j] * (x[i * n + j] - mean) / Math.sqrt(var + eps) + beta[j];
        }
        return y;
    }

    /** Batch norm, eval mode: the running mean and variance as they are. */
    public static double[] batchNormEval(double[] x, double[] gamma, double[] beta, float[] runMean, float[] runVar, int m, int n, double eps) {
        double[] y = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                y[i * n + j] = gamma[j] * (x[i * n + j] - runMean[j]) / Math.sqrt(runVar[j] + eps) + beta[j];
            }
        }
        return y;
    }

    /** Elementwise tanh. */
    public static double[] tanh(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
        return y;
    }

    /** Mean over rows of −log softmax(l)[target], with the max subtracted for stability. */
    public static double crossEntropy(double[] logits, int[] targets, int n, int v) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, logits[i * v + j]);
            double sum = 0;
            for (int j = 0; j < v; j++) sum += Math.exp(logits[i * v + j] - max);
            total += max + Math.log(sum) - logits[i * v + targets[i]];
        }
        return total / n;
    }
}
