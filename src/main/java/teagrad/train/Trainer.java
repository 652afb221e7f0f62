package teagrad.train;

import teagrad.autograd.Tensor;
import teagrad.data.Dataset;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Sequential;
import teagrad.data.Rng;
import teagrad.model.Model;

/**
 * Minibatch SGD, the notebook's training loop: draw {@code batchSize} examples uniformly with
 * replacement from the training split, forward, backward, {@code p -= lr · grad}, with the
 * learning rate dropping tenfold at {@code lrDecayStep}.
 */
public final class Trainer {
    /** The loss went NaN or ±Inf; the model is left as it was before that step. */
    public static final class Diverged extends RuntimeException {
        public final int step;

        Diverged(int step, float loss) {
            super("the loss became " + loss + " at step " + step + "; the model is kept as it was before that step (try a smaller learning rate)");
            this.step = step;
        }
    }

    public final Model model;
    public final Dataset data;
    private final Sequential.Pass pass;
    private final Tensor[] params;
    private final BatchNorm1d[] bns;
    private final Rng batches;
    private final int[] rows;
    private final float[][] savedMean, savedVar;   // running stats before the step, in case it diverges
    private int step;
    private float lastLr;

    public Trainer(Model model, Dataset data) {
        this(model, data, 0);
    }

    /** Continues a model already trained for {@code startStep} steps (the learning-rate schedule goes on from there). */
    public Trainer(Model model, Dataset data, int startStep) {
        if (!model.vocab.equals(data.vocab)) {
            throw new IllegalArgumentException("the model's vocabulary (" + model.vocab.size() + " characters) differs from the word list's (" + data.vocab.size() + ")");
        }
        if (model.config.blockSize != data.blockSize) {
            throw new IllegalArgumentException("the model's block size " + model.config.blockSize + " differs from the data set's " + data.blockSize);
        }
        if (data.train.size == 0) throw new IllegalArgumentException("the training split is empty: the word list needs at least 2 words");
        this.model = model;
        this.data = data;
        int b = model.config.batchSize;
        pass = model.pass(b);
        params = model.parameters().toArray(new Tensor[0]);
        batches = new Rng(model.config.seed, Rng.BATCHES);
        rows = new int[b];
        bns = model.batchNorms().toArray(new BatchNorm1d[0]);
        savedMean = new float[bns.length][];
        savedVar = new float[bns.length][];
        for (int i = 0; i < bns.length; i++) {
            savedMean[i] = new float[bns[i].features];
            savedVar[i] = new float[bns[i].features];
        }
        // A continued run draws the batches an uninterrupted one would: replay the draws of the
        // steps already taken (a few ms for 200k steps), so a resumed run is the same run.
        for (long i = (long) startStep * b; i > 0; i--) batches.nextInt(data.train.size);
        step = startStep;
        lastLr = model.config.learningRate(Math.max(0, step - 1));
    }

    /** Steps done so far. */
    public int stepsDone() { return step; }

    public boolean finished() { return step >= model.config.steps; }

    /**
     * One SGD step on a fresh minibatch at the schedule's learning rate; returns its loss (before the update).
     * @throws Diverged when the loss or a gradient is not finite (nothing is changed then)
     */
    public float trainStep() {
        return trainStep(model.config.learningRate(step));
    }

    /** One SGD step at this learning rate instead of the schedule's (the learning-rate finder's sweep). */
    public float trainStep(float lr) {
        model.train();
        for (int i = 0; i < rows.length; i++) rows[i] = batches.nextInt(data.train.size);
        pass.load(data.train, rows);
        float loss = forwardBackward();
        if (!Float.isFinite(loss) || !gradientsFinite()) {
            restoreRunningStats();
            throw new Diverged(step + 1, loss);
        }
        lastLr = lr;
        for (Tensor p : params) {
            float[] d = p.data, g = p.grad;
            for (int i = 0; i < d.length; i++) d[i] -= lr * g[i];
        }
        step++;
        return loss;
    }

    /** Forward and backward on the loaded batch, the running statistics saved first. */
    private float forwardBackward() {
        for (int i = 0; i < bns.length; i++) {
            System.arraycopy(bns[i].runningMean, 0, savedMean[i], 0, savedMean[i].length);
            System.arraycopy(bns[i].runningVar, 0, savedVar[i], 0, savedVar[i].length);
        }
        pass.graph.forward();
        float loss = pass.loss.item();
        for (Tensor p : params) p.zeroGrad();
        pass.graph.backward();
        return loss;
    }

    private void restoreRunningStats() {
        for (int i = 0; i < bns.length; i++) {
            System.arraycopy(savedMean[i], 0, bns[i].runningMean, 0, savedMean[i].length);
            System.arraycopy(savedVar[i], 0, bns[i].runningVar, 0, savedVar[i].length);
        }
    }

    /**
     * Fills the step's buffers without taking a step, for a look at the network before training
     * (the diagnostics at step 0): forward and backward on a batch from a stream of its own, so
     * the training batches are not touched, and the running statistics put back as they were.
     * The next step overwrites everything it leaves.
     */
    public float probe() {
        model.train();
        Rng probes = new Rng(model.config.seed, Rng.PROBE);
        for (int i = 0; i < rows.length; i++) rows[i] = probes.nextInt(data.train.size);
        pass.load(data.train, rows);
        float loss = forwardBackward();
        restoreRunningStats();
        return loss;
    }

    /** The learning rate of the last step taken (of the coming one before any). */
    public float lastLearningRate() { return lastLr; }

    private boolean gradientsFinite() {
        for (Tensor p : params) for (float g : p.grad) if (g * 0f != 0f) return false;   // NaN·0 and Inf·0 are NaN
        return true;
    }

    /** The minibatch graph of the last step: its buffers hold every layer's output and gradient. */
    public Sequential.Pass lastPass() { return pass; }
}
