package teagrad.web;

import java.util.ArrayList;
import java.util.List;
import teagrad.check.BackwardCheck;
import teagrad.check.Cmp;
import teagrad.data.Dataset;
import teagrad.data.Vocab;
import teagrad.diagnostics.BatchNormStats;
import teagrad.diagnostics.BatchNormTrace;
import teagrad.diagnostics.Coupling;
import teagrad.diagnostics.Diagnostics;
import teagrad.diagnostics.EmbeddingPlane;
import teagrad.experiments.LrFinder;
import teagrad.diagnostics.Snapshot;
import teagrad.diagnostics.Stats;
import teagrad.diagnostics.StepHistory;
import teagrad.inference.EvalModes;
import teagrad.model.Config;
import teagrad.model.Presets;
import teagrad.model.Setting;
import teagrad.model.Settings;
import teagrad.nn.Layer;
import teagrad.train.History;

/**
 * The messages between the page and its worker: plain objects with a string {@code type}, as
 * they are now. The worker answers in the order listed; nothing but {@code ahead} may be posted
 * to it before it sent {@code ready}. This class reads the page's messages and writes the worker's.
 *
 * <h2>Page → worker</h2>
 * <pre>
 * data {text}              a word list, one word a line → dataset, model (cause "data"), diagnostics
 * ahead {text}             the word list the page will send as data, sent before ready too (worker-*.js keep it
 *                          until the worker's main takes it; started with ?names, as the page's own engine is,
 *                          they download data/names.txt and pass it on as this message themselves): parsed and
 *                          split while the page lays out, then, in a task after the messages that came meanwhile,
 *                          a step of a throwaway model (its code compiled before it counts), so that the data
 *                          message is quick; no answer, nothing changes
 * configure {config}       settings by name, as in model.config (any subset: the others keep their value;
 *                          "preset" is ignored) → dataset, model (cause "configure"), diagnostics; before
 *                          any word list no answer: the settings are kept for the data message (the page
 *                          sends them first, so that the first data set and model are built once)
 * preset {name}            a preset's network and init, the run's settings kept → dataset, model, progress, diagnostics
 * reset                    a fresh model of the same settings → model, progress, diagnostics
 * start                    trains in slices of ~40 ms: progress after each, dev when due (after its progress),
 *                          diagnostics at most every 250 ms; at the run's end progress, diagnostics, losses, done
 * pause                    → progress, paused
 * step                     one step → progress, diagnostics, and dev when due
 * evaluate                 → losses
 * sample {count, seed}     count 1 to 1000, seed 0 to 2^53 → samples
 * inspect {layer}          the tanh layer (its index in model.layers) the saturation picture shows → diagnostics
 * export                   → exported
 * snapshot                 → snapshot
 * import {json}            a model file → model (cause "import"), dataset (when a word list is loaded), progress,
 *                          diagnostics, and history when the file carries its curve. Bounded whatever the file
 *                          claims (see ModelFile): a refusal is one error naming the field, the previous model
 *                          kept; the run goes on from the file's "batchRng" at once, whatever its step
 * lrfind                   the learning-rate finder on a fresh model of the current settings (the run is not
 *                          touched): 1,000 steps at lr 10^-3 … 1 in slices → lrfind after each slice
 * history {losses, devSteps, devLosses}   a resumed run's curve (Float32Array or numbers, whole numbers, numbers),
 *                          so that a later export carries the whole run; no answer
 * replay {step}            the views as they were at the kept snapshot nearest to step → diagnostics (replay true)
 * batchnorm {layer, unit}  a batch norm (its index in model.layers; -1: the first) and one of its units → batchnorm
 * evalmodes                → evalmodes (the dev loss four ways: a calibration pass over the training split and four
 *                          dev-split losses, ~0.25 s on HotSpot, ~1 s in the WASM worker; the page asks for it at
 *                          most 1/50 of the time while training)
 * coupling {k, seed, letters?, next?}   the example letters → next (letters padded with '.' on the left; next
 *                          omitted: the character that most often follows them in the training split), or
 *                          without letters a training example drawn by seed, in k (1 to 1000) random training
 *                          batches drawn by seed → coupling
 * check {lecture, besselMismatch}   {@code teagrad check} on one training batch (seeded by the run's seed): the
 *                          model being trained, or with lecture true the chapter's network at init as the
 *                          lecture initialises it (what the CLI checks by default) → check
 * </pre>
 * The batch-norm panel's messages cost nothing while training unless the page sends them: the
 * worker only logs every batch norm's statistics every 32 steps (~20 µs) and keeps a snapshot
 * with each diagnostics message (~0.2 ms every 250 ms).
 *
 * The bench worker (the page opened with {@code ?bench} loads it: {@link BenchDispatcher}) answers
 * four more: {@code baseline {ms}} → baseline {stepsPerSecond, checksum}; {@code profile {reps}} →
 * profile {text}; {@code views {live}} (whether slices send diagnostics); {@code kernels {cases, seed}}
 * → kernels {json}; and its dev messages carry {@code ms}, the time the dev loss took.
 *
 * <h2>Worker → page</h2>
 * <pre>
 * ready {engine: "wasm" | "js", simd, settings: [{name, kind: "int" | "seed" | "float" | "bool" | "widths",
 *        label, help, unit, group: "network" | "init" | "run", form, hash?, flag?, preset, range, error,
 *        min, max, minOpen, maxOpen, layers?}], defaults: {name: value}, rules: [{setting, min, when: [name], error}],
 *        presets: [{name, title, summary}], boot?: {timeOrigin, started?, runtime?, kernels?, names?, compiled?, main}}
 *        the settings table ({@link Settings}): the form shows those with form true, under their label, keyed
 *        in the link by hash; range says the range in words, error what the value must be ("must be a whole
 *        number from 1 to 64"); min, max, minOpen, maxOpen bound a number (for widths: each width; layers
 *        bounds their count); preset: a preset sets it. rules: a setting must be at least min when any of the
 *        switches named in when is on (batch norm needs batches of 2), else error
 * dataset {words, vocab, train, val, test}       the word list's size, its characters and the splits' examples
 * model {cause, params, step, lr, vocab, layers: [string], config: {every setting by name, preset}, note?}
 *        a new model; cause is the message that made it, lr the learning rate of its last step (as progress's);
 *        note (import only) says why the run will not draw the batches an uninterrupted one would: a file
 *        without "batchRng" whose step × batch size is too many draws to replay. After an import whose
 *        model can train on the loaded word list, the model has been probed with one batch (no update), so
 *        the diagnostics that follow show its real statistics, not zeros
 * progress {step, steps, from, lr, stepsPerSecond, running, losses: Float32Array}
 *        the batch losses of steps from+1 .. step, and lr the learning rate of the last of them
 * dev {step, loss}                               the dev split's loss (eval mode)
 * losses {step, train, val, test}                every split's loss (eval mode)
 * diagnostics {step, lr, tanh: [{layer, label, saturated, mean, std, min, max, hist: Float32Array,
 *        gradMean, gradStd, gradMin, gradMax, gradHist: Float32Array}], weights: [{layer, label, shape: [rows, cols],
 *        gradMean, gradStd, gradToData, log10UpdateToData}], saturation?: {layer, rows, cols, bits: Uint8Array},
 *        plane: {x: Float32Array, y: Float32Array, xShare, yShare, projected}, snapshots: [int], replay}
 *        plane: the embedding table in 2-D, a point per vocabulary character (its own two columns at embedding
 *        size 2, else its two principal components: EmbeddingPlane), and each axis's share of the variance;
 *        snapshots: the steps the scrubber can replay (at most 50, spread over the run); replay: true when the
 *        message answers replay (the views at an earlier step), false for the step just taken
 * batchnorm {step, layer, label, unit, features, batch, momentum, batchNorms: [{layer, label, features}],
 *        steps: [int], batchMean, batchStd, runningMean, runningStd, runningStdBiased: Float32Array,
 *        units: {step, batchMean, batchStd, runningMean, runningStd, runningStdBiased: Float32Array}}
 *        the unit over the logged steps (every 32 steps or fewer, at most 400 spread over the run) and every unit at the
 *        newest: batch std unbiased (as the running variance averages it); runningStdBiased the running std
 *        had training tracked the biased variance
 * evalmodes {step, running, runningBiased, calibrated, batch, ms}   the dev loss with the running statistics,
 *        the same tracked biased, statistics calibrated over the training split, and each dev batch's own
 *        (training mode); ms: what computing them took
 * coupling {context, next, layer, label, units, k, batchNorm, train: {activations: Float32Array [k × units],
 *        spread: Float32Array [units], prob: Float32Array [k], loss: Float32Array [k], meanSpread, probSpread,
 *        lossSpread}, eval: {the same}}   the example's pre-activations (the layer's output), p(next) and loss in
 *        each batch, in training mode and in eval mode; spreads are standard deviations over the k batches
 * check {lecture, loss, besselMismatch, rows: [{name, exact, approx, maxdiff, autograd}]}   the cmp() table,
 *        maxdiff null for NaN; autograd: crossEntropy, batchNorm, graph or elementary (which backward made t.grad)
 * done {step}, paused {step}
 * samples {names: [string], known: [boolean]}    known: the name is a training word
 * exported {json}                                the model file with the run's curve
 * snapshot {json, step}                          the model file without the curve (the page keeps that)
 *        both carry "crc32" (of the vocab and layers) and "batchRng" (the minibatch generator's state), so
 *        a resume from either is exact and O(1)
 * history {step, losses: Float32Array, devSteps: [int], devLosses: Float32Array}
 *        an imported file's curve: the batch losses of the steps up to step, and dev losses at devSteps
 * lrfind {count, done, lrs: Float32Array, losses: Float32Array, smoothed: Float32Array, minimum, suggestion, stopped?}
 *        the finder's curve so far (count points; minimum its index, -1 before any), its suggested lr (NaN
 *        before any point), done when the 1,000 steps are taken or the loss diverged (stopped says where)
 * diverged {step, message}                       the loss went NaN/Inf at step; the model is as before it
 * error {during, message}                        during: the type of the message that failed, "train" for a
 *        training slice, "boot" when the worker could not start (its boot script); only "train" and
 *        "start" mean training stopped
 * </pre>
 */
