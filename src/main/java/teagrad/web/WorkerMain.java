package teagrad.web;

import org.teavm.classlib.PlatformDetector;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Float32Array;
import org.teavm.jso.typedarrays.Int32Array;
import org.teavm.jso.typedarrays.Int8Array;
import teagrad.model.Config;
import teagrad.model.Presets;
import teagrad.train.Trainer;
import teagrad.diagnostics.Diagnostics;
import teagrad.diagnostics.Stats;
import teagrad.nn.Layer;

/**
 * The Web Worker the page talks to (compiled by TeaVM to WebAssembly GC and to JavaScript).
 * It turns page messages into {@link Session} calls and posts the results; the protocol is
 * listed in webapp/app.js. Training runs in ~40 ms slices so that Pause, Sample or Evaluate
 * are answered between slices, and progress is posted once per slice.
 */
public final class WorkerMain {
    private WorkerMain() {}

    private static final double SLICE_MS = 40;
    /** The diagnostics views are refreshed at most this often while training (they cost ~1% then). */
    private static final double DIAGNOSTICS_MS = 250;

    private static final Session session = new Session();
    private static boolean running;
    private static double rateSince;      // time of the last progress message
    private static int rateFromStep;      // step at that time
    private static double stepsPerSecond;
    private static double diagnosedAt = Double.NEGATIVE_INFINITY;   // time of the last diagnostics message
    private static boolean bench;         // opened by bench/ (worker URL ?bench): answers baseline, profile, views and kernels
    private static boolean viewsLive = true;   // bench/ turns the diagnostics off to time what they cost

    public static void main(String[] args) {
        bench = Js.benchFlag();
        // In the WebAssembly build the products sum with SIMD where the browser has it (before any model is built).
        boolean simd = PlatformDetector.isWebAssemblyGC() && Simd.install();
        Js.onMessage(WorkerMain::receive);
        JSObject ready = reply("ready");
        Js.set(ready, "engine", PlatformDetector.isWebAssemblyGC() ? "wasm" : "js");
        Js.set(ready, "simd", simd);
        JSObject presets = Js.array();
        for (Presets.Preset p : Presets.ALL) {
            JSObject o = Js.object();
            Js.set(o, "name", p.name());
            Js.set(o, "title", p.title());
            Js.set(o, "summary", p.summary());
            Js.push(presets, o);
        }
        Js.set(ready, "presets", presets);
        Js.set(ready, "limits", limits());
        Js.post(ready);   // the page waits for this: messages sent before onmessage existed would be lost
    }

    private static void receive(JSObject msg) {
        String type = Js.string(msg, "type");
        try {
            if (!bench && ("baseline".equals(type) || "profile".equals(type) || "views".equals(type) || "kernels".equals(type))) {
                throw new IllegalArgumentException("'" + type + "' is for bench/ only (open the page with ?bench)");
            }
            handle(type == null ? "" : type, msg);
        } catch (Throwable e) {
            fail(type, e);
        }
    }

