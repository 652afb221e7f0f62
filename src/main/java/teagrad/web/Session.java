package teagrad.web;

import java.util.List;
import teagrad.Config;
import teagrad.Dataset;
import teagrad.Inference;
import teagrad.Mlp;
import teagrad.ModelFile;
import teagrad.Sampler;
import teagrad.Trainer;
import teagrad.Vocab;
import teagrad.Words;

/**
 * What the page's worker holds: a word list, a configuration, a model and its trainer.
 * Pure Java (no browser API), so the JVM tests cover it; {@link WorkerMain} only turns
 * messages into calls. Every command either succeeds or throws IllegalArgumentException with
 * a message for the page and leaves the previous state untouched.
 */
public final class Session {
    private List<String> words;
    private Dataset data;
    private Config config = new Config();
    private Mlp model;
    private Trainer trainer;        // null when the model cannot train on the current data
    private String cannotTrain;     // why not, for the page
    private int step;               // steps the model has been trained for
    private float[] losses = new float[64];   // batch losses not yet reported
    private int pending;

    /** Replaces the word list: splits it with the current seed and block size, fresh model. */
    public void loadWords(String text) {
        List<String> parsed = Words.parse(text);
        Dataset d = new Dataset(parsed, config.blockSize, config.seed);
        if (d.train.size == 0) throw new IllegalArgumentException("the word list needs at least 2 words to have a training split");
        words = parsed;
        data = d;
        fresh();
    }

    /** New hyperparameters: validated first; a fresh model (the data is re-split if seed or block changed). */
    public void configure(Config c) {
        c.validate();
        Dataset d = data;
        if (words != null && (c.blockSize != config.blockSize || c.seed != config.seed)) {
            d = new Dataset(words, c.blockSize, c.seed);
        }
        config = c.copy();
        data = d;
        fresh();
    }

    /** A freshly initialised model with the current configuration. */
    public void reset() {
        requireData();
        fresh();
    }

    private void fresh() {
        if (data == null) return;
        model = new Mlp(config, data.vocab);
        trainer = new Trainer(model, data);
        cannotTrain = null;
        step = 0;
        pending = 0;
    }

    /** Replaces the model with one from a model file; the current model stays if it is invalid. */
    public void importModel(String json) {
        ModelFile.Loaded loaded = ModelFile.read(json);
        Mlp m = loaded.model;
        Trainer t = null;
        Dataset d = data;
        String why = null;
        if (words == null) {
            why = "load a word list to train this model further";
        } else if (!m.vocab.equals(data.vocab)) {
            why = "the model's vocabulary (" + m.vocab.size() + " characters) differs from the word list's (" + data.vocab.size() + "): load its word list to train it further";
            d = null;
        } else {
            d = new Dataset(words, m.vocab, m.config.blockSize, m.config.seed);   // the splits it was trained on
            t = new Trainer(m, d, loaded.step);
        }
        model = m;
        config = m.config.copy();
        if (d != null) data = d;
        trainer = t;
        cannotTrain = why;
        step = loaded.step;
        pending = 0;
    }

    public String exportModel() {
        requireModel();
        return ModelFile.write(model, step);
    }

    /**
     * Trains {@code n} steps (fewer if the run ends); their batch losses are kept for
     * {@link #takeLosses}. Returns the steps done.
     * @throws Trainer.Diverged if the loss goes NaN/Inf (the model stays as before that step)
     */
    public int train(int n) {
        requireTrainer();
        int done = 0;
        while (done < n && step < config.steps) {
            float loss = trainer.trainStep();
            step++;
            done++;
            if (pending == losses.length) losses = java.util.Arrays.copyOf(losses, 2 * pending);
            losses[pending++] = loss;
        }
        return done;
    }

    /** The batch losses since the last call, oldest first. */
    public float[] takeLosses() {
        float[] out = java.util.Arrays.copyOf(losses, pending);
        pending = 0;
        return out;
    }

    public boolean finished() { return step >= config.steps; }

    /** Whether the dev loss is due after the step just taken (every evalEvery steps, and at the end). */
    public boolean devDue() { return step > 0 && (step % config.evalEvery == 0 || step == config.steps); }

    public double devLoss() {
        requireModel();
        return new Inference(model).loss(data.val);
    }

    /** Eval-mode loss on train, val and test. */
    public double[] evaluate() {
        requireModel();
        if (data == null || !model.vocab.equals(data.vocab)) throw new IllegalArgumentException("load the model's word list to evaluate it");
        Inference eval = new Inference(model);
        return new double[] {eval.loss(data.train), eval.loss(data.val), eval.loss(data.test)};
    }

    /** Names from the model; known[i] tells whether names[i] is one of the training words. */
    public String[] sample(int count, long seed, boolean[] known) {
        requireModel();
        if (count < 1 || count > 1000) throw new IllegalArgumentException("count must be between 1 and 1000, got " + count);
        if (seed < 0 || seed > Config.MAX_SEED) throw new IllegalArgumentException("seed must be between 0 and 2^53, got " + seed);
        Sampler s = new Sampler(model, seed);
        boolean sameData = data != null && model.vocab.equals(data.vocab);
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = s.next();
            known[i] = sameData && data.isTrainingWord(names[i]);
        }
        return names;
    }

    private void requireData() {
        if (data == null) throw new IllegalArgumentException("no word list loaded yet");
    }

    private void requireModel() {
        if (model == null) throw new IllegalArgumentException("no model yet: load a word list or import a model");
    }

    /** @throws IllegalArgumentException saying why this model cannot train on the loaded data */
    public void requireTrainer() {
        requireModel();
        if (trainer == null) throw new IllegalArgumentException(cannotTrain);
    }

    public int step() { return step; }

    public Config config() { return config.copy(); }

    public Mlp model() { return model; }

    public Dataset data() { return data; }

    public int wordCount() { return words == null ? 0 : words.size(); }

    public Vocab vocab() { return model != null ? model.vocab : data == null ? null : data.vocab; }

    public boolean canTrain() { return trainer != null; }

    public String cannotTrainReason() { return cannotTrain; }
}
