package teagrad.diagnostics;

import teagrad.autograd.Ops;
import teagrad.data.Dataset;
import teagrad.data.Rng;
import teagrad.data.Vocab;
import teagrad.inference.RunningStats;
import teagrad.model.Model;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Sequential;

/**
 * Batch norm couples the examples of a batch. In training mode an example is normalised with
 * the mean and variance of the batch it happens to be in, so its hidden activations, the
 * probability it gives the next character and its loss all move a little with the other
 * examples drawn beside it: the jitter the lecture calls a regulariser, and the reason eval
 * mode normalises with running statistics, where an example's numbers depend on nothing else.
 * {@link #explore} puts one example into K random training batches and records it in both
 * modes: the same K batches, once normalised by batch statistics and once by the running ones.
 */
public final class Coupling {
    public final int[] context;
    public final int target;
    /** The layer whose output is recorded (a batch norm's: hpreact; a tanh's: h), and its width. */
    public final int layer, units;
    /** The number of batches. */
    public final int k;
    /** [k × units]: the example's row of the layer's output, batch by batch. */
    public final float[] trainActivations, evalActivations;
    /** [k]: the probability the network gives the target, and the loss −ln p, batch by batch. */
    public final float[] trainProb, evalProb, trainLoss, evalLoss;

    private Coupling(int[] context, int target, int layer, int units, int k) {
        this.context = context.clone();
        this.target = target;
        this.layer = layer;
        this.units = units;
        this.k = k;
        trainActivations = new float[k * units];
        evalActivations = new float[k * units];
        trainProb = new float[k];
        evalProb = new float[k];
        trainLoss = new float[k];
        evalLoss = new float[k];
    }

    public static final int MAX_BATCHES = 1000;

    /**
     * The example (context → target) in row 0 of {@code k} batches of the model's batch size,
     * the other rows drawn uniformly from {@code train} (with replacement, as training draws)
     * by {@code Rng(seed, COUPLING)}. The model is left as it was: its running statistics (which
     * a training-mode forward updates) are put back, and each layer's mode too.
     * @throws IllegalArgumentException naming what does not fit the model
     */
    public static Coupling explore(Model model, Dataset.Split train, int[] context, int target, int layer, int k, long seed) {
        Sequential net = model.net;
        int vocab = model.vocab.size(), block = net.blockSize, b = model.config.batchSize;
        if (context.length != block) throw new IllegalArgumentException("the context has " + context.length + " characters, the model reads " + block);
        for (int c : context) if (c < 0 || c >= vocab) throw new IllegalArgumentException("context symbol " + c + " is outside the vocabulary of " + vocab);
        if (target < 0 || target >= vocab) throw new IllegalArgumentException("target symbol " + target + " is outside the vocabulary of " + vocab);
        if (layer < 1 || layer >= net.size()) throw new IllegalArgumentException("layer must be between 1 and " + (net.size() - 1) + ", got " + layer);
        if (k < 1 || k > MAX_BATCHES) throw new IllegalArgumentException("the number of batches must be between 1 and " + MAX_BATCHES + ", got " + k);
        if (train.size == 0) throw new IllegalArgumentException("the training split is empty: no batches to draw");
        Coupling c = new Coupling(context, target, layer, net.shape(layer)[0], k);

        Sequential.Pass pass = net.pass(b);
        int[] rows = new int[b * k];
        Rng rng = new Rng(seed, Rng.COUPLING);
        for (int i = 0; i < rows.length; i++) rows[i] = rng.nextInt(train.size);
        RunningStats saved = RunningStats.of(model).copy();
        boolean[] modes = new boolean[net.size()];
        for (int i = 0; i < net.size(); i++) modes[i] = net.layer(i) instanceof BatchNorm1d bn && bn.training();
        try {
            model.train();
            record(c, pass, train, rows, c.trainActivations, c.trainProb, c.trainLoss);
            saved.applyTo(model);   // training mode's forwards moved the running statistics: eval mode uses the model's own
            model.eval();
            record(c, pass, train, rows, c.evalActivations, c.evalProb, c.evalLoss);
        } finally {
            saved.applyTo(model);
            for (int i = 0; i < net.size(); i++) if (net.layer(i) instanceof BatchNorm1d) net.layer(i).train(modes[i]);
        }
        return c;
    }

