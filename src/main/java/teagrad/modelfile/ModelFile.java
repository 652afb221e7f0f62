package teagrad.modelfile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import teagrad.data.Untrusted;
import teagrad.data.Vocab;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Embedding;
import teagrad.nn.Flatten;
import teagrad.nn.Layer;
import teagrad.nn.Linear;
import teagrad.nn.Sequential;
import teagrad.nn.Tanh;
import teagrad.model.Config;
import teagrad.model.Presets;
import teagrad.model.Setting;
import teagrad.model.Settings;
import teagrad.model.Model;
import teagrad.train.History;

/**
 * The model file: one JSON document the CLI and the browser both write and read.
 * <pre>
 * {"format": "teagrad-model", "version": 2, "vocab": ".abc…", "step": 200000,
 *  "config": {"blockSize": 3, "batchSize": 32, "lr": 0.1, …},
 *  "layers": [{"type": "embedding", "weight": T}, {"type": "flatten"},
 *             {"type": "linear", "weight": T, "bias": null},
 *             {"type": "batchnorm1d", "weight": T, "bias": T, "runningMean": T, "runningVar": T, "eps": e, "momentum": m},
 *             {"type": "tanh"}, {"type": "linear", "weight": T, "bias": T}],
 *  "crc32": "8 hex digits", "batchRng": [4 words], "history": {…}}
 * </pre>
 * The layer list is the network: a PyTorch nn.Sequential of Embedding, Flatten, Linear,
 * BatchNorm1d and Tanh, any widths and depth whose shapes chain. Tensors are
 * {"shape": [...], "data": [...]} row-major, linear weights stored [in, out]. Only
 * config.blockSize is required; the other settings default as {@code train}'s do.
 * Version 1 (the chapter's fixed network, with embedDim and hidden in its config) still reads.
 *
 * <p>Reading checks everything and names what is wrong, in one line. It is bounded whatever the
 * file claims: sizes are checked against the settings before anything is allocated (at most
 * {@link #MAX_LAYER_ENTRIES} layers, sides of at most {@link #MAX_SIDE}, no more values than a
 * shape needs, no more losses than steps), so any file is read or refused in about the time
 * it takes to read it. "crc32" (optional: files from PyTorch have none) is a checksum of the
 * vocab and the layers, so a damaged file is refused instead of loading as another model;
 * "batchRng" (optional) lets a run continue with the very batches it would have drawn.
 */
public final class ModelFile {
    private ModelFile() {}

    public static final String FORMAT = "teagrad-model";
    public static final int VERSION = 2;

    /** A model read from a file, with the number of steps it had been trained for. */
    public static final class Loaded {
        public final Model model;
        public final int step;
        /** The run's curve, or null when the file has none. */
        public final History history;
        /** The minibatch generator's state after {@link #step} steps (see Trainer), or null when the file has none. */
        public final int[] batchRng;

        Loaded(Model model, int step, History history, int[] batchRng) {
            this.model = model;
            this.step = step;
            this.history = history;
            this.batchRng = batchRng;
        }
    }

    // ---- writing ----

    public static String write(Model m, int step) {
        return write(m, step, null, null);
    }

    public static String write(Model m, int step, History history) {
        return write(m, step, history, null);
    }