    private static void handle(String type, JSObject msg) {
        switch (type) {
            case "data":
                running = false;
                String text = Js.string(msg, "text");
                if (text == null) throw new IllegalArgumentException("no word list text in the message");
                session.loadWords(text);
                postDataset();
                postModel(type);
                postDiagnostics();
                break;
            case "configure":
                running = false;
                session.configure(config(Js.child(msg, "config")));
                postDataset();
                postModel(type);
                postDiagnostics();
                break;
            case "preset":
                running = false;
                String name = Js.string(msg, "name");
                if (name == null) throw new IllegalArgumentException("no preset name in the message");
                session.preset(name);
                postDataset();
                postModel(type);
                postProgress();
                postDiagnostics();
                break;
            case "inspect":
                session.inspect(whole(msg, "layer"));
                postDiagnostics();
                break;
            case "reset":
                running = false;
                session.reset();
                postModel(type);
                postProgress();
                postDiagnostics();
                break;
            case "start":
                if (running) return;
                if (session.finished()) throw new IllegalArgumentException("the run has reached its " + session.config().steps + " steps: Reset, or raise Steps");
                session.requireTrainer();
                running = true;
                rateSince = Js.now();
                rateFromStep = session.step();
                Js.later(WorkerMain::slice);
                break;
            case "pause":
                running = false;
                postProgress();
                JSObject p = reply("paused");
                Js.set(p, "step", session.step());
                Js.post(p);
                break;
            case "step":
                if (running) return;
                if (session.finished()) throw new IllegalArgumentException("the run has reached its " + session.config().steps + " steps: Reset, or raise Steps");
                session.train(1);
                postProgress();
                postDiagnostics();
                if (session.devDue()) postDev();
                break;
            case "evaluate":
                postLosses();
                break;
            case "baseline":   // bench/: the naive-kernel yardstick, timed in this worker
                postBaseline(Js.number(msg, "ms"));
                break;
            case "profile":    // bench/: where a step's time goes in this worker, op by op
                postProfile(Js.number(msg, "reps"));
                break;
            case "views":      // bench/: {live: false} stops the diagnostics while training (A/B of their cost)
                viewsLive = Js.bool(msg, "live");
                break;
            case "kernels":    // bench/ and tests: the SIMD products against the float[] ones, bit for bit
                JSObject k = reply("kernels");
                Js.set(k, "json", PlatformDetector.isWebAssemblyGC() ? Simd.check(whole(msg, "cases"), whole(msg, "seed")) : "{\"simd\": false}");
                Js.post(k);
                break;
            case "sample":
                postSamples((int) Js.number(msg, "count"), Js.number(msg, "seed"));
                break;
            case "export":
                JSObject e = reply("exported");
                Js.set(e, "json", session.exportModel());
                Js.post(e);
                break;
            case "snapshot":   // the page's store of the current run (the page keeps the curve itself)
                JSObject snap = reply("snapshot");
                Js.set(snap, "json", session.snapshot());
                Js.set(snap, "step", session.step());
                Js.post(snap);
                break;
            case "import":
                String json = Js.string(msg, "json");
                if (json == null) throw new IllegalArgumentException("no model file text in the message");
                session.importModel(json);
                running = false;
                postModel(type);
                if (session.data() != null) postDataset();
                postProgress();
                postDiagnostics();
                if (!session.history().isEmpty()) postHistory();
                break;
            case "history":    // a resumed run: the curve it had, from the page's store
                Float32Array losses = Js.floats(msg, "losses"), devLosses = Js.floats(msg, "devLosses");
                Int32Array devSteps = Js.ints(msg, "devSteps");
                if (losses == null || devLosses == null || devSteps == null) throw new IllegalArgumentException("history needs losses, devSteps and devLosses");
                session.restoreHistory(losses.copyToJavaArray(), devSteps.copyToJavaArray(), devLosses.copyToJavaArray());
                break;
            default:
                throw new IllegalArgumentException("unknown message type '" + type + "'");
        }
    }

    /** One slice of training; re-schedules itself after the page's messages had their turn. */
    private static void slice() {
        if (!running) return;
        try {
            double start = Js.now();
            Config c = session.config();
            while (running && Js.now() - start < SLICE_MS) {
                int toDev = c.evalEvery - session.step() % c.evalEvery;
                session.train(Math.min(32, toDev));
                if (session.devDue()) {
                    postProgress();
                    postDev();
                }
                if (session.finished()) {
                    running = false;
                    postProgress();
                    postDiagnostics();
                    postLosses();
                    JSObject d = reply("done");
                    Js.set(d, "step", session.step());
                    Js.post(d);
                    return;
                }
            }
            postProgress();
            if (viewsLive && Js.now() - diagnosedAt >= DIAGNOSTICS_MS) postDiagnostics();
            Js.later(WorkerMain::slice);
        } catch (Throwable e) {   // an Error too: a slice that throws must never leave running set
            fail("train", e);
        }
    }

