package teagrad.web;

import java.util.List;
import teagrad.model.Config;
import teagrad.train.History;
import teagrad.inference.Inference;
import teagrad.model.Model;
import teagrad.modelfile.ModelFile;
import teagrad.model.Presets;
import teagrad.inference.Sampler;
import teagrad.train.Trainer;
import teagrad.data.Dataset;
import teagrad.data.Words;
import teagrad.check.BackwardCheck;
import teagrad.diagnostics.BatchNormTrace;
import teagrad.diagnostics.Coupling;
import teagrad.diagnostics.Diagnostics;
import teagrad.diagnostics.Snapshot;
import teagrad.diagnostics.StepHistory;
import teagrad.inference.EvalModes;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Linear;
import teagrad.nn.Sequential;
import teagrad.nn.Tanh;

/**
 * What the page's worker holds: a word list, a configuration, a model and its trainer.
 * Pure Java (no browser API), so the JVM tests cover it; {@link Dispatcher} only turns
 * messages into calls. Every command either succeeds or throws IllegalArgumentException with
 * a message for the page and leaves the previous state untouched: the new state is built
 * first, then swapped in.
 */
public final class Session {
    private List<String> words;
    private Dataset data;
    private Config config = new Config();
    private Model model;
    private Trainer trainer;        // null when the model cannot train on the current data
    private String cannotTrain;     // why not, for the page
    private int importedStep;       // steps of a model without a trainer (the trainer counts its own)
    private int[] importedBatches;  // and its minibatch generator's state, written back on export
    private float[] losses = new float[64];   // batch losses not yet reported
    private int pending;
    private int inspected = -1;     // the tanh layer whose saturation picture the page shows
    private History history = new History();   // the run's curve, saved with the model
    /** The views at logged steps, for the scrubber (the lecture's plots at step 0, 1,000 and the end). */
    private final StepHistory<Snapshot> snapshots = new StepHistory<>(SNAPSHOTS);
    /** Every batch norm's statistics at the logged steps, for the statistics panel. */
    private final BatchNormTrace batchNormTrace = new BatchNormTrace();
    private boolean passFilled;     // the trainer's step buffers hold a step (or the look at step 0)
    private ReadAhead ahead;        // the word list the page sent ahead (readAhead), until it sends it or another

    /** Snapshots kept per run for the scrubber. */
    public static final int SNAPSHOTS = 50;

    /** Replaces the word list: splits it with the current seed and block size, fresh model. */
    public void loadWords(String text) {
        ReadAhead read = ahead != null && ahead.text.equals(text) ? ahead : null;
        List<String> parsed = read != null ? read.words : Words.parse(text);
        Dataset d = read != null && read.fits(config) ? read.data : new Dataset(parsed, config.blockSize, config.seed);
        if (d.train.size == 0) throw new IllegalArgumentException("the word list needs at least 2 words to have a training split");
        Model m = Model.init(config, d.vocab);
        words = parsed;
        data = d;
        ahead = null;
        swap(m, new Trainer(m, d));
    }

    /**
     * Reads a word list before its data message: the page sends the default list as soon as it has
     * it, while it is still laying out and cannot send it for real (Protocol's "ahead"). The list is
     * parsed and split for the current settings; nothing of the session changes, and
     * {@link #loadWords} of the same text starts from what was read. A list that cannot be read is
     * dropped here: its data message says why.
     */
    public void readAhead(String text) {
        ahead = null;
        try {
            List<String> parsed = Words.parse(text);
            ahead = new ReadAhead(text, parsed, new Dataset(parsed, config.blockSize, config.seed), config.seed);
        } catch (IllegalArgumentException e) {
            // its data message reports it
        }
    }

    /**
     * One step of a throwaway model on the list read ahead, while no list is loaded: in the page's
     * worker V8 compiles a WebAssembly function on its first call (~680 at start), and this way the
     * code of building a model and of a step is compiled before the learner's list and Start come.
     * Nothing of the session changes.
     */
    public void warmUp() {
        if (ahead == null || words != null || ahead.data.train.size == 0) return;
        try {
            Trainer warm = new Trainer(Model.init(config, ahead.data.vocab), ahead.data);
            warm.probe();
            warm.trainStep();
        } catch (RuntimeException e) {
            // a throwaway model: whatever it did (diverged at a huge learning rate) changes nothing
        }
    }

    /** The split of the list read ahead, until a list is loaded; null when there is none. */
    Dataset readAheadData() { return ahead == null ? null : ahead.data; }

    /** Whether a word list is loaded (the data message came). */
    public boolean hasWords() { return words != null; }

    /** A word list read ahead, and its split for one block size and seed. */
    private static final class ReadAhead {
        final String text;
        final List<String> words;
        final Dataset data;
        final long seed;

        ReadAhead(String text, List<String> words, Dataset data, long seed) {
            this.text = text;
            this.words = words;
            this.data = data;
            this.seed = seed;
        }

        /** Whether the split is the one these settings make (the seed and block size decide it). */
        boolean fits(Config c) { return data.blockSize == c.blockSize && seed == c.seed; }
    }

