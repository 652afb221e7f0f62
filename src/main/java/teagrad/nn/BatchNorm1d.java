package teagrad.nn;

import java.util.List;
import teagrad.autograd.Kernels;
import teagrad.autograd.Ops;
import teagrad.autograd.Tensor;

/**
 * Batch normalisation over a [batch × features] input, as torch.nn.BatchNorm1d does it.
 *
 * <pre>
 *   μ   = 1/m Σ x_i                      mini-batch mean
 *   σ²  = 1/m Σ (x_i − μ)²               mini-batch variance (biased: divide by m)
 *   x̂_i = (x_i − μ) / √(σ² + ε)          normalise
 *   y_i = γ x̂_i + β                      scale and shift
 * </pre>
 * Training mode also updates the running statistics that eval mode normalises with:
 * running = (1 − momentum)·running + momentum·batch, the variance tracked unbiased (m/(m−1)·σ²).
 */
public final class BatchNorm1d extends Layer {
    public final int features;
    public final Tensor gamma;           // γ, "bngain": starts at 1
    public final Tensor beta;            // β, "bnbias": starts at 0
    public final float[] runningMean;    // starts at 0
    public final float[] runningVar;     // starts at 1
    public final float momentum;
    public final float eps;
    /** Training normalises with batch statistics; eval with the running ones. */
    boolean training = true;

    public BatchNorm1d(int features, float momentum, float eps) {
        this.features = features;
        this.momentum = momentum;
        this.eps = eps;
        gamma = new Tensor("bngain", features);
        beta = new Tensor("bnbias", features);
        runningMean = new float[features];
        runningVar = new float[features];
        java.util.Arrays.fill(gamma.data, 1f);
        java.util.Arrays.fill(runningVar, 1f);
    }

    /** The batch-norm op on x[m × features]; the mode is read at every run of the graph. */
    @Override public Tensor apply(Tensor x) {
        Ops.requireRank(x, 2, "batch norm input");
        if (x.dim(1) != features) {
            throw new IllegalArgumentException("batch norm: input " + x.shapeString() + " has " + x.dim(1) + " features, layer has " + features);
        }
        int m = x.dim(0), n = features;
        Tensor y = new Tensor("batchnorm", x.shape);
        float[] xhat = new float[m * n];                       // saved for the backward
        float[] invStd = new float[n];                         // 1/√(σ² + ε) per feature
        double[] mean = new double[n], sq = new double[n];     // the forward's per-feature sums
        double[] d = new double[n];                            // a row of x − μ
        float[] sumDy = new float[n], sumDyXhat = new float[n];   // Σ dy = dβ and Σ dy·x̂ = dγ
        Kernels.Scratch simd = Kernels.scratch();              // runs the loops below in the browser's SIMD module, where it has one
        return y.define(new Tensor[] {x, gamma, beta},
            () -> {
                if (training) forward(x.data, m, y.data, xhat, invStd, mean, sq, d, simd);
                else forwardEval(x.data, m, y.data, xhat, invStd, simd);
            },
            // The three backwards run in this order; the first computes the sums the other two add.
            () -> backward(y.grad, m, xhat, invStd, sumDy, sumDyXhat, x.grad, simd),
            () -> { for (int j = 0; j < n; j++) gamma.grad[j] += sumDyXhat[j]; },
            () -> { for (int j = 0; j < n; j++) beta.grad[j] += sumDy[j]; });
    }