    private static Config config(JSObject o) {
        if (o == null) throw new IllegalArgumentException("no config in the message");
        Config c = session.config();
        c.embedDim = whole(o, "embedDim");
        c.blockSize = whole(o, "blockSize");
        Int32Array widths = Js.ints(o, "widths");
        if (widths == null) throw new IllegalArgumentException("widths must be an array of whole numbers, like [100, 100, 100]");
        c.widths = widths.copyToJavaArray();
        c.initGain = (float) Js.number(o, "initGain");
        // The init scales come back as the worker sent them (the page has no fields for them).
        c.hiddenScale = optional(o, "hiddenScale", c.hiddenScale);
        c.hiddenBiasScale = optional(o, "hiddenBiasScale", c.hiddenBiasScale);
        c.outScale = optional(o, "outScale", c.outScale);
        c.outBiasScale = optional(o, "outBiasScale", c.outBiasScale);
        if (Js.has(o, "outBatchNorm")) c.outBatchNorm = Js.bool(o, "outBatchNorm");
        c.batchSize = whole(o, "batchSize");
        c.steps = whole(o, "steps");
        c.lrDecayStep = whole(o, "lrDecayStep");
        c.evalEvery = whole(o, "evalEvery");
        double seed = Js.number(o, "seed");
        if (seed != Math.rint(seed) || seed < 0 || seed > Config.MAX_SEED) throw new IllegalArgumentException("seed must be a whole number between 0 and 2^53");
        c.seed = (long) seed;
        c.lr = (float) Js.number(o, "lr");
        c.momentum = (float) Js.number(o, "momentum");
        c.batchNorm = Js.bool(o, "batchNorm");
        return c;
    }

    private static float optional(JSObject o, String key, float fallback) {
        return Js.has(o, key) ? (float) Js.number(o, key) : fallback;
    }