    /** New hyperparameters: validated first; a fresh model (the data is re-split if seed or block changed). */
    public void configure(Config c) {
        c.validate();
        if (words == null) {   // no word list yet: remember the settings for when it comes
            config = c.copy();
            return;
        }
        Dataset d = new Dataset(words, c.blockSize, c.seed);   // the seed and block size decide the split
        Model m = Model.init(c, d.vocab);
        Trainer t = new Trainer(m, d);
        config = c.copy();
        data = d;
        swap(m, t);
    }

    /** One of the lecture's experiments: its network and init, this run's other settings. */
    public void preset(String name) {
        configure(Presets.apply(name, config));
    }

    /** A freshly initialised model with the current configuration. */
    public void reset() {
        requireData();
        configure(config);
    }

    private void swap(Model m, Trainer t) {
        model = m;
        trainer = t;
        cannotTrain = null;
        importedStep = 0;
        importedBatches = null;
        pending = 0;
        inspected = -1;
        history = new History();
        forgetViews();
        if (t != null && t.stepsDone() == 0) {
            t.probe();   // the diagnostics at step 0 show the init
            passFilled = true;
        }
    }

    /** A new model: nothing logged of the old one stays. */
    private void forgetViews() {
        snapshots.clear();
        batchNormTrace.clear();
        passFilled = false;
    }

    /** Replaces the model with one from a model file; the current model stays if it is invalid. */
    public void importModel(String json) {
        ModelFile.Loaded loaded = ModelFile.read(json);
        Model m = loaded.model;
        Trainer t = null;
        Dataset d = data;
        String why = null;
        if (words == null) {
            why = "load a word list to train this model further";
        } else if (!m.vocab.equals(data.vocab)) {
            why = "the model's vocabulary (" + m.vocab.size() + " characters) differs from the word list's (" + data.vocab.size() + "): load its word list to train it further";
        } else {
            d = new Dataset(words, m.vocab, m.config.blockSize, m.config.seed);   // the splits it was trained on
            t = new Trainer(m, d, loaded.step, loaded.batchRng);
            t.probe();   // every view shows the imported model's statistics at once, not zeros
        }
        model = m;
        config = m.config.copy();
        data = d;
        trainer = t;
        cannotTrain = why;
        importedStep = loaded.step;
        importedBatches = loaded.batchRng;
        pending = 0;
        inspected = -1;
        history = loaded.history != null ? loaded.history : new History();
        forgetViews();
        passFilled = t != null;   // probed above: the views show the imported model at once
    }

    /** The model file, with the run's curve. */
    public String exportModel() {
        requireModel();
        return ModelFile.write(model, step(), history, batchState());
    }

    /** The model file without the curve: a quick snapshot for the page's own store, which keeps the curve itself. */
    public String snapshot() {
        requireModel();
        return ModelFile.write(model, step(), null, batchState());
    }

    /** The minibatch generator's state, so the file continues the run exactly (null if unknown). */
    private int[] batchState() { return trainer != null ? trainer.batchState() : importedBatches; }

    /** Why the imported run does not go on with the batches it would have drawn (an old file at a far step), or null. */
    public String resumeNote() { return trainer != null ? trainer.resumeNote() : null; }

    /** The curve a resumed run had before (the page kept it while the worker restarted). */
    public void restoreHistory(float[] losses, int[] devSteps, float[] devLosses) {
        requireModel();
        history = History.of(losses, devSteps, devLosses, step());
    }

    public History history() { return history; }

    /**
     * Trains {@code n} steps (fewer if the run ends); their batch losses are kept for
     * {@link #takeLosses}. Returns the steps done.
     * @throws Trainer.Diverged if the loss goes NaN/Inf (the model stays as before that step)
     */
    public int train(int n) {
        requireTrainer();
        int before = step();
        trainer.runSteps(() -> {   // the steps with the weights where the products are, the model as usual after them
            for (int done = 0; done < n && !trainer.finished(); done++) {
                float loss = trainer.trainStep();
                history.addLoss(loss);
                passFilled = true;
                if (pending == losses.length) losses = java.util.Arrays.copyOf(losses, 2 * pending);
                losses[pending++] = loss;
            }
        });
        return step() - before;
    }

    /** The batch losses since the last call, oldest first. */
    public float[] takeLosses() {
        float[] out = java.util.Arrays.copyOf(losses, pending);
        pending = 0;
        return out;
    }

    public boolean finished() { return step() >= config.steps; }

    /** Whether the dev loss is due after the step just taken (every evalEvery steps, and at the end). */
    public boolean devDue() { int s = step(); return s > 0 && (s % config.evalEvery == 0 || s == config.steps); }

