package teagrad.experiments;

import teagrad.data.Dataset;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.train.Trainer;

/**
 * The previous chapter's learning-rate finder: a fresh model trained one step per learning rate,
 * the rates rising exponentially, the batch loss recorded at each (the lecture's
 * {@code lre = torch.linspace(-3, 0, 1000); lrs = 10**lre}). Stepped one step at a time, so the
 * worker can run it in slices; the curve is plain arrays.
 *
 * <p>The suggestion. The batch loss is noisy (32 examples), so the curve is smoothed first, as
 * fast.ai's finder does: an exponential moving average with bias correction,
 * {@code avg = β·avg + (1 − β)·loss; smoothed = avg / (1 − β^(i+1))}, β = 0.98 (about the last 50
 * points). Its minimum is where steps begin to overshoot: on the default net it sits near lr 0.3,
 * and past it the loss climbs. The suggestion is half a decade below that minimum,
 * {@code lr_min / √10}: the rate is then still on the steadily falling part of the curve, which
 * is where Karpathy reads his 0.1 (lre ≈ −1) off the lecture's plot; on the default net it gives
 * about 0.1 too. A minimum at the top of the range (the curve still falling at lr 1) gives 0.32.
 */
public final class LrFinder {
    /** The lecture's range and count: 10^-3 to 10^0 in 1,000 steps. */
    public static final int STEPS = 1000;
    public static final double LOW_EXPONENT = -3, HIGH_EXPONENT = 0;

    private final Trainer trainer;
    private final float[] lrs = new float[STEPS], losses = new float[STEPS];
    private int done;
    private String diverged;

    /** A fresh model of the config's network and init, on the data's training split with the config's seed. */
    public LrFinder(Config c, Dataset data) {
        trainer = new Trainer(Model.init(c, data.vocab), data);
        for (int i = 0; i < STEPS; i++) lrs[i] = learningRate(i);
    }

    /** lrs[i] = 10^lre[i], lre = linspace(-3, 0, 1000). */
    public static float learningRate(int i) {
        return (float) Math.pow(10, LOW_EXPONENT + (HIGH_EXPONENT - LOW_EXPONENT) * i / (STEPS - 1));
    }

    /** Runs the whole sweep (or until it diverges). */
    public static LrFinder run(Config c, Dataset data) {
        LrFinder f = new LrFinder(c, data);
        while (!f.finished()) f.step();
        return f;
    }

    /** One step at the next learning rate; a loss that is no longer finite ends the sweep, the curve so far kept. */
    public void step() {
        if (finished()) return;
        try {
            losses[done] = trainer.trainStep(lrs[done]);
            done++;
        } catch (Trainer.Diverged e) {
            diverged = "the loss diverged at lr " + lrs[done] + " (step " + (done + 1) + "): the curve stops there";
        }
    }

    public boolean finished() { return done == STEPS || diverged != null; }

    /** Runs {@code steps} (calls of {@link #step}) with the weights kept where the products are for all of them ({@link Trainer#runSteps}). */
    public void runSteps(Runnable steps) { trainer.runSteps(steps); }

    /** Points recorded so far. */
    public int count() { return done; }

    /** The learning rates of the whole sweep; the first {@link #count()} have a loss. */
    public float[] lrs() { return lrs; }

    /** The batch loss at each learning rate, the first {@link #count()} of them. */
    public float[] losses() { return losses; }

    /** The smoothing of the suggestion: β of the moving average. */
    public static final double BETA = 0.98;
    /** The suggestion is the smoothed minimum's lr times this: half a decade lower. */
    public static final double BACK_OFF = 1 / Math.sqrt(10);

    /** The batch losses smoothed by the bias-corrected moving average (see the class comment), one per point so far. */
    public float[] smoothed() { return smooth(losses, done); }

    /** The suggested learning rate: the smoothed minimum's, half a decade lower; NaN before the first point. */
    public float suggestion() { return suggestion(lrs, smoothed()); }

    /** The point where the smoothed loss is lowest, or -1 before the first point. */
    public int minimum() { return minimum(smoothed()); }

    /** avg = β·avg + (1 − β)·loss, divided by 1 − β^(i+1) so the first points are not pulled towards 0. */
    public static float[] smooth(float[] losses, int n) {
        float[] s = new float[n];
        double avg = 0, correction = 1;
        for (int i = 0; i < n; i++) {
            avg = BETA * avg + (1 - BETA) * losses[i];
            correction *= BETA;
            s[i] = (float) (avg / (1 - correction));
        }
        return s;
    }

    /** Index of the lowest value (the first of equals), -1 for none. */
    public static int minimum(float[] smoothed) {
        int best = -1;
        for (int i = 0; i < smoothed.length; i++) if (best < 0 || smoothed[i] < smoothed[best]) best = i;
        return best;
    }

    /** lrs[minimum] ÷ √10, NaN for an empty curve. */
    public static float suggestion(float[] lrs, float[] smoothed) {
        int m = minimum(smoothed);
        return m < 0 ? Float.NaN : (float) (lrs[m] * BACK_OFF);
    }

    /** Why the sweep stopped early, or null. */
    public String diverged() { return diverged; }
}