    private static int whole(JSObject o, String key) {
        double v = Js.number(o, key);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) throw new IllegalArgumentException(key + " must be a whole number");
        return (int) v;
    }

    // ---- replies ----

    /** The settings' upper limits, from Config, so the page's form checks what the worker accepts. */
    private static JSObject limits() {
        JSObject l = Js.object();
        Js.set(l, "embedDim", Config.MAX_EMBED);
        Js.set(l, "blockSize", Config.MAX_BLOCK);
        Js.set(l, "widths", Config.MAX_HIDDEN);      // each hidden width
        Js.set(l, "layers", Config.MAX_LAYERS);      // hidden layers
        Js.set(l, "initGain", Config.MAX_GAIN);
        Js.set(l, "lr", Config.MAX_LR);
        Js.set(l, "batchSize", Config.MAX_BATCH);
        Js.set(l, "steps", Config.MAX_STEPS);
        Js.set(l, "seed", (double) Config.MAX_SEED);
        return l;
    }

    private static JSObject reply(String type) {
        JSObject o = Js.object();
        Js.set(o, "type", type);
        return o;
    }

    /** Training stops at the step whose loss went NaN/Inf; the model stays as before it. */
    private static void diverged(Trainer.Diverged e) {
        running = false;
        postProgress();
        JSObject r = reply("diverged");
        Js.set(r, "step", e.step);
        Js.set(r, "message", e.getMessage());
        Js.post(r);
    }

    /** The one error path, for every message and every slice: during is what was being done. */
    private static void fail(String during, Throwable e) {
        if (e instanceof Trainer.Diverged d) {
            diverged(d);
            return;
        }
        Failure f = Failure.of(during, e);
        if (f.stopsTraining()) running = false;
        JSObject r = reply("error");
        Js.set(r, "during", f.during);
        Js.set(r, "message", f.message);
        Js.post(r);
    }

    private static void postProgress() {
        double now = Js.now();
        int step = session.step();
        if (now - rateSince > 250 || step < rateFromStep) {   // steps/s over the last quarter second or more
            if (step >= rateFromStep && now > rateSince) stepsPerSecond = (step - rateFromStep) * 1000 / (now - rateSince);
            rateSince = now;
            rateFromStep = step;
        }
        float[] losses = session.takeLosses();
        JSObject r = reply("progress");
        Js.set(r, "step", step);
        Js.set(r, "steps", session.config().steps);
        Js.set(r, "from", step - losses.length);
        Js.set(r, "lr", session.config().learningRate(Math.max(0, step - 1)));
        Js.set(r, "stepsPerSecond", running ? stepsPerSecond : 0);
        Js.set(r, "running", running);
        Float32Array array = Float32Array.copyFromJavaArray(losses);
        Js.set(r, "losses", array);
        Js.postTransfer(r, array);
    }

    private static void postDev() {
        double start = Js.now();
        double loss = session.devLoss();
        JSObject r = reply("dev");
        Js.set(r, "step", session.step());
        Js.set(r, "loss", loss);
        if (bench) Js.set(r, "ms", Js.now() - start);   // bench/: ms per dev-split evaluation
        Js.post(r);
    }

    private static void postBaseline(double ms) {
        if (!(ms > 0 && ms <= 60_000)) throw new IllegalArgumentException("baseline: ms must be in (0, 60000]");
        Config c = session.config();
        teagrad.bench.Baseline b = new teagrad.bench.Baseline(c.batchSize, c.blockSize * c.embedDim, c.widths[0], session.data().vocab.size());
        double start = Js.now();
        int steps = 0;
        float sink = 0;
        while (Js.now() - start < ms) {
            sink += b.step();
            steps++;
        }
        JSObject r = reply("baseline");
        Js.set(r, "stepsPerSecond", steps * 1000 / (Js.now() - start));
        Js.set(r, "checksum", sink);
        Js.post(r);
    }

    private static void postProfile(double reps) {
        if (session.data() == null) throw new IllegalArgumentException("profile: no word list loaded yet");
        if (running) throw new IllegalArgumentException("profile: pause training first");
        JSObject r = reply("profile");
        Js.set(r, "text", teagrad.bench.StepProfile.table(session.config(), session.data(), (int) reps, Js::now));   // it checks reps
        Js.post(r);
    }

    private static void postLosses() {
        double[] l = session.evaluate();
        JSObject r = reply("losses");
        Js.set(r, "step", session.step());
        Js.set(r, "train", l[0]);
        Js.set(r, "val", l[1]);
        Js.set(r, "test", l[2]);
        Js.post(r);
    }

    private static void postSamples(int count, double seed) {
        if (seed != Math.rint(seed)) throw new IllegalArgumentException("seed must be a whole number");
        boolean[] known = new boolean[Math.max(0, Math.min(count, 1000))];
        String[] names = session.sample(count, (long) seed, known);
        JSObject n = Js.array(), k = Js.array();
        for (int i = 0; i < names.length; i++) {
            Js.push(n, names[i]);
            Js.push(k, known[i]);
        }
        JSObject r = reply("samples");
        Js.set(r, "names", n);
        Js.set(r, "known", k);
        Js.post(r);
    }

    private static void postDataset() {
        teagrad.data.Dataset d = session.data();
        if (d == null) return;
        JSObject r = reply("dataset");
        Js.set(r, "words", session.wordCount());
        Js.set(r, "vocab", d.vocab.toString());
        Js.set(r, "train", d.train.size);
        Js.set(r, "val", d.val.size);
        Js.set(r, "test", d.test.size);
        Js.post(r);
    }

    /** The model and its settings; {@code cause} is the message that made it (the page fills its form after a preset or an import). */
    private static void postModel(String cause) {
        if (session.model() == null) return;
        Config c = session.config();
        JSObject cfg = Js.object();
        Js.set(cfg, "embedDim", c.embedDim);
        Js.set(cfg, "blockSize", c.blockSize);
        JSObject widths = Js.array();
        for (int w : c.widths) Js.push(widths, w);
        Js.set(cfg, "widths", widths);
        Js.set(cfg, "batchNorm", c.batchNorm);
        Js.set(cfg, "outBatchNorm", c.outBatchNorm);
        Js.set(cfg, "initGain", c.initGain);
        Js.set(cfg, "hiddenScale", c.hiddenScale);
        Js.set(cfg, "hiddenBiasScale", c.hiddenBiasScale);
        Js.set(cfg, "outScale", c.outScale);
        Js.set(cfg, "outBiasScale", c.outBiasScale);
        Js.set(cfg, "preset", Presets.nameOf(c));
        Js.set(cfg, "momentum", c.momentum);
        Js.set(cfg, "batchSize", c.batchSize);
        Js.set(cfg, "lr", c.lr);
        Js.set(cfg, "lrDecayStep", c.lrDecayStep);
        Js.set(cfg, "steps", c.steps);
        Js.set(cfg, "seed", (double) c.seed);
        Js.set(cfg, "evalEvery", c.evalEvery);
        JSObject r = reply("model");
        Js.set(r, "cause", cause);
        if (session.resumeNote() != null) Js.set(r, "note", session.resumeNote());   // an old file at a far step: fresh batches
        Js.set(r, "params", session.model().parameterCount());
        Js.set(r, "step", session.step());
        Js.set(r, "config", cfg);
        Js.set(r, "vocab", session.model().vocab.toString());
        JSObject layers = Js.array();
        for (Layer l : session.model().net.layers()) Js.push(layers, l.toString());
        Js.set(r, "layers", layers);
        Js.post(r);
    }

    /** The curve of an imported model, for the page's chart. */
    private static void postHistory() {
        teagrad.train.History h = session.history();
        JSObject r = reply("history");
        Js.set(r, "step", session.step());
        Float32Array losses = Float32Array.copyFromJavaArray(h.losses());
        Js.set(r, "losses", losses);
        JSObject devSteps = Js.array();
        for (int s : h.devSteps()) Js.push(devSteps, s);
        Js.set(r, "devSteps", devSteps);
        JSObject devLosses = Js.array();
        for (float l : h.devLosses()) Js.push(devLosses, l);
        Js.set(r, "devLosses", devLosses);
        Js.postTransfer(r, losses);
    }

    /** The lecture's look inside the network at the last step (the views beside the chart). */
    private static void postDiagnostics() {
        Diagnostics d = session.diagnostics();
        if (d == null) return;
        diagnosedAt = Js.now();
        JSObject buffers = Js.array();
        JSObject tanh = Js.array();
        for (Diagnostics.TanhLayer t : d.tanh) {
            JSObject o = Js.object();
            Js.set(o, "layer", t.layer);
            Js.set(o, "label", t.label);
            Js.set(o, "saturated", t.saturated);
            stats(o, "", t.out, buffers);
            stats(o, "grad", t.grad, buffers);
            Js.push(tanh, o);
        }
        JSObject weights = Js.array();
        for (Diagnostics.Weight w : d.weights) {
            JSObject o = Js.object();
            Js.set(o, "layer", w.layer);
            Js.set(o, "label", w.label);
            JSObject shape = Js.array();
            Js.push(shape, w.shape[0]);
            Js.push(shape, w.shape[1]);
            Js.set(o, "shape", shape);
            Js.set(o, "gradMean", w.gradMean);
            Js.set(o, "gradStd", w.gradStd);
            Js.set(o, "gradToData", w.gradToData);
            Js.set(o, "log10UpdateToData", w.log10UpdateToData);
            Js.push(weights, o);
        }
        JSObject r = reply("diagnostics");
        Js.set(r, "step", session.step());
        Js.set(r, "lr", d.lr);
        Js.set(r, "tanh", tanh);
        Js.set(r, "weights", weights);
        byte[] bits = session.saturation();
        int layer = session.inspectedLayer();
        if (bits != null) {
            JSObject sat = Js.object();
            int cols = session.model().net.shape(layer)[0];
            Js.set(sat, "layer", layer);
            Js.set(sat, "rows", bits.length / cols);
            Js.set(sat, "cols", cols);
            JSObject array = Js.unsigned(Int8Array.copyFromJavaArray(bits));
            Js.set(sat, "bits", array);
            Js.pushBuffer(buffers, array);
            Js.set(r, "saturation", sat);
        }
        Js.postTransferAll(r, buffers);
    }

    /** mean, std, min, max and the histogram as {prefix}Mean, … ("" → mean, "grad" → gradMean). */
    private static void stats(JSObject o, String prefix, Stats s, JSObject buffers) {
        Js.set(o, prefix.isEmpty() ? "mean" : prefix + "Mean", s.mean);
        Js.set(o, prefix.isEmpty() ? "std" : prefix + "Std", s.std);
        Js.set(o, prefix.isEmpty() ? "min" : prefix + "Min", s.min);
        Js.set(o, prefix.isEmpty() ? "max" : prefix + "Max", s.max);
        Float32Array hist = Float32Array.copyFromJavaArray(s.density);
        Js.set(o, prefix.isEmpty() ? "hist" : prefix + "Hist", hist);
        Js.pushBuffer(buffers, hist);
    }
}