    /** Each batch's forward, and the example's activations, probability and loss from row 0. */
    private static void record(Coupling c, Sequential.Pass pass, Dataset.Split train, int[] rows, float[] activations, float[] prob, float[] loss) {
        int b = pass.batch, block = c.context.length, vocab = pass.logits.dim(1);
        int[] batchRows = new int[b], target = {c.target};
        float[] probs = new float[vocab];
        for (int j = 0; j < c.k; j++) {
            System.arraycopy(rows, j * b, batchRows, 0, b);
            pass.load(train, batchRows);
            System.arraycopy(c.context, 0, pass.x, 0, block);   // row 0: the example
            pass.y[0] = c.target;
            pass.graph.forward();
            System.arraycopy(pass.output(c.layer).data, 0, activations, j * c.units, c.units);
            loss[j] = Ops.crossEntropyForward(pass.logits.data, target, probs, 1, vocab);
            prob[j] = probs[c.target];
        }
    }

    /** Per unit, the standard deviation of the activations over the K batches: 0 in eval mode. */
    public float[] activationSpread(boolean training) {
        float[] a = training ? trainActivations : evalActivations, spread = new float[units];
        for (int u = 0; u < units; u++) spread[u] = (float) std(a, u, units, k);
        return spread;
    }

    /** The mean over the units of {@link #activationSpread}: one number for how much the batch moves the example. */
    public double meanActivationSpread(boolean training) {
        double sum = 0;
        for (float v : activationSpread(training)) sum += v;
        return sum / units;
    }

    /** The standard deviation of the target's probability over the K batches. */
    public double probSpread(boolean training) { return std(training ? trainProb : evalProb, 0, 1, k); }

    /** The standard deviation of the loss over the K batches. */
    public double lossSpread(boolean training) { return std(training ? trainLoss : evalLoss, 0, 1, k); }

    /** Population std of a[first], a[first + stride], … (count values). */
    private static double std(float[] a, int first, int stride, int count) {
        double sum = 0, sq = 0;
        for (int i = 0; i < count; i++) sum += a[first + i * stride];
        double mean = sum / count;
        for (int i = 0; i < count; i++) {
            double d = a[first + i * stride] - mean;
            sq += d * d;
        }
        return Math.sqrt(sq / count);
    }

    /**
     * The context of typed letters, as the data set builds it: padded on the left with '.'
     * ("mm" → ".mm"; "" → "..."); longer text keeps its last blockSize letters.
     * @throws IllegalArgumentException naming a character the vocabulary lacks
     */
    public static int[] context(Vocab vocab, int blockSize, String letters) {
        int[] cps = letters.codePoints().toArray();
        int[] context = new int[blockSize];   // all '.', index 0
        for (int i = 0; i < Math.min(blockSize, cps.length); i++) {
            context[blockSize - 1 - i] = vocab.index(cps[cps.length - 1 - i]);   // refuses a character the word list lacks
        }
        return context;
    }

    /** A row of the split drawn by {@code Rng(seed, EXAMPLE)}: an example "from the data" for the explorer. */
    public static int pick(Dataset.Split split, long seed) {
        if (split.size == 0) throw new IllegalArgumentException("the training split is empty: no example to pick");
        return new Rng(seed, Rng.EXAMPLE).nextInt(split.size);
    }

    /** Symbols as the text they stand for ("..e", "m"). */
    public static String text(Vocab vocab, int... symbols) {
        StringBuilder b = new StringBuilder();
        for (int s : symbols) b.appendCodePoint(vocab.codePoint(s));
        return b.toString();
    }

    /** The character that most often follows {@code context} in a split (the first of a tie), or −1 where it never occurs. */
    public static int mostCommonNext(Dataset.Split split, int[] context) {
        int block = split.blockSize, symbols = 0;
        for (int y : split.y) symbols = Math.max(symbols, y + 1);
        int[] count = new int[symbols];
        for (int i = 0; i < split.size; i++) {
            boolean same = true;
            for (int p = 0; p < block && same; p++) same = split.x[i * block + p] == context[p];
            if (same) count[split.y[i]]++;
        }
        int best = -1;
        for (int v = 0; v < symbols; v++) if (count[v] > 0 && (best < 0 || count[v] > count[best])) best = v;
        return best;
    }
}