final class Protocol {
    private Protocol() {}

    // ---- reading the page's messages ----

    static String type(Message m) {
        String type = m.string("type");
        return type == null ? "" : type;
    }

    /** @throws IllegalArgumentException saying what the message lacks */
    static String text(Message m, String key, String what) {
        String s = m.string(key);
        if (s == null) throw new IllegalArgumentException("no " + what + " in the message (" + key + ")");
        return s;
    }

    /** @throws IllegalArgumentException naming the key unless it holds a whole number */
    static int whole(Message m, String key) {
        double v = m.number(key);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) throw new IllegalArgumentException(key + " must be a whole number, got " + got(m, key));
        return (int) v;
    }

    /** A whole number from 0 to 2^53, such as a seed. */
    static long seed(Message m, String key) {
        double v = m.number(key);
        if (!(v == Math.rint(v) && v >= 0 && v <= Config.MAX_SEED)) throw new IllegalArgumentException(key + " must be a whole number from 0 to 2^53, got " + got(m, key));
        return (long) v;
    }

    private static String got(Message m, String key) {
        Object v = m.get(key);
        return v == null ? "nothing" : v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    /** configure's settings over {@code current}: those the message names, read and checked by the settings table. */
    static Config config(Message m, Config current) {
        Message o = m.object("config");
        if (o == null) throw new IllegalArgumentException("no config in the message");
        Config c = current.copy();
        try {
            Settings.read(o, c);
            return c.validate();
        } catch (Setting.Refused e) {
            throw new IllegalArgumentException("config." + e.getMessage());
        }
    }

    /** A run's curve as the page keeps it: the batch losses of the last steps, and dev losses at steps. */
    record Curve(float[] losses, int[] devSteps, float[] devLosses) {}

    /** history's curve: {losses, devSteps, devLosses}. */
    static Curve curve(Message m) {
        float[] losses = m.floats("losses"), devLosses = m.floats("devLosses");
        int[] devSteps = m.ints("devSteps");
        if (losses == null || devSteps == null || devLosses == null) throw new IllegalArgumentException("history needs losses, devSteps and devLosses");
        return new Curve(losses, devSteps, devLosses);
    }

    // ---- writing the worker's ----

    static Message ready(Port out, String engine, boolean simd) { return ready(out, engine, simd, null); }

    /** With boot: when the worker's boot steps ended, for bench/'s first-step split ({@link WorkerMain#bootTimes}). */
    static Message ready(Port out, String engine, boolean simd, Message boot) {
        List<Message> settings = new ArrayList<>();
        for (Setting s : Settings.ALL) settings.add(setting(out, s));
        Message defaults = out.object();
        Settings.write(new Config(), defaults);
        List<Message> presets = new ArrayList<>();
        for (Presets.Preset p : Presets.ALL) presets.add(out.object().put("name", p.name()).put("title", p.title()).put("summary", p.summary()));
        // Config.validate's rule between settings, for the form to check as it is typed
        List<Message> rules = List.of(out.object().put("setting", Settings.BATCH_SIZE.name).put("min", Config.MIN_BATCH_WITH_BATCH_NORM)
            .put("when", new String[] {Settings.BATCH_NORM.name, Settings.OUT_BATCH_NORM.name}).put("error", Config.BATCH_NORM_RULE));
        Message ready = out.message("ready").put("engine", engine).put("simd", simd)
            .put("settings", settings).put("defaults", defaults).put("rules", rules).put("presets", presets);
        return boot == null ? ready : ready.put("boot", boot);
    }

    /** A row of the settings table, for the page's form. */
    static Message setting(Port out, Setting s) {
        Message m = out.object().put("name", s.name).put("kind", s.kind).put("label", s.label()).put("help", s.help())
            .put("unit", s.unit()).put("group", s.group().key).put("form", s.inForm())
            .put("preset", s.byPreset()).put("range", s.range()).put("error", s.mustBe())
            .put("min", s.min()).put("max", s.max()).put("minOpen", s.minOpen()).put("maxOpen", s.maxOpen());
        if (s.hashKey() != null) m.put("hash", s.hashKey());
        if (s.flag() != null) m.put("flag", "--" + s.flag());
        if (s instanceof Setting.Widths w) m.put("layers", w.layers());
        return m;
    }

    static Message dataset(Port out, Session s) {
        Dataset d = s.data();
        return out.message("dataset").put("words", s.wordCount()).put("vocab", d.vocab.toString())
            .put("train", d.train.size).put("val", d.val.size).put("test", d.test.size);
    }

    /** The model and its settings; {@code cause} is the message that made it (the page fills its form after a preset or an import). */
    static Message model(Port out, Session s, String cause) {
        Config c = s.config();
        Message config = out.object();
        Settings.write(c, config);
        config.put("preset", Presets.nameOf(c));
        List<Layer> layers = s.model().net.layers();
        String[] printed = new String[layers.size()];
        for (int i = 0; i < printed.length; i++) printed[i] = layers.get(i).toString();
        Message m = out.message("model").put("cause", cause).put("params", s.model().parameterCount()).put("step", s.step())
            .put("lr", c.learningRate(Math.max(0, s.step() - 1))).put("config", config).put("vocab", s.model().vocab.toString()).put("layers", printed);
        if (s.resumeNote() != null) m.put("note", s.resumeNote());   // an old file at a far step: fresh batches
        return m;
    }

    /** The batch losses not yet reported; lr is the last step's learning rate. */
    static Message progress(Port out, Session s, boolean running, double stepsPerSecond) {
        int step = s.step();
        float[] losses = s.takeLosses();
        Config c = s.config();
        return out.message("progress").put("step", step).put("steps", c.steps).put("from", step - losses.length)
            .put("lr", c.learningRate(Math.max(0, step - 1))).put("stepsPerSecond", stepsPerSecond)
            .put("running", running).put("losses", losses);
    }

    static Message dev(Port out, int step, double loss) {
        return out.message("dev").put("step", step).put("loss", loss);
    }

    static Message losses(Port out, int step, double[] l) {
        return out.message("losses").put("step", step).put("train", l[0]).put("val", l[1]).put("test", l[2]);
    }

    static Message step(Port out, String type, int step) {
        return out.message(type).put("step", step);
    }

    static Message samples(Port out, String[] names, boolean[] known) {
        return out.message("samples").put("names", names).put("known", known);
    }

    /** The curve of an imported model, for the page's chart. */
    static Message history(Port out, History h, int step) {
        return out.message("history").put("step", step).put("losses", h.losses())
            .put("devSteps", h.devSteps()).put("devLosses", h.devLosses());
    }

    static Message diverged(Port out, int step, String message) {
        return out.message("diverged").put("step", step).put("message", message);
    }

    static Message error(Port out, Failure f) {
        return out.message("error").put("during", f.during).put("message", f.message);
    }

    /** The learning-rate finder's curve so far and its suggestion. */
    static Message lrfind(Port out, LrFinder f) {
        int n = f.count();
        Message m = out.message("lrfind").put("count", n).put("done", f.finished())
            .put("lrs", java.util.Arrays.copyOf(f.lrs(), n)).put("losses", java.util.Arrays.copyOf(f.losses(), n)).put("smoothed", f.smoothed())
            .put("minimum", f.minimum()).put("suggestion", f.suggestion());
        if (f.diverged() != null) m.put("stopped", f.diverged());
        return m;
    }

    /** The lecture's look inside the network at the last step (the views beside the chart). */
    static Message diagnostics(Port out, Session s, Diagnostics d) {
        int layer = s.inspectedLayer();
        return diagnostics(out, s, s.step(), d, layer, s.saturation(), false);
    }

    /** A kept snapshot's views, with the saturation picture of the inspected layer as it was then. */
    static Message replay(Port out, Session s, Snapshot snap) {
        int layer = s.inspectedLayer(), t = 0;
        byte[] bits = null;
        for (Diagnostics.TanhLayer tl : snap.diagnostics.tanh) {
            if (tl.layer == layer) bits = snap.saturation.get(t);
            t++;
        }
        return diagnostics(out, s, snap.step, snap.diagnostics, layer, bits, true);
    }

    private static Message diagnostics(Port out, Session s, int step, Diagnostics d, int satLayer, byte[] bits, boolean replay) {
        List<Message> tanh = new ArrayList<>();
        for (Diagnostics.TanhLayer t : d.tanh) {
            Message o = out.object().put("layer", t.layer).put("label", t.label).put("saturated", t.saturated);
            stats(o, "", t.out);
            stats(o, "grad", t.grad);
            tanh.add(o);
        }
        List<Message> weights = new ArrayList<>();
        for (Diagnostics.Weight w : d.weights) {
            weights.add(out.object().put("layer", w.layer).put("label", w.label).put("shape", new int[] {w.shape[0], w.shape[1]})
                .put("gradMean", w.gradMean).put("gradStd", w.gradStd).put("gradToData", w.gradToData)
                .put("log10UpdateToData", w.log10UpdateToData));
        }
        StepHistory<Snapshot> kept = s.snapshots();
        int[] steps = new int[kept.size()];
        for (int i = 0; i < steps.length; i++) steps[i] = kept.step(i);
        Message r = out.message("diagnostics").put("step", step).put("lr", d.lr).put("tanh", tanh).put("weights", weights)
            .put("snapshots", steps).put("replay", replay);
        EmbeddingPlane plane = EmbeddingPlane.of(s.model().net.embedding());   // the table as it is now, also in a replay
        r.put("plane", out.object().put("x", plane.x).put("y", plane.y).put("xShare", plane.xShare).put("yShare", plane.yShare)
            .put("projected", plane.projected));
        if (bits != null) {
            int cols = s.model().net.shape(satLayer)[0];   // a copy moves to the page: the snapshot keeps its own
            r.put("saturation", out.object().put("layer", satLayer).put("rows", bits.length / cols).put("cols", cols).putBytes("bits", bits.clone()));
        }
        return r;
    }

    /** mean, std, min, max and the histogram as {prefix}Mean, … ("" → mean, "grad" → gradMean). */
    private static void stats(Message o, String prefix, Stats s) {
        o.put(key(prefix, "mean"), s.mean).put(key(prefix, "std"), s.std).put(key(prefix, "min"), s.min).put(key(prefix, "max"), s.max)
            .put(key(prefix, "hist"), s.density.clone());   // a copy: a snapshot keeps the Stats for the scrubber
    }

    // ---- the batch-norm panel ----

    /** One batch norm's unit over the logged steps, and all its units at the newest. */
    static Message batchNorm(Port out, Session s, int layer, int unit) {
        List<BatchNormStats> newest = s.batchNormTrace().newest();
        if (newest == null) throw new IllegalArgumentException(s.model() != null && s.model().batchNorms().isEmpty()
            ? "this network has no batch norm: turn batch norm on to see its statistics" : "no steps logged yet");
        int k = layer < 0 ? 0 : -1;
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < newest.size(); i++) {
            BatchNormStats b = newest.get(i);
            if (b.layer == layer) k = i;
            all.add(out.object().put("layer", b.layer).put("label", b.label).put("features", b.batchMean.length));
        }
        if (k < 0) throw new IllegalArgumentException("layer " + layer + " is not a batch norm of this network");
        BatchNormStats b = newest.get(k);
        BatchNormTrace.Series series = s.batchNormTrace().series(k, unit);
        int step = series.steps[series.steps.length - 1];
        Message units = out.object().put("step", step).put("batchMean", b.batchMean.clone()).put("batchStd", b.batchStd.clone())
            .put("runningMean", b.runningMean.clone()).put("runningStd", b.runningStd.clone()).put("runningStdBiased", b.runningStdBiased(step));
        return out.message("batchnorm").put("step", step).put("layer", b.layer).put("label", b.label).put("unit", unit)
            .put("features", b.batchMean.length).put("batch", b.batch).put("momentum", b.momentum).put("batchNorms", all)
            .put("steps", series.steps).put("batchMean", series.batchMean).put("batchStd", series.batchStd)
            .put("runningMean", series.runningMean).put("runningStd", series.runningStd).put("runningStdBiased", series.runningStdBiased)
            .put("units", units);
    }

    static Message evalModes(Port out, int step, EvalModes e, double ms) {
        return out.message("evalmodes").put("step", step).put("running", e.running).put("runningBiased", e.runningBiased)
            .put("calibrated", e.calibrated).put("batch", e.batch).put("ms", ms);
    }

    static Message coupling(Port out, Session s, Coupling c) {
        Vocab v = s.model().vocab;
        return out.message("coupling").put("context", Coupling.text(v, c.context)).put("next", Coupling.text(v, c.target))
            .put("layer", c.layer).put("label", s.model().net.layer(c.layer).toString()).put("units", c.units).put("k", c.k)
            .put("batchNorm", !s.model().batchNorms().isEmpty())
            .put("train", couplingMode(out, c, true)).put("eval", couplingMode(out, c, false));
    }

    /** The spreads first: putting an array moves it to the page. */
    private static Message couplingMode(Port out, Coupling c, boolean training) {
        Message m = out.object().put("meanSpread", c.meanActivationSpread(training)).put("probSpread", c.probSpread(training))
            .put("lossSpread", c.lossSpread(training)).put("spread", c.activationSpread(training));
        return m.put("activations", training ? c.trainActivations : c.evalActivations)
            .put("prob", training ? c.trainProb : c.evalProb).put("loss", training ? c.trainLoss : c.evalLoss);
    }

    /** The cmp() table; a NaN maxdiff as null (JSON has no NaN, as check --json). */
    static Message check(Port out, BackwardCheck check, boolean lecture) {
        List<Message> rows = new ArrayList<>();
        for (Cmp c : check.rows) {
            Message row = out.object().put("name", c.name).put("exact", c.exact).put("approx", c.approx).put("autograd", c.autograd);
            if (Double.isFinite(c.maxdiff)) row.put("maxdiff", c.maxdiff);
            rows.add(row);
        }
        return out.message("check").put("lecture", lecture).put("loss", check.loss).put("besselMismatch", check.besselMismatch).put("rows", rows);
    }

    private static String key(String prefix, String name) {
        // The names are ASCII: TeaVM's Character.toUpperCase builds a Unicode case table on its first call (~20 ms in the worker, before the first views).
        char first = name.charAt(0);
        return prefix.isEmpty() ? name : prefix + (char) (first >= 'a' && first <= 'z' ? first - 'a' + 'A' : first) + name.substring(1);
    }
}