    /**
     * With the run's curve as "history" (left out when null or empty) and the minibatch
     * generator's state as "batchRng" (left out when null), so the run can go on exactly.
     */
    public static String write(Model m, int step, History history, int[] batchRng) {
        Config c = m.config;
        StringBuilder b = new StringBuilder(256 * 1024);
        b.append("{\"format\": \"").append(FORMAT).append("\", \"version\": ").append(VERSION)
         .append(",\n \"vocab\": ").append(Json.quote(m.vocab.toString()))
         .append(",\n \"step\": ").append(step)
         .append(",\n \"config\": ");
        config(b, c);
        b.append(",\n \"layers\": [");
        List<Layer> layers = m.net.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            b.append(i == 0 ? "\n  " : ",\n  ").append("{\"type\": \"").append(l.type()).append('"');
            if (l instanceof Embedding e) {
                b.append(", \"weight\": "); tensor(b, e.weight.data, e.weight.shape);
            } else if (l instanceof Linear lin) {
                b.append(", \"weight\": "); tensor(b, lin.weight.data, lin.weight.shape);
                b.append(", \"bias\": ");
                if (lin.bias == null) b.append("null"); else tensor(b, lin.bias.data, lin.bias.shape);
            } else if (l instanceof BatchNorm1d bn) {
                int[] sh = {bn.features};
                b.append(", \"weight\": "); tensor(b, bn.gamma.data, sh);
                b.append(", \"bias\": "); tensor(b, bn.beta.data, sh);
                b.append(", \"runningMean\": "); tensor(b, bn.runningMean, sh);
                b.append(", \"runningVar\": "); tensor(b, bn.runningVar, sh);
                b.append(", \"eps\": ").append(bn.eps).append(", \"momentum\": ").append(bn.momentum);
            }
            b.append('}');
        }
        b.append("\n ],\n \"").append(CHECKSUM).append("\": \"").append(checksum(m.vocab, m.net)).append('"');
        if (batchRng != null) {
            b.append(",\n \"").append(BATCH_RNG).append("\": [");
            for (int i = 0; i < batchRng.length; i++) b.append(i == 0 ? "" : ", ").append(batchRng[i] & 0xFFFFFFFFL);
            b.append(']');
        }
        if (history != null && !history.isEmpty()) {
            b.append(",\n \"history\": {\"losses\": ");
            floats(b, history.losses());
            b.append(", \"devSteps\": [");
            int[] ds = history.devSteps();
            for (int i = 0; i < ds.length; i++) b.append(i == 0 ? "" : ", ").append(ds[i]);
            b.append("], \"devLosses\": ");
            floats(b, history.devLosses());
            b.append('}');
        }
        b.append("}\n");
        return b.toString();
    }

    /** The settings the layers do not say (see {@link Settings}), and the preset they make: {"blockSize": 3, …}. */
    private static void config(StringBuilder b, Config c) {
        Setting.Sink out = new Setting.Sink() {
            private StringBuilder key(String k) { return b.append(b.charAt(b.length() - 1) == '{' ? "" : ", ").append(Json.quote(k)).append(": "); }
            @Override public void putWhole(String k, long v) { key(k).append(v); }
            @Override public void putFloat(String k, float v) { key(k).append(v); }   // Float.toString reads back to the same float
            @Override public void putBool(String k, boolean v) { key(k).append(v); }
            @Override public void putInts(String k, int[] v) { key(k).append(java.util.Arrays.toString(v)); }
        };
        b.append('{');
        for (Setting s : Settings.ALL) if (!s.inLayers()) s.write(c, out);
        b.append(", \"preset\": ").append(Json.quote(Presets.nameOf(c))).append('}');
    }

    private static void floats(StringBuilder b, float[] v) {
        b.append('[');
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ", ").append(v[i]);   // finite: the trainer records no other
        b.append(']');
    }

    private static void tensor(StringBuilder b, float[] data, int[] shape) {
        b.append("{\"shape\": [");
        for (int i = 0; i < shape.length; i++) b.append(i == 0 ? "" : ", ").append(shape[i]);
        b.append("], \"data\": [");
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) throw new IllegalStateException("cannot save a model with a non-finite parameter");
            b.append(i == 0 ? "" : ", ").append(data[i]);   // Float.toString round-trips exactly
        }
        b.append("]}");
    }

    // ---- reading ----

    /** Characters a model file may have: the largest network the settings allow (11.6 M parameters) writes about 190 MB; the rest is room for its curve. */
    public static final int MAX_CHARS = 256 << 20;
    /** Entries of "layers": embedding, flatten, then a linear, batchnorm1d and tanh for each hidden layer and the output. */
    public static final int MAX_LAYER_ENTRIES = 2 + 3 * (Config.MAX_LAYERS + 1);
    /** Longest side of a tensor: a hidden width, a flattened context (block × embedding) or a vocabulary. */
    public static final int MAX_SIDE = Math.max(Config.MAX_HIDDEN, Math.max(Config.MAX_BLOCK * Config.MAX_EMBED, Vocab.MAX_SIZE));
    /** Values in any other part of the file (the config, a key this teagrad does not know). */
    static final int MAX_TREE = 4096;

    /** @throws IllegalArgumentException saying what is wrong with the file */
    public static Loaded read(String text) {
        if (text.length() > MAX_CHARS) {
            throw bad("the file has " + text.length() + " characters, more than the " + MAX_CHARS + " of the largest model the settings allow");
        }
        Map<String, Object> root;
        try {
            root = document(new Json.Reader(text));
        } catch (Json.ParseError e) {
            throw bad(e.getMessage());
        }
        Object format = root.get("format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("model file: \"format\" must be \"" + FORMAT + "\", got " + describe(format) + " (is this a teagrad model?)");
        }
        int version = integer(root, "version", "the document");
        if (version != 1 && version != VERSION) {
            throw new IllegalArgumentException("model file: version " + version + " is not supported (this teagrad reads versions 1 and " + VERSION + ")");
        }
        Vocab vocab;
        try {
            vocab = Vocab.parse(string(root, "vocab", "the document"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file: " + e.getMessage());
        }
        Map<String, Object> cfg = object(root.get("config"), "\"config\"");
        Config c = new Config();
        if (cfg.containsKey("vocabSize") || version == 1) {
            int vocabSize = integer(cfg, "vocabSize", "config");
            if (vocabSize != vocab.size()) {
                throw new IllegalArgumentException("model file: config.vocabSize is " + vocabSize + " but the vocab has " + vocab.size() + " characters");
            }
        }
        readConfig(cfg, c);
        if (version == 1) {
            // Version 1 spelled the (only) network out in its config; version 2's layers say it all.
            c.embedDim = integer(cfg, "embedDim", "config");
            c.widths = new int[] {integer(cfg, "hidden", "config")};
            c.batchNorm = bool(cfg, "batchNorm", "config");
            requireV1Layers(list(root.get("layers"), "\"layers\""), c.batchNorm);
        }
        int step = root.containsKey("step") ? integer(root, "step", "the document") : 0;
        if (step < 0 || step > Config.MAX_STEPS) {
            throw bad("\"step\" must be between 0 and " + Config.MAX_STEPS + " (the most steps a run can have), got " + step);
        }

        Sequential net = network(list(root.get("layers"), "\"layers\""), c.blockSize, vocab);
        if (version == 1) {
            validate(c);   // its own account of the network first, as version 1 always checked it
            if (((Linear) net.layer(2)).out != c.widths[0]) {
                throw new IllegalArgumentException("model file: config.hidden is " + c.widths[0] + " but layers[2] has " + ((Linear) net.layer(2)).out + " outputs");
            }
            for (BatchNorm1d bn : net.batchNorms()) {
                if (bn.eps != c.eps || bn.momentum != c.momentum) {
                    throw new IllegalArgumentException("model file: layers[3] eps/momentum (" + bn.eps + ", " + bn.momentum + ") differ from config (" + c.eps + ", " + c.momentum + ")");
                }
            }
        }
        describe(net, c);
        validate(c);
        if (root.containsKey(CHECKSUM)) checksum(root.get(CHECKSUM), vocab, net);
        int[] batches = root.containsKey(BATCH_RNG) ? rngState(root.get(BATCH_RNG)) : null;
        History history = root.containsKey("history") ? history((RawHistory) root.get("history"), step) : null;
        return new Loaded(new Model(c, vocab, net), step, history, batches);
    }

    /**
     * The refusal of a file whose first part is {@code start}, or null when that part reads
     * well as far as it goes: a reader of a 200 MB file that goes wrong in its first lines can
     * refuse it after a few megabytes instead of reading it all. Only the first pass runs on
     * the part, and a failure counts only if it comes before the last {@link #START_MARGIN}
     * characters: no token is longer, so it is not the cut's doing.
     */
    public static IllegalArgumentException refusalOfStart(String start) {
        Json.Reader r = new Json.Reader(start);
        try {
            document(r);
            return null;   // the whole document is in it: only reading everything can tell
        } catch (Json.ParseError e) {
            return r.position() < start.length() - START_MARGIN ? bad(e.getMessage()) : null;
        } catch (IllegalArgumentException e) {
            return r.position() < start.length() - START_MARGIN ? e : null;
        }
    }

    /** Longer than any token (a string of {@link Json#MAX_STRING}, a number of {@link Json#MAX_NUMBER}). */
    public static final int START_MARGIN = 2 * Json.MAX_STRING;

    private static IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("model file: " + what);
    }

    /**
     * The settings the config has; blockSize is required, the others default as train's do.
     * Each is checked against its range as it is read: the layers may overwrite some later
     * (batch norm's momentum and eps), which must not hide a value out of range.
     */
    private static void readConfig(Map<String, Object> cfg, Config c) {
        if (!cfg.containsKey("blockSize")) throw new IllegalArgumentException("model file: config needs \"blockSize\"");
        try {
            for (Setting s : Settings.ALL) {
                if (s.inLayers()) continue;
                s.read(key -> cfg.containsKey(key) ? setting(cfg.get(key)) : null, c);
                s.check(c);
            }
        } catch (Setting.Refused e) {
            throw new IllegalArgumentException("model file: config." + e.getMessage());
        }
    }

    /** A JSON value as the settings read it: numbers as written (a {@link Setting.Decimal}), arrays of whole numbers as int[]. */
    private static Object setting(Object v) {
        if (v instanceof Json.Num || v instanceof Boolean || v instanceof String) return v;
        if (v instanceof List<?> list) {
            int[] ints = new int[list.size()];
            for (int i = 0; i < ints.length; i++) {
                if (!(list.get(i) instanceof Json.Num n && n.isInteger() && n.text.length() <= 10 && Long.parseLong(n.text) == (int) Long.parseLong(n.text))) {
                    return new Setting.Other(describe(v));
                }
                ints[i] = Integer.parseInt(((Json.Num) list.get(i)).text);
            }
            return ints;
        }
        return new Setting.Other(describe(v));
    }

    private static void validate(Config c) {
        try {
            c.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file: config: " + e.getMessage());
        }
    }

    // ---- the first pass: the document, bounded

    /**
     * The document's keys, each read with the bounds of what it can hold: "layers" and
     * "history" as arrays of floats sized by the settings, anything else as a small tree.
     * Nothing is kept beyond what a valid file of the largest settings needs.
     */
    private static Map<String, Object> document(Json.Reader r) {
        if (r.peek() == '\0') throw r.error("the document is empty");
        if (r.peek() != '{') throw bad("the document must be an object, got " + r.describeNext());
        Map<String, Object> root = new LinkedHashMap<>();
        r.beginObject();
        for (String key; (key = r.nextKey()) != null; ) {
            if (key.equals("layers")) {
                root.put(key, layers(r));
            } else if (key.equals("history")) {
                // Steps taken bound the losses; a file that gives "step" after its history is bounded by the settings.
                Object step = root.get("step");
                int most = step instanceof Json.Num n && n.isInteger() && n.text.length() < 9 ? Integer.parseInt(n.text) : Config.MAX_STEPS;
                root.put(key, rawHistory(r, Math.max(0, Math.min(most, Config.MAX_STEPS))));
            } else {
                root.put(key, r.tree(MAX_TREE));
            }
        }
        r.end();
        return root;
    }

    /** A tensor as the file gives it: its shape and its values, not yet checked against its layer. */
    private static final class Floats {
        final List<Object> shape;
        final float[] data;

        Floats(List<Object> shape, float[] data) {
            this.shape = shape;
            this.data = data;
        }
    }

    /** The layer list: objects whose tensors are read as {@link Floats}, their other keys as small trees. */
    private static List<Object> layers(Json.Reader r) {
        if (r.peek() != '[') throw bad("\"layers\" must be an array, got " + r.describeNext());
        List<Object> layers = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            String where = "layers[" + layers.size() + "]";
            if (layers.size() == MAX_LAYER_ENTRIES) {
                throw bad("\"layers\" has more than " + MAX_LAYER_ENTRIES + " layers; a network of at most " + Config.MAX_LAYERS
                    + " hidden layers (linear, batchnorm1d, tanh each) has no more");
            }
            if (r.peek() != '{') throw bad(where + " must be an object, got " + r.describeNext());
            Map<String, Object> layer = new LinkedHashMap<>();
            r.beginObject();
            for (String key; (key = r.nextKey()) != null; ) {
                boolean tensor = TENSORS.contains(key) && r.peek() == '{';
                layer.put(key, tensor ? floats(r, where + "." + key) : r.tree(MAX_TREE));
            }
            layers.add(layer);
        }
        return layers;
    }

    private static final List<String> TENSORS = List.of("weight", "bias", "runningMean", "runningVar");

    /** {"shape": [...], "data": [...]} in either order; the data never longer than the shape (or the largest tensor) allows. */
    private static Floats floats(Json.Reader r, String name) {
        List<Object> shape = null;
        float[] data = null;
        r.beginObject();
        for (String key; (key = r.nextKey()) != null; ) {
            if (key.equals("shape")) {
                shape = list(r.tree(MAX_TREE), name + ".shape");
                size(shape, name);
            } else if (key.equals("data")) {
                int most = shape != null ? size(shape, name) : MAX_SIDE * MAX_SIDE;
                data = floatArray(r, name + ".data", most, shape != null ? ", its shape " + shape + " needs " + most : "");
            } else {
                r.skip(MAX_TREE);
            }
        }
        if (shape == null) throw bad(name + ".shape must be an array, got nothing");
        if (data == null) throw bad(name + ".data must be an array, got nothing");
        return new Floats(shape, data);
    }

    /** The number of values a shape holds: 1 or 2 sides of 1 to MAX_SIDE each (so at most 2^20 values: no overflow). */
    private static int size(List<Object> shape, String name) {
        if (shape.isEmpty() || shape.size() > 2) throw bad(name + " has shape " + describe(shape) + ", expected 1 or 2 dimensions");
        int n = 1;
        for (int i = 0; i < shape.size(); i++) {
            Object v = shape.get(i);
            if (!(v instanceof Json.Num d && d.isInteger() && d.text.length() < 9 && Integer.parseInt(d.text) >= 1)) {
                throw bad(name + ".shape[" + i + "] is " + describe(v) + ", not a size");
            }
            int side = Integer.parseInt(d.text);
            if (side > MAX_SIDE) throw bad(name + ".shape[" + i + "] is " + side + ", more than the " + MAX_SIDE + " the settings allow for any side");
            n *= side;
        }
        return n;
    }

    /**
     * An array of at most {@code most} finite floats, read straight into a float[] (a million
     * numbers as objects would take 50 times the memory).
     */
    private static float[] floatArray(Json.Reader r, String name, int most, String why) {
        if (r.peek() != '[') throw bad(name + " must be an array, got " + r.describeNext());
        float[] out = new float[Math.min(most, 1024)];
        int n = 0;
        r.beginArray();
        while (r.hasNext()) {
            if (n == most) throw bad(name + " has more than " + most + " values" + why);
            if (n == out.length) out = Arrays.copyOf(out, (int) Math.min(most, 2L * n));
            if (r.peek() != '0') throw bad(name + "[" + n + "] is " + r.describeNext() + ", not a finite number");
            float f = r.floatValue();
            if (!Float.isFinite(f)) throw bad(name + "[" + n + "] is " + r.lastNumber() + ", not a finite float");
            out[n++] = f;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The curve as the file gives it, bounded by the steps taken. */
    private static final class RawHistory {
        float[] losses, devLosses;
        int[] devSteps;
    }

    private static RawHistory rawHistory(Json.Reader r, int steps) {
        if (r.peek() != '{') throw bad("\"history\" must be an object, got " + r.describeNext());
        RawHistory h = new RawHistory();
        String why = ", more than the " + steps + " steps taken";
        r.beginObject();
        for (String key; (key = r.nextKey()) != null; ) {
            switch (key) {
                case "losses": h.losses = floatArray(r, "history.losses", steps, why); break;
                case "devLosses": h.devLosses = floatArray(r, "history.devLosses", steps + 1, why); break;
                case "devSteps":
                    float[] s = floatArray(r, "history.devSteps", steps + 1, why);
                    h.devSteps = new int[s.length];
                    for (int i = 0; i < s.length; i++) {
                        if (s[i] != (int) s[i] || s[i] < 0 || s[i] > steps) throw bad("history.devSteps[" + i + "] is " + s[i] + ", not a step from 0 to " + steps);
                        h.devSteps[i] = (int) s[i];
                    }
                    break;
                default: r.skip(MAX_TREE);
            }
        }
        if (h.losses == null) throw bad("history.losses must be an array, got nothing");
        if (h.devLosses == null) throw bad("history.devLosses must be an array, got nothing");
        if (h.devSteps == null) throw bad("history.devSteps must be an array, got nothing");
        return h;
    }

    // ---- the second pass: what the values mean

    /** The optional curve: a batch loss per step (the last ones up to "step") and dev losses at steps. */
    private static History history(RawHistory h, int step) {
        try {
            return History.of(h.losses, h.devSteps, h.devLosses, step);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file: " + e.getMessage());
        }
    }

    /** Version 1 held exactly the chapter's network. */
    private static void requireV1Layers(List<Object> layers, boolean batchNorm) {
        String[] expected = batchNorm
            ? new String[] {"embedding", "flatten", "linear", "batchnorm1d", "tanh", "linear"}
            : new String[] {"embedding", "flatten", "linear", "tanh", "linear"};
        if (layers.size() != expected.length) {
            throw new IllegalArgumentException("model file: expected " + expected.length + " layers (" + String.join(", ", expected) + "), got " + layers.size());
        }
        for (int i = 0; i < expected.length; i++) {
            Object type = object(layers.get(i), "layers[" + i + "]").get("type");
            if (!expected[i].equals(type)) {
                throw new IllegalArgumentException("model file: layers[" + i + "] must be \"" + expected[i] + "\", got " + describe(type));
            }
        }
    }

    /** The layer list as a network; every shape is checked against the layer before it. */
    private static Sequential network(List<Object> specs, int blockSize, Vocab vocab) {
        if (specs.isEmpty()) throw new IllegalArgumentException("model file: \"layers\" is empty");
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            String where = "layers[" + i + "]";
            Map<String, Object> spec = object(specs.get(i), where);
            Object type = spec.get("type");
            Layer layer;
            if ("embedding".equals(type)) {
                int[] s = shape(spec, "weight", where, 2);
                if (s[0] != vocab.size()) throw new IllegalArgumentException("model file: " + where + ".weight has " + s[0] + " rows, but the vocab has " + vocab.size() + " characters");
                if (s[1] > Config.MAX_EMBED) throw bad(where + ".weight has " + s[1] + " columns, more than the largest embedding (" + Config.MAX_EMBED + ")");
                Embedding e = new Embedding(s[0], s[1]);
                load(spec, "weight", where, e.weight.data, s);
                layer = e;
            } else if ("linear".equals(type)) {
                int[] s = shape(spec, "weight", where, 2);
                // Only an explicit null means no bias: a missing key is a damaged file, not a choice.
                if (!spec.containsKey("bias")) throw bad(where + " needs \"bias\": a tensor, or null for a layer without bias");
                Linear lin = new Linear(s[0], s[1], spec.get("bias") != null);
                load(spec, "weight", where, lin.weight.data, s);
                if (lin.bias != null) load(spec, "bias", where, lin.bias.data, s[1]);
                layer = lin;
            } else if ("batchnorm1d".equals(type)) {
                int n = shape(spec, "weight", where, 1)[0];
                float eps = floatOf(spec, "eps", where), mom = floatOf(spec, "momentum", where);
                if (!(eps > 0 && eps < 1)) throw new IllegalArgumentException("model file: " + where + ".eps must be in (0, 1), got " + eps);
                if (!(mom >= 0 && mom <= 1)) throw new IllegalArgumentException("model file: " + where + ".momentum must be in [0, 1], got " + mom);
                BatchNorm1d bn = new BatchNorm1d(n, mom, eps);
                load(spec, "weight", where, bn.gamma.data, n);
                load(spec, "bias", where, bn.beta.data, n);
                load(spec, "runningMean", where, bn.runningMean, n);
                load(spec, "runningVar", where, bn.runningVar, n);
                for (float v : bn.runningVar) {
                    if (v < 0) throw new IllegalArgumentException("model file: " + where + ".runningVar has a negative variance " + v);
                }
                layer = bn;
            } else if ("flatten".equals(type)) {
                layer = new Flatten();
            } else if ("tanh".equals(type)) {
                layer = new Tanh();
            } else {
                throw new IllegalArgumentException("model file: " + where + ".type must be one of embedding, flatten, linear, batchnorm1d, tanh; got " + describe(type));
            }
            layers.add(layer);
        }
        Sequential net;
        try {
            net = new Sequential(blockSize, layers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file: " + e.getMessage());
        }
        if (net.outputs() != vocab.size()) {
            throw new IllegalArgumentException("model file: the last layer gives " + net.outputs() + " logits, but the vocab has " + vocab.size() + " characters");
        }
        int hidden = -1;   // every linear layer but the output one
        for (Layer l : layers) if (l instanceof Linear) hidden++;
        if (hidden > Config.MAX_LAYERS) throw bad("the network has " + hidden + " hidden layers; at most " + Config.MAX_LAYERS + " are supported");
        return net;
    }

    /** Fills the config's description of the network from the network itself. */
    private static void describe(Sequential net, Config c) {
        c.embedDim = net.embedding().dim;
        List<Integer> widths = new ArrayList<>();
        List<Layer> layers = net.layers();
        int lastLinear = -1;
        for (int i = 0; i < layers.size(); i++) if (layers.get(i) instanceof Linear) lastLinear = i;
        boolean bn = false;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Linear lin && i != lastLinear) widths.add(lin.out);
            if (layers.get(i) instanceof BatchNorm1d b && i < lastLinear) { bn = true; c.momentum = b.momentum; c.eps = b.eps; }
        }
        c.outBatchNorm = layers.get(layers.size() - 1) instanceof BatchNorm1d && lastLinear >= 0;
        c.batchNorm = bn;
        // A network without hidden layers has no width to show: its config keeps the default.
        if (!widths.isEmpty()) {
            c.widths = new int[widths.size()];
            for (int i = 0; i < c.widths.length; i++) c.widths[i] = widths.get(i);
        }
    }

    /** The shape of a tensor field: {@code rank} sides (each already within the settings' bounds). */
    private static int[] shape(Map<String, Object> layer, String key, String where, int rank) {
        Floats t = tensor(layer, key, where);
        if (t.shape.size() != rank) throw new IllegalArgumentException("model file: " + where + "." + key + " has shape " + describe(t.shape) + ", expected " + rank + " dimensions");
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) out[i] = Integer.parseInt(((Json.Num) t.shape.get(i)).text);
        return out;
    }

    private static Floats tensor(Map<String, Object> layer, String key, String where) {
        Object v = layer.get(key);
        if (!(v instanceof Floats)) throw bad(where + "." + key + " must be a tensor {\"shape\": [...], \"data\": [...]}, got " + describe(v));
        return (Floats) v;
    }

    private static void load(Map<String, Object> layer, String key, String where, float[] into, int... shape) {
        String name = where + "." + key;
        Floats t = tensor(layer, key, where);
        boolean same = t.shape.size() == shape.length;
        for (int i = 0; same && i < shape.length; i++) same = ((Json.Num) t.shape.get(i)).text.equals(Integer.toString(shape[i]));
        if (!same) {
            throw new IllegalArgumentException("model file: " + name + " has shape " + describe(t.shape) + ", expected " + Arrays.toString(shape));
        }
        if (t.data.length != into.length) {
            throw new IllegalArgumentException("model file: " + name + " has " + t.data.length + " values, its shape needs " + into.length);
        }
        System.arraycopy(t.data, 0, into, 0, into.length);
    }

    // ---- the checksum and the state of the run

    /** The key of the checksum: CRC-32 of the vocab and every number of the layers, as 8 hex digits. */
    static final String CHECKSUM = "crc32";
    /** The key of the minibatch generator's state (xoshiro128**, 4 unsigned 32-bit words) after "step" steps. */
    static final String BATCH_RNG = "batchRng";

    /**
     * CRC-32 over what makes the network compute what it does: the vocabulary's code points,
     * each layer's type, and every number of every layer as float bits, in file order. A flipped
     * byte that still parses (a digit of a weight) changes it; the config, step and history are
     * left out, as a user may edit them by hand.
     */
    static String checksum(Vocab vocab, Sequential net) {
        Crc crc = new Crc();
        vocab.toString().codePoints().forEach(crc::add);
        for (Layer l : net.layers()) {
            l.type().chars().forEach(crc::add);
            if (l instanceof Embedding e) {
                crc.add(e.weight.data);
            } else if (l instanceof Linear lin) {
                crc.add(lin.weight.data);
                if (lin.bias != null) crc.add(lin.bias.data);
            } else if (l instanceof BatchNorm1d bn) {
                crc.add(bn.gamma.data);
                crc.add(bn.beta.data);
                crc.add(bn.runningMean);
                crc.add(bn.runningVar);
                crc.add(new float[] {bn.eps, bn.momentum});
            }
        }
        return crc.hex();
    }

    /** CRC-32 of 32-bit words, little-endian, through a buffer (CRC32.update per word is slow). */
    private static final class Crc {
        private final CRC32 crc = new CRC32();
        private final byte[] buffer = new byte[4096];
        private int n;

        void add(int v) {
            if (n == buffer.length) flush();
            buffer[n++] = (byte) v;
            buffer[n++] = (byte) (v >>> 8);
            buffer[n++] = (byte) (v >>> 16);
            buffer[n++] = (byte) (v >>> 24);
        }

        void add(float[] values) {
            for (float v : values) add(Float.floatToIntBits(v));
        }

        private void flush() {
            crc.update(buffer, 0, n);
            n = 0;
        }

        String hex() {
            flush();
            String h = Long.toHexString(crc.getValue());
            return "00000000".substring(h.length()) + h;
        }
    }

    private static void checksum(Object written, Vocab vocab, Sequential net) {
        String actual = checksum(vocab, net);
        if (!(written instanceof String w) || !isHex8(w)) throw bad("\"" + CHECKSUM + "\" must be 8 hex digits, got " + describe(written));
        if (!w.equals(actual)) {
            throw bad("the layers do not match the file's " + CHECKSUM + " (" + w + ", computed " + actual
                + "): the file is damaged, or its numbers were edited (delete \"" + CHECKSUM + "\" to load it anyway)");
        }
    }

    /** Whether w is 8 lowercase hex digits (as {@link Crc#hex} writes them), without String.matches's regex engine. */
    private static boolean isHex8(String w) {
        if (w.length() != 8) return false;
        for (int i = 0; i < 8; i++) {
            char c = w.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    /** The minibatch generator's state: 4 whole numbers from 0 to 2^32 − 1, not all 0. */
    private static int[] rngState(Object v) {
        String what = BATCH_RNG;
        List<Object> words = list(v, what);
        if (words.size() != 4) throw bad(what + " must hold 4 numbers (xoshiro128** state), got " + words.size());
        int[] state = new int[4];
        for (int i = 0; i < 4; i++) {
            Object w = words.get(i);
            if (!(w instanceof Json.Num n && n.isInteger() && n.text.length() <= 10 && !n.text.startsWith("-") && Long.parseLong(n.text) <= 0xFFFFFFFFL)) {
                throw bad(what + "[" + i + "] is " + describe(w) + ", not a whole number from 0 to 4294967295");
            }
            state[i] = (int) Long.parseLong(n.text);
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw bad(what + " is all zeros, a state the generator never reaches");
        return state;
    }

    // ---- small values

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String what) {
        if (!(v instanceof Map)) throw new IllegalArgumentException("model file: " + what + " must be an object, got " + describe(v));
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object v, String what) {
        if (!(v instanceof List)) throw new IllegalArgumentException("model file: " + what + " must be an array, got " + describe(v));
        return (List<Object>) v;
    }

    private static String string(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (!(v instanceof String)) throw new IllegalArgumentException("model file: " + where + " needs \"" + key + "\" as a string, got " + describe(v));
        return (String) v;
    }

    private static boolean bool(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (!(v instanceof Boolean)) throw new IllegalArgumentException("model file: " + where + " needs \"" + key + "\" as true or false, got " + describe(v));
        return (Boolean) v;
    }

    private static Json.Num num(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (!(v instanceof Json.Num)) throw new IllegalArgumentException("model file: " + where + " needs \"" + key + "\" as a number, got " + describe(v));
        return (Json.Num) v;
    }

    /** A float setting, rounded from its decimal text once (through a double it could round twice). */
    private static float floatOf(Map<String, Object> m, String key, String where) {
        float f = num(m, key, where).floatValue();
        if (!Float.isFinite(f)) throw new IllegalArgumentException("model file: " + where + " needs \"" + key + "\" as a finite number, got " + describe(m.get(key)));
        return f;
    }

    /**
     * A whole number written as one (no fraction, no exponent), read exactly: as a double,
     * 9007199254740993 would become 2^53 and pass as a seed.
     */
    private static long whole(Map<String, Object> m, String key, String where) {
        Json.Num n = num(m, key, where);
        if (!n.isInteger() || n.text.length() > 18) {
            throw new IllegalArgumentException("model file: " + name(key, where) + " must be a whole number of at most 17 digits, got " + describe(n));
        }
        return Long.parseLong(n.text);
    }

    private static int integer(Map<String, Object> m, String key, String where) {
        long v = whole(m, key, where);
        if (v != (int) v) throw new IllegalArgumentException("model file: " + name(key, where) + " must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ", got " + v);
        return (int) v;
    }

    /** "config.seed", or "step" for a key of the document itself. */
    private static String name(String key, String where) {
        return where.equals("the document") ? "\"" + key + "\"" : where + "." + key;
    }

    private static String describe(Object v) {
        if (v == null) return "nothing";
        if (v instanceof String) return Untrusted.quote((String) v);
        if (v instanceof Map) return "an object";
        if (v instanceof Floats) return "a tensor";
        if (v instanceof List<?> l) return l.size() <= 4 && l.stream().allMatch(x -> x instanceof Json.Num) ? l.toString() : "an array";
        return Untrusted.quote(v.toString()).replace("\"", "");
    }
}
