package teagrad.model;

import java.util.ArrayList;
import java.util.List;
import teagrad.autograd.Tensor;
import teagrad.data.Vocab;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Embedding;
import teagrad.nn.Flatten;
import teagrad.nn.Layer;
import teagrad.nn.Linear;
import teagrad.nn.Sequential;
import teagrad.nn.Tanh;
import teagrad.data.Rng;

/**
 * A network with what it needs to be trained and used: its vocabulary and its settings.
 * {@link #init} builds the network a {@link Config} describes, makemore's MLP:
 * <pre>
 *   Embedding(vocab, embed), Flatten(),
 *   [Linear(fan_in, width, bias=!batchNorm), BatchNorm1d(width)?, Tanh()]   × widths.length
 *   Linear(width, vocab, bias=!outBatchNorm), BatchNorm1d(vocab)?
 * </pre>
 * With the defaults that is the chapter's network (one hidden layer of 200, batch norm);
 * widths {100, 100, 100, 100, 100} give the lecture's deep one.
 */
public final class Model {
    public final Config config;
    public final Vocab vocab;
    public final Sequential net;

    /** @throws IllegalArgumentException if the network does not fit the vocabulary or the block size */
    public Model(Config config, Vocab vocab, Sequential net) {
        if (net.outputs() != vocab.size()) {
            throw new IllegalArgumentException("the network ends in " + net.outputs() + " logits, but the vocabulary has " + vocab.size() + " symbols");
        }
        if (net.embedding().symbols != vocab.size()) {
            throw new IllegalArgumentException("the embedding has " + net.embedding().symbols + " rows, but the vocabulary has " + vocab.size() + " symbols");
        }
        if (net.blockSize != config.blockSize) throw new IllegalArgumentException("the network reads " + net.blockSize + " symbols, the config says blockSize " + config.blockSize);
        this.config = config.copy();
        this.vocab = vocab;
        this.net = net;
    }

    /**
     * A freshly initialised network, drawn from {@code Rng(seed, INIT)} in layer order (weight,
     * then bias when it is random), so the same seed gives the same network everywhere:
     * <pre>
     *   C          ~ N(0, 1)
     *   hidden W   ~ N(0, 1) · gain/√fan_in      Kaiming for tanh (gain 5/3); or · hiddenScale
     *   hidden b   ~ N(0, 1) · hiddenBiasScale   (no bias with batch norm)
     *   output W   ~ N(0, 1) · outScale          small logits: a near-uniform first guess;
     *                                            with outBatchNorm: gain/√fan_in, and γ = outScale
     *   output b   ~ N(0, 1) · outBiasScale
     * </pre>
     */
    public static Model init(Config config, Vocab vocab) {
        config.validate();
        Rng rng = new Rng(config.seed, Rng.INIT);
        int v = vocab.size(), fanIn = config.blockSize * config.embedDim;
        List<Layer> layers = new ArrayList<>();
        Embedding emb = new Embedding(v, config.embedDim);
        gaussian(emb.weight, rng, 1f);
        layers.add(emb);
        layers.add(new Flatten());
        for (int width : config.widths) {
            Linear lin = new Linear(fanIn, width, !config.batchNorm);
            float scale = config.hiddenScale > 0 ? config.hiddenScale : config.initGain / (float) Math.sqrt(fanIn);
            gaussian(lin.weight, rng, scale);
            if (lin.bias != null && config.hiddenBiasScale > 0) gaussian(lin.bias, rng, config.hiddenBiasScale);
            layers.add(lin);
            if (config.batchNorm) layers.add(new BatchNorm1d(width, config.momentum, config.eps));
            layers.add(new Tanh());
            fanIn = width;
        }
        Linear out = new Linear(fanIn, v, !config.outBatchNorm);
        gaussian(out.weight, rng, config.outBatchNorm ? config.initGain / (float) Math.sqrt(fanIn) : config.outScale);
        if (out.bias != null && config.outBiasScale > 0) gaussian(out.bias, rng, config.outBiasScale);
        layers.add(out);
        if (config.outBatchNorm) {
            BatchNorm1d bn = new BatchNorm1d(v, config.momentum, config.eps);
            java.util.Arrays.fill(bn.gamma.data, config.outScale);   // the lecture's layers[-1].gamma *= 0.1
            layers.add(bn);
        }
        return new Model(config, vocab, new Sequential(config.blockSize, layers));
    }

    private static void gaussian(Tensor t, Rng rng, float scale) {
        for (int i = 0; i < t.data.length; i++) t.data[i] = rng.nextGaussian() * scale;
    }

    public List<Tensor> parameters() { return net.parameters(); }

    public int parameterCount() { return net.parameterCount(); }

    /** The batch-norm layers, in order (their running statistics are state besides the parameters). */
    public List<BatchNorm1d> batchNorms() { return net.batchNorms(); }

    public void train() { net.train(); }

    public void eval() { net.eval(); }

    public Sequential.Pass pass(int batch) { return net.pass(batch); }
}
