package teagrad.model;

/**
 * Every size and option of a run, with Karpathy's part-3 values as defaults.
 * {@link #validate()} refuses impossible settings with a message naming the setting.
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
        c.embedDim = embedDim; c.blockSize = blockSize; c.widths = widths.clone(); c.batchNorm = batchNorm;
        c.outBatchNorm = outBatchNorm; c.momentum = momentum; c.eps = eps;
        c.initGain = initGain; c.hiddenScale = hiddenScale; c.hiddenBiasScale = hiddenBiasScale;
        c.outScale = outScale; c.outBiasScale = outBiasScale;
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
        range("hidden layers", widths.length, 1, MAX_LAYERS);
        for (int w : widths) range("hidden width", w, 1, MAX_HIDDEN);
        range("batchSize", batchSize, 1, MAX_BATCH);
        range("steps", steps, 0, MAX_STEPS);
        range("lrDecayStep", lrDecayStep, 0, Integer.MAX_VALUE);
        range("evalEvery", evalEvery, 1, Integer.MAX_VALUE);
        range("seed", seed, 0, MAX_SEED);
        if ((batchNorm || outBatchNorm) && batchSize < 2) {
            throw new IllegalArgumentException("batchSize 1 cannot train with batch norm: the variance of one value is 0 (PyTorch: \"Expected more than 1 value per channel when training\")");
        }
        if (!(lr > 0 && lr <= MAX_LR)) throw new IllegalArgumentException("lr must be in (0, " + MAX_LR + "], got " + lr);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
        if (!(eps > 0 && eps < 1)) throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        if (!(initGain > 0 && initGain <= MAX_GAIN)) throw new IllegalArgumentException("initGain must be in (0, " + MAX_GAIN + "], got " + initGain);
        scale("hiddenScale", hiddenScale);
        scale("hiddenBiasScale", hiddenBiasScale);
        scale("outScale", outScale);
        scale("outBiasScale", outBiasScale);
        return this;
    }

    private static void scale(String name, float v) {
        if (!(v >= 0 && v <= 100)) throw new IllegalArgumentException(name + " must be in [0, 100], got " + v);
    }

    /** The widths as the CLI and the page write them: "100,100,100". */
    public String widthsText() {
        StringBuilder b = new StringBuilder();
        for (int w : widths) b.append(b.length() == 0 ? "" : ",").append(w);
        return b.toString();
    }

    /** @throws IllegalArgumentException unless s is 1 to MAX_LAYERS whole numbers separated by commas */
    public static int[] parseWidths(String s) {
        String[] parts = s.trim().split("\\s*,\\s*", -1);
        if (parts.length > MAX_LAYERS) throw new IllegalArgumentException("widths: at most " + MAX_LAYERS + " hidden layers, got " + parts.length);
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("widths must be whole numbers separated by commas, like 100,100,100; got \"" + s + "\"");
            }
            range("hidden width", w[i], 1, MAX_HIDDEN);
        }
        return w;
    }

    private static void range(String name, long v, long min, long max) {
        if (v < min || v > max) throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + v);
    }
}
