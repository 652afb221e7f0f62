package teagrad.model;

/**
 * Every size and option of a run, with Karpathy's part-3 values as defaults: plain fields that
 * the code computes with. {@link Settings} describes each one (range, flag, help); copy and
 * {@link #validate()} walk that table, and validate refuses an impossible setting by name.
 */
public final class Config {
    // The network
    public int embedDim = 10;          // n_embd: size of a character's embedding
    public int blockSize = 3;          // characters of context
    public int[] widths = {200};       // n_hidden of each hidden layer: {200} is the chapter's net, {100 ×5} the lecture's deep one
    public boolean batchNorm = true;   // BatchNorm1d after every hidden linear layer (which then has no bias)
    public boolean outBatchNorm = false;   // the lecture's deep net: a BatchNorm1d on the logits too (its γ starts at outScale)
    public float momentum = 0.001f;    // running stats: running = (1 − momentum)·running + momentum·batch
    public float eps = 1e-5f;          // added to the variance before the square root

    // The init (see Model.init): hidden weights ~ N(0,1)·gain/√fan_in (Kaiming for tanh) unless hiddenScale > 0
    public float initGain = 5f / 3f;
    public float hiddenScale = 0;      // > 0: hidden weights ~ N(0,1)·hiddenScale instead (the lecture's first experiments)
    public float hiddenBiasScale = 0;  // hidden biases ~ N(0,1)·this (0: zeros); only without batch norm
    public float outScale = 0.01f;     // output weights ~ N(0,1)·0.01: near-uniform predictions at step 0
    public float outBiasScale = 0;     // output bias ~ N(0,1)·this (0: zeros)

    // The training run
    public int batchSize = 32;
    public float lr = 0.1f;
    public int lrDecayStep = 100_000;  // from this step on, lr/10; 0 = never decay
    public int steps = 200_000;
    public long seed = 42;
    public int evalEvery = 5_000;      // dev loss cadence (browser chart, CLI progress)

    /** Seeds up to 2^53 survive a trip through JSON and JavaScript numbers exactly. */
    public static final long MAX_SEED = 1L << 53;
    public static final int MAX_EMBED = 64, MAX_BLOCK = 16, MAX_HIDDEN = 1024, MAX_LAYERS = 10, MAX_BATCH = 4096, MAX_STEPS = 10_000_000;
    public static final float MAX_LR = 10, MAX_GAIN = 100;

    public Config copy() {
        Config c = new Config();
        for (Setting s : Settings.ALL) s.copy(this, c);
        return c;
    }

    /** The learning rate of a step: step decay by 10× at {@link #lrDecayStep}, as in the notebook. */
    public float learningRate(int step) {
        return lrDecayStep > 0 && step >= lrDecayStep ? lr / 10f : lr;
    }

    /** The one rule between settings: batch norm divides by the batch's variance, which one example does not have. */
    public static final int MIN_BATCH_WITH_BATCH_NORM = 2;
    public static final String BATCH_NORM_RULE = "must be at least 2 with batch norm: the variance of one value is 0"
        + " (PyTorch: \"Expected more than 1 value per channel when training\")";

    /** @throws Setting.Refused naming the first impossible setting */
    public Config validate() {
        for (Setting s : Settings.ALL) s.check(this);
        if ((batchNorm || outBatchNorm) && batchSize < MIN_BATCH_WITH_BATCH_NORM) {
            throw new Setting.Refused(Settings.BATCH_SIZE, BATCH_NORM_RULE + ", got " + batchSize);
        }
        return this;
    }
}