    /**
     * Training forward: batch statistics, normalise, scale and shift, update running stats.
     * The WebAssembly worker runs the two passes over x in its SIMD module (simd's calls return
     * true there): the same operations in the same order, so the same bits as the loops below.
     */
    void forward(float[] x, int m, float[] y, float[] xhat, float[] invStd, double[] mean, double[] sq, double[] d, Kernels.Scratch simd) {
        if (m < 2) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size [" + m + ", " + features + "]");
        }
        int n = features;
        if (!simd.batchNormMoments(x, m, n, mean, sq)) moments(x, m, mean, sq);
        for (int j = 0; j < n; j++) {
            double sigma2 = sq[j] / m;                              // σ², biased
            invStd[j] = (float) (1 / Math.sqrt(sigma2 + eps));
            // Running stats track the *unbiased* variance, as PyTorch does (Bessel: m/(m−1)).
            runningMean[j] = (1 - momentum) * runningMean[j] + momentum * (float) mean[j];
            runningVar[j] = (1 - momentum) * runningVar[j] + momentum * (float) (sigma2 * m / (m - 1));
        }
        float[] g = gamma.data, b = beta.data;
        if (simd.batchNormNormalise(x, m, n, mean, invStd, g, b, xhat, y)) return;
        for (int i = 0; i < m; i++) {
            int row = i * n;
            // x̂ = (float) (x − μ) · invStd, x − μ in doubles: simple loops, which HotSpot vectorises
            // (one loop with both conversions in it took 1.6× as long)
            for (int j = 0; j < n; j++) d[j] = x[row + j];
            for (int j = 0; j < n; j++) d[j] -= mean[j];                  // x − μ
            for (int j = 0; j < n; j++) xhat[row + j] = (float) d[j];
            for (int j = 0; j < n; j++) {
                float xh = xhat[row + j] * invStd[j];                   // x̂
                xhat[row + j] = xh;
                y[row + j] = g[j] * xh + b[j];                           // γ x̂ + β
            }
        }
    }

    /**
     * μ in mean[j] and Σ(x − μ)² in sq[j], in doubles. Row by row: every sum gains the rows in
     * the same order as a loop down its column would (the same bits), and each inner loop runs
     * along a row, which HotSpot vectorises (the loops down the columns ran 2–3× slower on the JVM).
     */
    private void moments(float[] x, int m, double[] mean, double[] sq) {
        int n = features;
        java.util.Arrays.fill(mean, 0);
        java.util.Arrays.fill(sq, 0);
        for (int i = 0; i < m; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) mean[j] += x[row + j];   // Σ x
        }
        for (int j = 0; j < n; j++) mean[j] /= m;                   // μ
        for (int i = 0; i < m; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) {
                double d = x[row + j] - mean[j];
                sq[j] += d * d;
            }
        }
    }

    /** Eval forward: the running statistics stand in for the batch's. */
    void forwardEval(float[] x, int m, float[] y, float[] xhat, float[] invStd, Kernels.Scratch simd) {
        int n = features;
        for (int j = 0; j < n; j++) invStd[j] = (float) (1 / Math.sqrt(runningVar[j] + eps));
        if (simd.batchNormNormaliseEval(x, m, n, runningMean, invStd, gamma.data, beta.data, xhat, y)) return;
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            int k = i * n + j;
            xhat[k] = (x[k] - runningMean[j]) * invStd[j];
            y[k] = gamma.data[j] * xhat[k] + beta.data[j];
        }
    }

    /**
     * The fused backward through μ and σ² in one formula (the seed chapter's):
     * dx_i = γ / (m·√(σ²+ε)) · (m·dy_i − Σ_j dy_j − x̂_i · Σ_j dy_j·x̂_j).
     * In eval mode μ and σ² are constants, so only dx_i = γ·dy_i / √(σ²+ε) remains.
     */
    void backward(float[] dy, int m, float[] xhat, float[] invStd, float[] sumDy, float[] sumDyXhat, float[] dx, Kernels.Scratch simd) {
        int n = features;
        if (simd.batchNormBackward(dy, m, n, xhat, invStd, gamma.data, training, sumDy, sumDyXhat, dx)) return;
        // A feature (a column) at a time, the two sums in local variables.
        for (int j = 0; j < n; j++) {
            float sDy = 0, sDyXhat = 0;
            for (int k = j; k < m * n; k += n) {
                sDy += dy[k];
                sDyXhat += dy[k] * xhat[k];
            }
            sumDy[j] = sDy;
            sumDyXhat[j] = sDyXhat;
            if (!training) {   // μ and σ² are constants: dx = γ·dy / √(σ²+ε)
                float s = gamma.data[j] * invStd[j];
                for (int k = j; k < m * n; k += n) dx[k] += s * dy[k];
                continue;
            }
            float s = gamma.data[j] * invStd[j] / m;   // γ / (m·√(σ²+ε))
            for (int k = j; k < m * n; k += n) dx[k] += s * (m * dy[k] - sDy - xhat[k] * sDyXhat);
        }
    }

    // ---- as a layer of a Sequential

    @Override public String type() { return "batchnorm1d"; }

    @Override public List<Tensor> parameters() { return List.of(gamma, beta); }

    @Override public void train(boolean on) { training = on; }

    public boolean training() { return training; }

    @Override int[] outShape(int[] in) {
        if (in.length != 1 || in[0] != features) throw new IllegalArgumentException("expects " + features + " features, but its input is " + describe(in));
        return in;
    }

    @Override public String toString() { return "BatchNorm1d(" + features + ")"; }
}
