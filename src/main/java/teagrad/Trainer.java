package teagrad;

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

    public final Mlp model;
    public final Dataset data;
    private final Mlp.Pass pass;
    private final Tensor[] params;
    private final Rng batches;
    private final int[] rows;
    private final float[] savedMean, savedVar;   // running stats before the step, in case it diverges
    private int step;

    public Trainer(Mlp model, Dataset data) {
        this(model, data, 0);
    }

    /** Continues a model already trained for {@code startStep} steps (the learning-rate schedule goes on from there). */
    public Trainer(Mlp model, Dataset data, int startStep) {
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
        int h = model.config.hidden;
        savedMean = new float[h];
        savedVar = new float[h];
        step = startStep;
    }

    /** Steps done so far. */
    public int stepsDone() { return step; }

    public boolean finished() { return step >= model.config.steps; }

    /**
     * One SGD step on a fresh minibatch; returns its loss (before the update).
     * @throws Diverged when the loss or a gradient is not finite (nothing is changed then)
     */
    public float trainStep() {
        model.train();
        for (int i = 0; i < rows.length; i++) rows[i] = batches.nextInt(data.train.size);
        pass.load(data.train, rows);
        BatchNorm1d bn = model.bn;
        if (bn != null) {
            System.arraycopy(bn.runningMean, 0, savedMean, 0, savedMean.length);
            System.arraycopy(bn.runningVar, 0, savedVar, 0, savedVar.length);
        }
        pass.graph.forward();
        float loss = pass.loss.item();
        for (Tensor p : params) p.zeroGrad();
        pass.graph.backward();
        if (!Float.isFinite(loss) || !gradientsFinite()) {
            if (bn != null) {
                System.arraycopy(savedMean, 0, bn.runningMean, 0, savedMean.length);
                System.arraycopy(savedVar, 0, bn.runningVar, 0, savedVar.length);
            }
            throw new Diverged(step + 1, loss);
        }
        float lr = model.config.learningRate(step);
        for (Tensor p : params) {
            float[] d = p.data, g = p.grad;
            for (int i = 0; i < d.length; i++) d[i] -= lr * g[i];
        }
        step++;
        return loss;
    }

    private boolean gradientsFinite() {
        for (Tensor p : params) for (float g : p.grad) if (g * 0f != 0f) return false;   // NaN·0 and Inf·0 are NaN
        return true;
    }

    /** The minibatch graph of the last step (for tests and the activations view). */
    public Mlp.Pass lastPass() { return pass; }
}
