package teagrad.model;

import static teagrad.model.Setting.Group.INIT;
import static teagrad.model.Setting.Group.NETWORK;
import static teagrad.model.Setting.Group.RUN;

import java.util.List;

/**
 * Every setting of a run, once: the table that Config's copy and validation, the model file's
 * config, the worker's messages, {@code train}'s flags and help, and the page's settings form
 * (sent to it in the worker's {@code ready}) are made from. In Config's order; the form and the
 * help list them in this order too.
 */
public final class Settings {
    private Settings() {}

    // The network
    public static final Setting EMBED_DIM = new Setting.Whole("embedDim", 1, Config.MAX_EMBED, c -> c.embedDim, (c, v) -> c.embedDim = v)
        .about(NETWORK, "embedding size", "size of a character's embedding (n_embd)").flag("embed").form("embed").setByPresets().keptInLayers();
    public static final Setting BLOCK_SIZE = new Setting.Whole("blockSize", 1, Config.MAX_BLOCK, c -> c.blockSize, (c, v) -> c.blockSize = v)
        .about(NETWORK, "block size", "characters of context the network reads").flag("block").form("block").unit("characters");
    public static final Setting WIDTHS = new Setting.Widths("widths", c -> c.widths, (c, v) -> c.widths = v)
        .about(NETWORK, "hidden widths (comma-separated, one per layer)", "hidden layers of these widths: 200 is the chapter's net, 100,100,100,100,100 the lecture's deep one")
        .flag("widths").form("widths").setByPresets().keptInLayers();
    public static final Setting BATCH_NORM = new Setting.Switch("batchNorm", c -> c.batchNorm, (c, v) -> c.batchNorm = v)
        .about(NETWORK, "batch norm", "a BatchNorm1d after every hidden linear layer (which then has no bias)").flag("batchnorm").form("bn").setByPresets().keptInLayers();
    public static final Setting OUT_BATCH_NORM = new Setting.Switch("outBatchNorm", c -> c.outBatchNorm, (c, v) -> c.outBatchNorm = v)
        .about(NETWORK, "batch norm on the logits", "a BatchNorm1d on the logits too, its γ starting at outScale (the lecture's deep net)").setByPresets().keptInLayers();
    public static final Setting MOMENTUM = new Setting.Real("momentum", 0, false, 1, false, c -> c.momentum, (c, v) -> c.momentum = v)
        .about(NETWORK, "BN momentum", "batch norm's running statistics: running = (1 − momentum)·running + momentum·batch").flag("momentum").form("mom");
    public static final Setting EPS = new Setting.Real("eps", 0, true, 1, true, c -> c.eps, (c, v) -> c.eps = v)
        .about(NETWORK, "BN eps", "batch norm adds this to the variance before the square root").flag("eps");

    // The init (Model.init)
    public static final Setting INIT_GAIN = new Setting.Real("initGain", 0, true, Config.MAX_GAIN, false, c -> c.initGain, (c, v) -> c.initGain = v)
        .about(INIT, "init gain", "hidden weights ~ N(0,1)·gain/√fan_in: 5/3 is Kaiming for tanh").flag("init-gain").form("gain").setByPresets();
    public static final Setting HIDDEN_SCALE = new Setting.Real("hiddenScale", 0, false, 100, false, c -> c.hiddenScale, (c, v) -> c.hiddenScale = v)
        .about(INIT, "hidden weight scale", "above 0: hidden weights ~ N(0,1)·this instead of the gain (the lecture's first experiments)").flag("hidden-scale").setByPresets();
    public static final Setting HIDDEN_BIAS_SCALE = new Setting.Real("hiddenBiasScale", 0, false, 100, false, c -> c.hiddenBiasScale, (c, v) -> c.hiddenBiasScale = v)
        .about(INIT, "hidden bias scale", "hidden biases ~ N(0,1)·this, 0 for zeros (only without batch norm)").flag("hidden-bias-scale").setByPresets();
    public static final Setting OUT_SCALE = new Setting.Real("outScale", 0, false, 100, false, c -> c.outScale, (c, v) -> c.outScale = v)
        .about(INIT, "output weight scale", "output weights ~ N(0,1)·this: small logits, a near-uniform first guess").flag("out-scale").setByPresets();
    public static final Setting OUT_BIAS_SCALE = new Setting.Real("outBiasScale", 0, false, 100, false, c -> c.outBiasScale, (c, v) -> c.outBiasScale = v)
        .about(INIT, "output bias scale", "output bias ~ N(0,1)·this, 0 for zeros").flag("out-bias-scale").setByPresets();

    // The training run
    public static final Setting BATCH_SIZE = new Setting.Whole("batchSize", 1, Config.MAX_BATCH, c -> c.batchSize, (c, v) -> c.batchSize = v)
        .about(RUN, "batch size", "examples per step (at least 2 with batch norm)").flag("batch-size").form("bs").unit("examples");
    public static final Setting LR = new Setting.Real("lr", 0, true, Config.MAX_LR, false, c -> c.lr, (c, v) -> c.lr = v)
        .about(RUN, "learning rate", "the SGD step size").flag("lr").form("lr");
    public static final Setting LR_DECAY_STEP = new Setting.Whole("lrDecayStep", 0, Config.MAX_STEPS, c -> c.lrDecayStep, (c, v) -> c.lrDecayStep = v)
        .about(RUN, "lr ÷ 10 at step", "from this step on the learning rate is lr/10; 0 = never").flag("lr-decay-step").form("decay");
    public static final Setting STEPS = new Setting.Whole("steps", 0, Config.MAX_STEPS, c -> c.steps, (c, v) -> c.steps = v)
        .about(RUN, "steps", "training steps").flag("steps").form("steps");
    public static final Setting SEED = new Setting.Seed("seed", c -> c.seed, (c, v) -> c.seed = v)
        .about(RUN, "seed", "seed of the init, the split and the minibatches").flag("seed").form("seed");
    public static final Setting EVAL_EVERY = new Setting.Whole("evalEvery", 1, Config.MAX_STEPS, c -> c.evalEvery, (c, v) -> c.evalEvery = v)
        .about(RUN, "dev loss every", "the dev loss is measured every this many steps (and at the end)").flag("eval-every").form("every").unit("steps");

    public static final List<Setting> ALL = List.of(EMBED_DIM, BLOCK_SIZE, WIDTHS, BATCH_NORM, OUT_BATCH_NORM, MOMENTUM, EPS,
        INIT_GAIN, HIDDEN_SCALE, HIDDEN_BIAS_SCALE, OUT_SCALE, OUT_BIAS_SCALE, BATCH_SIZE, LR, LR_DECAY_STEP, STEPS, SEED, EVAL_EVERY);

    /** The setting of this name, or null. */
    public static Setting named(String name) {
        for (Setting s : ALL) if (s.name.equals(name)) return s;
        return null;
    }

    /** Sets every setting the object has; the others stay as they are. @throws Setting.Refused naming the first of another kind */
    public static void read(Setting.Source in, Config into) {
        for (Setting s : ALL) s.read(in, into);
    }

    public static void write(Config c, Setting.Sink out) {
        for (Setting s : ALL) s.write(c, out);
    }
}