    /** The dev loss now, recorded in the run's curve. */
    public double devLoss() {
        requireModel();
        double loss = new Inference(model).loss(data.val);
        history.addDev(step(), (float) loss);
        return loss;
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

    /**
     * The lecture's diagnostics of the last step (of the step-0 look at the init before any),
     * or null when the model has no trainer and so no step buffers.
     */
    public Diagnostics diagnostics() {
        if (trainer == null || !passFilled) return null;
        Diagnostics d = new Diagnostics(model.net, trainer.lastPass(), trainer.lastLearningRate());
        if (snapshots.wants(step())) snapshots.add(step(), Snapshot.of(step(), model.net, trainer.lastPass(), d));
        logBatchNorms();   // step 0's look too: the statistics panel has a point before training starts
        return d;
    }

    /** The snapshots kept for the scrubber, oldest first (at most {@link #SNAPSHOTS}, spread over the run). */
    public StepHistory<Snapshot> snapshots() { return snapshots; }

    /** The kept snapshot nearest to {@code step}. */
    public Snapshot snapshotNear(int step) {
        int i = snapshots.nearest(step);
        if (i < 0) throw new IllegalArgumentException("no snapshots yet: they are kept as the views are drawn");
        return snapshots.get(i);
    }

    /** Logs every batch norm's statistics at the step just taken (the worker does it every 32 steps or fewer: ~20 µs). */
    public void logBatchNorms() {
        if (trainer != null && passFilled && !model.batchNorms().isEmpty()) batchNormTrace.record(step(), model.net, trainer.lastPass());
    }

    public BatchNormTrace batchNormTrace() { return batchNormTrace; }

    /** The dev split's loss with batch norm's statistics four ways ({@link EvalModes}). */
    public EvalModes evalModes() {
        requireModel();
        if (data == null || !model.vocab.equals(data.vocab)) throw new IllegalArgumentException("load the model's word list to evaluate it");
        return EvalModes.of(model, data, data.val, step());
    }

    /**
     * The coupling explorer on the current model: the example (letters → next, or when letters
     * is null a training example drawn by seed) in k random training batches, recorded at the
     * first batch norm's output (else the first linear layer's: the pre-activations).
     * @param next the true next character; null: the one that most often follows in the training split
     */
    public Coupling coupling(String letters, String next, int k, long seed) {
        requireModel();
        if (data == null || !model.vocab.equals(data.vocab)) throw new IllegalArgumentException("load the model's word list to draw batches from it");
        Dataset.Split train = data.train;
        int block = model.net.blockSize;
        int[] context;
        int target;
        if (letters == null) {
            int row = Coupling.pick(train, seed);
            context = java.util.Arrays.copyOfRange(train.x, row * block, (row + 1) * block);
            target = train.y[row];
        } else {
            context = Coupling.context(model.vocab, block, letters);
            if (next != null) {
                int[] cps = next.codePoints().toArray();
                if (cps.length != 1) throw new IllegalArgumentException("the next character must be one character, got \"" + next + "\"");
                target = model.vocab.index(cps[0]);
            } else {
                target = Coupling.mostCommonNext(train, context);
                if (target < 0) throw new IllegalArgumentException("\"" + Coupling.text(model.vocab, context) + "\" never occurs in the training split: give the next character too");
            }
        }
        return Coupling.explore(model, train, context, target, preActivationLayer(), k, seed);
    }

    /** The first batch norm's output (hpreact), else the first linear layer's. */
    public int preActivationLayer() {
        for (int i = 0; i < model.net.size(); i++) if (model.net.layer(i) instanceof BatchNorm1d) return i;
        for (int i = 0; i < model.net.size(); i++) if (model.net.layer(i) instanceof Linear) return i;
        return model.net.size() - 1;
    }

    /**
     * {@code teagrad check} on one batch of the training split (seeded by the run's seed): the
     * model being trained, or (lecture) the chapter's network at init as the lecture initialises
     * it for the check, with this run's settings, which is what the CLI checks by default.
     */
    public BackwardCheck check(boolean lecture, boolean besselMismatch) {
        requireModel();
        if (data == null || !model.vocab.equals(data.vocab)) throw new IllegalArgumentException("load the model's word list: the check takes a batch from it");
        Model m = lecture ? BackwardCheck.lectureInit(config, data.vocab) : model;
        return BackwardCheck.run(m, data.train, config.seed, besselMismatch);
    }

    /** Chooses the tanh layer (its index in the network) whose saturation picture is shown. */
    public void inspect(int layer) {
        requireModel();
        Sequential net = model.net;
        if (layer < 0 || layer >= net.size() || !(net.layer(layer) instanceof Tanh)) {
            throw new IllegalArgumentException("layer " + layer + " is not a tanh layer of this network");
        }
        inspected = layer;
    }

    /** The tanh layer the saturation picture shows: the chosen one, else the first. */
    public int inspectedLayer() {
        if (inspected >= 0) return inspected;
        for (int i = 0; model != null && i < model.net.size(); i++) if (model.net.layer(i) instanceof Tanh) return i;
        return -1;
    }

    /** The saturation picture of the inspected layer: 1 where |t| > 0.97, [batch × units]; null without one. */
    public byte[] saturation() {
        int layer = inspectedLayer();
        return trainer == null || layer < 0 ? null : Diagnostics.saturation(trainer.lastPass(), layer);
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

    /** Steps the model has been trained for. */
    public int step() { return trainer != null ? trainer.stepsDone() : importedStep; }

    public Config config() { return config.copy(); }

    public Model model() { return model; }

    public Dataset data() { return data; }

    public int wordCount() { return words == null ? 0 : words.size(); }
}
