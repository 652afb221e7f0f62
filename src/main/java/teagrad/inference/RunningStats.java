package teagrad.inference;

import java.util.List;
import teagrad.model.Model;
import teagrad.nn.BatchNorm1d;

/**
 * What eval mode normalises with: a mean and a variance per feature for every
 * {@link BatchNorm1d} of a network, in layer order. The model's own running statistics
 * ({@link #of}), the same with the variance tracked biased ({@link #biased}), or calibrated
 * over a whole split ({@link Inference#calibrated}); {@link Inference#Inference(Model, RunningStats)}
 * evaluates with any of them and leaves the model alone.
 */
public final class RunningStats {
    /** mean[k][j], var[k][j]: feature j of the k-th batch norm. */
    public final float[][] mean, var;

    RunningStats(float[][] mean, float[][] var) {
        this.mean = mean;
        this.var = var;
    }

    /** The model's running statistics themselves (not copies: they follow training). */
    public static RunningStats of(Model model) {
        List<BatchNorm1d> bns = model.batchNorms();
        float[][] mean = new float[bns.size()][], var = new float[bns.size()][];
        for (int k = 0; k < bns.size(); k++) {
            mean[k] = bns.get(k).runningMean;
            var[k] = bns.get(k).runningVar;
        }
        return new RunningStats(mean, var);
    }

    /**
     * The running statistics as training would have left them had the variance been tracked
     * biased, σ² of the batch as the batch is normalised with, instead of PyTorch's unbiased
     * m/(m−1)·σ². The running average is linear in what it averages: from r₀ = 1, after t steps
     * of r ← (1 − μ)·r + μ·c·σ²_t,
     * <pre>
     *   r_t = (1 − μ)^t + c·Σ_s μ(1 − μ)^(t−s)·σ²_s
     * </pre>
     * so the biased estimate (c = 1) is (m−1)/m · (r_t − (1 − μ)^t) + (1 − μ)^t, from the unbiased
     * one (c = m/(m−1)), to float rounding. For running statistics as training leaves them:
     * not after a calibration, which sets them outright.
     *
     * @param steps training steps taken (the weight of the initial 1 fades as (1 − μ)^t)
     */
    public static RunningStats biased(Model model, int steps) {
        List<BatchNorm1d> bns = model.batchNorms();
        int m = model.config.batchSize;
        float[][] mean = new float[bns.size()][], var = new float[bns.size()][];
        for (int k = 0; k < bns.size(); k++) {
            BatchNorm1d bn = bns.get(k);
            mean[k] = bn.runningMean.clone();
            var[k] = new float[bn.features];
            for (int j = 0; j < bn.features; j++) var[k][j] = biasedVariance(bn.runningVar[j], m, bn.momentum, steps);
        }
        return new RunningStats(mean, var);
    }

    /** One running variance of {@link #biased}: (m−1)/m · (r_t − (1 − μ)^t) + (1 − μ)^t. */
    public static float biasedVariance(float runningVar, int m, float momentum, int steps) {
        double init = Math.pow(1 - (double) momentum, steps);   // what is left of the initial running var of 1
        return (float) ((m - 1.0) / m * (runningVar - init) + init);
    }

    /** Sets the model's running statistics to these (the notebook's calibration writes them into the layers). */
    public void applyTo(Model model) {
        List<BatchNorm1d> bns = model.batchNorms();
        for (int k = 0; k < bns.size(); k++) {
            System.arraycopy(mean[k], 0, bns.get(k).runningMean, 0, mean[k].length);
            System.arraycopy(var[k], 0, bns.get(k).runningVar, 0, var[k].length);
        }
    }

    /** Copies, so that changing one leaves the other. */
    public RunningStats copy() {
        float[][] m = new float[mean.length][], v = new float[var.length][];
        for (int k = 0; k < mean.length; k++) {
            m[k] = mean[k].clone();
            v[k] = var[k].clone();
        }
        return new RunningStats(m, v);
    }
}
