package teagrad;

/**
 * Every size and option of a run, with Karpathy's part-3 values as defaults.
 * {@link #validate()} refuses impossible settings with a message naming the setting.
 */
public final class Config {
    // The network
    public int embedDim = 10;          // n_embd: size of a character's embedding
    public int blockSize = 3;          // characters of context
    public int hidden = 200;           // n_hidden: neurons in the hidden layer
    public boolean batchNorm = true;   // BatchNorm1d after the first linear layer (which then has no bias)
    public float momentum = 0.001f;    // running stats: running = (1 − momentum)·running + momentum·batch
    public float eps = 1e-5f;          // added to the variance before the square root
    public float initGain = 5f / 3f;   // W1 ~ N(0,1)·gain/√fan_in: Kaiming init for tanh
    public float outScale = 0.01f;     // W2 ~ N(0,1)·0.01: near-uniform predictions at step 0

    // The training run
    public int batchSize = 32;
    public float lr = 0.1f;
    public int lrDecayStep = 100_000;  // from this step on, lr/10; 0 = never decay
    public int steps = 200_000;
    public long seed = 42;
    public int evalEvery = 5_000;      // dev loss cadence (browser chart, CLI progress)

    /** Seeds up to 2^53 survive a trip through JSON and JavaScript numbers exactly. */
    public static final long MAX_SEED = 1L << 53;
    public static final int MAX_EMBED = 64, MAX_BLOCK = 16, MAX_HIDDEN = 1024, MAX_BATCH = 4096, MAX_STEPS = 10_000_000;

    public Config copy() {
        Config c = new Config();
        c.embedDim = embedDim; c.blockSize = blockSize; c.hidden = hidden; c.batchNorm = batchNorm;
        c.momentum = momentum; c.eps = eps; c.initGain = initGain; c.outScale = outScale;
        c.batchSize = batchSize; c.lr = lr; c.lrDecayStep = lrDecayStep; c.steps = steps;
        c.seed = seed; c.evalEvery = evalEvery;
        return c;
    }

    /** The learning rate of a step: step decay by 10× at {@link #lrDecayStep}, as in the notebook. */
    public float learningRate(int step) {
        return lrDecayStep > 0 && step >= lrDecayStep ? lr / 10f : lr;
    }

    /** @throws IllegalArgumentException naming the first impossible setting */
    public Config validate() {
        range("embedDim", embedDim, 1, MAX_EMBED);
        range("blockSize", blockSize, 1, MAX_BLOCK);
        range("hidden", hidden, 1, MAX_HIDDEN);
        range("batchSize", batchSize, 1, MAX_BATCH);
        range("steps", steps, 0, MAX_STEPS);
        range("lrDecayStep", lrDecayStep, 0, Integer.MAX_VALUE);
        range("evalEvery", evalEvery, 1, Integer.MAX_VALUE);
        range("seed", seed, 0, MAX_SEED);
        if (batchNorm && batchSize < 2) {
            throw new IllegalArgumentException("batchSize 1 cannot train with batch norm: the variance of one value is 0 (PyTorch: \"Expected more than 1 value per channel when training\")");
        }
        if (!(lr > 0 && lr <= 10)) throw new IllegalArgumentException("lr must be in (0, 10], got " + lr);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
        if (!(eps > 0 && eps < 1)) throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        if (!(initGain > 0 && initGain <= 100)) throw new IllegalArgumentException("initGain must be in (0, 100], got " + initGain);
        if (!(outScale >= 0 && outScale <= 100)) throw new IllegalArgumentException("outScale must be in [0, 100], got " + outScale);
        return this;
    }

    private static void range(String name, long v, long min, long max) {
        if (v < min || v > max) throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + v);
    }
}
