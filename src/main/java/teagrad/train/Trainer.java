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
    private final Rng batchesBefore;   // the generator before the step's draws, put back if the step diverges
    private final String resumeNote;
    private final int[] rows;
    private final float[][] savedMean, savedVar;   // running stats before the step, in case it diverges
    private int step;
    private float lastLr;
    private final Parameters weights = Parameters.installed();
    private int running;   // runSteps calls in progress

    public Trainer(Model model, Dataset data) {
        this(model, data, 0);
    }

    /**
     * Draws of the minibatch generator a continued run may replay when it has no saved state
     * (steps × batch size): 2^24, about 0.1 s on the JVM and well under a second in the page;
     * the chapter's 200,000 steps × 32 are 6.4 M.
     */
    public static final long MAX_REPLAY = 1 << 24;

    /** Continues a model already trained for {@code startStep} steps, without the generator's state (see below). */
    public Trainer(Model model, Dataset data, int startStep) {
        this(model, data, startStep, null);
    }

    /**
     * Continues a model already trained for {@code startStep} steps (the learning-rate schedule
     * goes on from there). With {@code batchState}, the minibatch generator's state after those
     * steps ({@link #batchState()}, kept in the model file), the run goes on with exactly the
     * batches an uninterrupted run draws, at once whatever the step. Without it (an older file,
     * one written by PyTorch) the draws are replayed if that is quick (at most
     * {@link #MAX_REPLAY}); otherwise the batches start over from the run's first ones, and
     * {@link #resumeNote()} says so.
     */
    public Trainer(Model model, Dataset data, int startStep, int[] batchState) {
        if (startStep < 0) throw new IllegalArgumentException("a run cannot start at step " + startStep);
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
        rows = new int[b];
        bns = model.batchNorms().toArray(new BatchNorm1d[0]);
        savedMean = new float[bns.length][];
        savedVar = new float[bns.length][];
        for (int i = 0; i < bns.length; i++) {
            savedMean[i] = new float[bns[i].features];
            savedVar[i] = new float[bns[i].features];
        }
        if (batchState != null) {
            batches = Rng.fromState(batchState);
            resumeNote = null;
        } else {
            batches = new Rng(model.config.seed, Rng.BATCHES);
            if ((long) startStep * b <= MAX_REPLAY) {
                for (long i = (long) startStep * b; i > 0; i--) batches.nextInt(data.train.size);   // the draws of the steps taken
                resumeNote = null;
            } else {
                resumeNote = "the file does not hold the minibatch generator's state, and replaying " + startStep + " steps × " + b
                    + " draws would take too long: training goes on with the batches of a fresh start, not the ones an uninterrupted run would draw";
            }
        }
        batchesBefore = Rng.fromState(batches.state());
        step = startStep;
        lastLr = model.config.learningRate(Math.max(0, step - 1));
    }

    /** Steps done so far. */
    public int stepsDone() { return step; }

    /** The minibatch generator's state after {@link #stepsDone()} steps: what a model file keeps to continue the run exactly. */
    public int[] batchState() { return batches.state(); }

    /** Why this continued run does not draw the batches an uninterrupted one would, or null when it does. */
    public String resumeNote() { return resumeNote; }

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
        enterRun();
        try {
            return step(lr);
        } finally {
            leaveRun();
        }
    }

    /**
     * Runs {@code steps} (calls of {@link #trainStep}) with the parameters where the step's loops are
     * fastest for all of them ({@link Parameters}: in the WebAssembly worker the linear layers'
     * weights stay in linear memory, rather than moving there and back every step). The model reads
     * as usual after it, also when a step diverged.
     */
    public void runSteps(Runnable steps) {
        enterRun();
        try {
            steps.run();
        } finally {
            leaveRun();
        }
    }

    /** The outermost of nested runs moves the parameters in and, leaving, back. */
    private void enterRun() { if (running++ == 0) weights.begin(params); }

    private void leaveRun() { if (--running == 0) weights.end(); }

    private float step(float lr) {
        model.train();
        batchesBefore.copyFrom(batches);
        drawMinibatch();
        float loss = forwardBackward();
        if (!Float.isFinite(loss) || !gradientsFinite()) {
            // Undo the step entirely, its draws too: continued or resumed, the run then takes
            // this batch again, as one that never stopped here does.
            restoreRunningStats();
            batches.copyFrom(batchesBefore);
            throw new Diverged(step + 1, loss);
        }
        lastLr = lr;
        update(lr);
        step++;
        return loss;
    }

    /** batchSize examples drawn uniformly with replacement from the training split, into the pass's inputs. */
    private void drawMinibatch() {
        for (int i = 0; i < rows.length; i++) rows[i] = batches.nextInt(data.train.size);
        pass.load(data.train, rows);
    }

    /** p −= lr · dp for every parameter ({@link Parameters#sgd}: the loop, or the WebAssembly worker's kernel). */
    private void update(float lr) {
        for (Tensor p : params) weights.sgd(p, lr);
    }

    /** Forward and backward on the loaded batch, the running statistics saved first. */
    private float forwardBackward() {
        saveRunningStats();
        pass.graph.forward();
        float loss = pass.loss.item();
        zeroParameterGrads();
        pass.graph.backward();
        return loss;
    }

    private void saveRunningStats() {
        for (int i = 0; i < bns.length; i++) {
            System.arraycopy(bns[i].runningMean, 0, savedMean[i], 0, savedMean[i].length);
            System.arraycopy(bns[i].runningVar, 0, savedVar[i], 0, savedVar[i].length);
        }
    }

    private void zeroParameterGrads() {
        for (Tensor p : params) weights.zeroGrad(p);
    }

    /**
     * The step's own work besides the ops' forwards and backwards, part by part, in the order a
     * step does it: for StepProfile, which times each alone on a trainer built for that (the
     * minibatches come from the training stream; the update is by a learning rate of 0).
     */
    public java.util.Map<String, Runnable> ownWork() {
        java.util.Map<String, Runnable> parts = new java.util.LinkedHashMap<>();
        parts.put("minibatch drawn", this::drawMinibatch);
        parts.put("running stats saved", this::saveRunningStats);
        parts.put("parameter grads zeroed", this::zeroParameterGrads);
        parts.put("op grads zeroed", pass.graph::zeroOpGrads);
        parts.put("finiteness check", this::gradientsFinite);
        parts.put("SGD update", () -> update(0f));
        return parts;
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
        for (Tensor p : params) if (!weights.gradFinite(p)) return false;
        return true;
    }

    /** The minibatch graph of the last step: its buffers hold every layer's output and gradient. */
    public Sequential.Pass lastPass() { return pass; }
}
