package teagrad.inference;

import teagrad.data.Dataset;
import teagrad.model.Model;

/**
 * One split's loss with batch norm normalising in each of the ways the lecture discusses, as
 * {@code eval --bn} prints them:
 * <ul>
 * <li>running: eval mode with the running statistics (what the dev points and sampling use);</li>
 * <li>runningBiased: the same had training tracked the biased variance, the one each step
 *     normalised with ({@link RunningStats#biased}); the difference is Bessel's correction;</li>
 * <li>calibrated: eval mode with mean and variance over the whole training split (the
 *     notebook's calibration cell, {@link Inference#calibrated});</li>
 * <li>batch: training mode, each batch of the training batch size normalised with its own
 *     statistics ({@link Inference#batchStatisticsLoss}).</li>
 * </ul>
 * Without a batch norm the four are one number, computed once. The model is left alone.
 */
public final class EvalModes {
    public final double running, runningBiased, calibrated, batch;

    private EvalModes(double running, double runningBiased, double calibrated, double batch) {
        this.running = running;
        this.runningBiased = runningBiased;
        this.calibrated = calibrated;
        this.batch = batch;
    }

    /**
     * The loss of {@code split} four ways, after {@code steps} training steps (the biased
     * estimate needs them), with the batches shuffled by the model's seed.
     * @throws IllegalArgumentException for a split too small for batches (fewer than 2 examples)
     */
    public static EvalModes of(Model model, Dataset data, Dataset.Split split, int steps) {
        double running = new Inference(model).loss(split);
        if (model.batchNorms().isEmpty()) return new EvalModes(running, running, running, running);
        return new EvalModes(running,
            new Inference(model, RunningStats.biased(model, steps)).loss(split),
            new Inference(model, Inference.calibrated(model, data.train)).loss(split),
            Inference.batchStatisticsLoss(model, split, model.config.batchSize, model.config.seed));
    }
}
