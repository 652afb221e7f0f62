package teagrad.diagnostics;

import java.util.ArrayList;
import java.util.List;
import teagrad.inference.RunningStats;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Sequential;

/**
 * One batch norm at the step just taken, per unit: the batch's mean and standard deviation
 * beside the running ones, which chase them with momentum μ (running ← (1 − μ)·running + μ·batch,
 * so they lag by about 1/μ steps). Read from the step's buffers: the layer's input is the
 * previous layer's output, still in the pass. The batch's std is the unbiased √(m/(m−1)·σ²),
 * exactly what the running variance averages, so the two are comparable; the step itself
 * normalised with the biased σ² (a factor √((m−1)/m) smaller, {@link #normalisedStd}).
 * Copies: they stay as they were while training goes on.
 */
public final class BatchNormStats {
    public final int layer;            // index of the BatchNorm1d in the network
    public final String label;         // "BatchNorm 1", "BatchNorm 2", …
    public final int batch;            // m, the examples of the step
    public final float momentum;       // μ of the running average
    public final float[] batchMean, batchStd, runningMean, runningStd;
    private final float[] runningVar;

    BatchNormStats(int layer, String label, BatchNorm1d bn, float[] x, int m) {
        this.layer = layer;
        this.label = label;
        batch = m;
        momentum = bn.momentum;
        int n = bn.features;
        batchMean = new float[n];
        batchStd = new float[n];
        runningMean = bn.runningMean.clone();
        runningStd = new float[n];
        runningVar = bn.runningVar.clone();
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int k = j; k < m * n; k += n) sum += x[k];
            double mu = sum / m, sq = 0;
            for (int k = j; k < m * n; k += n) sq += (x[k] - mu) * (x[k] - mu);
            batchMean[j] = (float) mu;
            batchStd[j] = (float) Math.sqrt(sq / (m - 1));
            runningStd[j] = (float) Math.sqrt(bn.runningVar[j]);
        }
    }

    /** Every batch norm of the network, read from {@code pass} after its forward (in training mode). */
    public static List<BatchNormStats> of(Sequential net, Sequential.Pass pass) {
        List<BatchNormStats> all = new ArrayList<>();
        for (int i = 1; i < net.size(); i++) {
            if (net.layer(i) instanceof BatchNorm1d bn) {
                all.add(new BatchNormStats(i, "BatchNorm " + (all.size() + 1), bn, pass.output(i - 1).data, pass.batch));
            }
        }
        return all;
    }

    /** The std the step divided by (without ε): the biased one, √((m−1)/m) of {@link #batchStd}. */
    public float normalisedStd(int unit) { return batchStd[unit] * (float) Math.sqrt((batch - 1.0) / batch); }

    /**
     * The running std had training tracked the biased variance (the one the step normalised
     * with) instead of PyTorch's unbiased one: {@link RunningStats#biasedVariance} after
     * {@code steps} steps.
     */
    public float[] runningStdBiased(int steps) {
        float[] s = new float[runningStd.length];
        for (int j = 0; j < s.length; j++) s[j] = runningStdBiased(steps, j);
        return s;
    }

    /** {@link #runningStdBiased(int)} of one unit. */
    public float runningStdBiased(int steps, int unit) {
        return (float) Math.sqrt(RunningStats.biasedVariance(runningVar[unit], batch, momentum, steps));
    }
}
