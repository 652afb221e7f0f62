package teagrad.modelfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 *             {"type": "tanh"}, {"type": "linear", "weight": T, "bias": T}]}
 * </pre>
 * The layer list is the network: a PyTorch nn.Sequential of Embedding, Flatten, Linear,
 * BatchNorm1d and Tanh, any widths and depth whose shapes chain. Tensors are
 * {"shape": [...], "data": [...]} row-major, linear weights stored [in, out]. Only
 * config.blockSize is required; the other settings default as {@code train}'s do.
 * Version 1 (the chapter's fixed network, with embedDim and hidden in its config) still reads.
 * Reading checks everything and names what is wrong.
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

        Loaded(Model model, int step, History history) {
            this.model = model;
            this.step = step;
            this.history = history;
        }
    }

    // ---- writing ----

    public static String write(Model m, int step) {
        return write(m, step, null);
    }

    /** With the run's curve as "history" (left out when null or empty). */
    public static String write(Model m, int step, History history) {
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
        b.append("\n ]");
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

    /** @throws IllegalArgumentException saying what is wrong with the file */
    public static Loaded read(String text) {
        Object doc;
        try {
            doc = Json.parse(text);
        } catch (Json.ParseError e) {
            throw new IllegalArgumentException("model file: " + e.getMessage());
        }
        Map<String, Object> root = object(doc, "the document");
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
        if (step < 0) throw new IllegalArgumentException("model file: \"step\" must not be negative");

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
        History history = root.containsKey("history") ? history(object(root.get("history"), "\"history\""), step) : null;
        return new Loaded(new Model(c, vocab, net), step, history);
    }

    /** The settings the config has; blockSize is required, the others default as train's do. */
    private static void readConfig(Map<String, Object> cfg, Config c) {
        if (!cfg.containsKey("blockSize")) throw new IllegalArgumentException("model file: config needs \"blockSize\"");
        try {
            for (Setting s : Settings.ALL) if (!s.inLayers()) s.read(key -> cfg.containsKey(key) ? setting(cfg.get(key)) : null, c);
            Settings.BLOCK_SIZE.check(c);   // the network is built with it before the whole config is validated
        } catch (Setting.Refused e) {
            throw new IllegalArgumentException("model file: config." + e.getMessage());
        }
    }

    /** A JSON value as the settings read it: numbers as Double, arrays of whole numbers as int[]. */
    private static Object setting(Object v) {
        if (v instanceof Json.Num n) return n.doubleValue();
        if (v instanceof Boolean || v instanceof String) return v;
        if (v instanceof List<?> list) {
            int[] ints = new int[list.size()];
            for (int i = 0; i < ints.length; i++) {
                double d = list.get(i) instanceof Json.Num n ? n.doubleValue() : Double.NaN;
                if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) return new Setting.Other("an array");
                ints[i] = (int) d;
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

    /** The optional curve: a batch loss per step (the last ones up to "step") and dev losses at steps. */
    private static History history(Map<String, Object> h, int step) {
        float[] losses = floats(list(h.get("losses"), "history.losses"));
        float[] devLosses = floats(list(h.get("devLosses"), "history.devLosses"));
        List<Object> steps = list(h.get("devSteps"), "history.devSteps");
        int[] devSteps = new int[steps.size()];
        for (int i = 0; i < devSteps.length; i++) {
            double d = steps.get(i) instanceof Json.Num n ? n.doubleValue() : Double.NaN;
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("model file: history.devSteps[" + i + "] is " + describe(steps.get(i)) + ", not a step");
            }
            devSteps[i] = (int) d;
        }
        try {
            return History.of(losses, devSteps, devLosses, step);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file: " + e.getMessage());
        }
    }

    /** Numbers as floats; anything else becomes NaN, which the checks after this refuse. */
    private static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i) instanceof Json.Num n ? n.floatValue() : Float.NaN;
        return out;
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
        int[] width = {0};   // features coming into the next layer (after a flatten or a linear layer)
        for (int i = 0; i < specs.size(); i++) {
            String where = "layers[" + i + "]";
            Map<String, Object> spec = object(specs.get(i), where);
            Object type = spec.get("type");
            Layer layer;
            if ("embedding".equals(type)) {
                int[] s = shape(spec, "weight", where, 2);
                if (s[0] != vocab.size()) throw new IllegalArgumentException("model file: " + where + ".weight has " + s[0] + " rows, but the vocab has " + vocab.size() + " characters");
                Embedding e = new Embedding(s[0], s[1]);
                load(spec, "weight", where, e.weight.data, s);
                layer = e;
            } else if ("linear".equals(type)) {
                int[] s = shape(spec, "weight", where, 2);
                Linear lin = new Linear(s[0], s[1], spec.get("bias") != null);
                load(spec, "weight", where, lin.weight.data, s);
                if (lin.bias != null) load(spec, "bias", where, lin.bias.data, s[1]);
                layer = lin;
            } else if ("batchnorm1d".equals(type)) {
                int n = shape(spec, "weight", where, 1)[0];
                float eps = (float) number(spec, "eps", where), mom = (float) number(spec, "momentum", where);
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
        if (!widths.isEmpty() && widths.size() <= Config.MAX_LAYERS) {
            c.widths = new int[widths.size()];
            for (int i = 0; i < c.widths.length; i++) c.widths[i] = widths.get(i);
        }
    }

    /** The shape of a tensor field: {@code rank} whole numbers ≥ 1. */
    private static int[] shape(Map<String, Object> layer, String key, String where, int rank) {
        String name = where + "." + key;
        Map<String, Object> t = object(layer.get(key), name);
        List<Object> s = list(t.get("shape"), name + ".shape");
        if (s.size() != rank) throw new IllegalArgumentException("model file: " + name + " has shape " + s + ", expected " + rank + " dimensions");
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            Object v = s.get(i);
            double d = v instanceof Json.Num n ? n.doubleValue() : Double.NaN;
            if (!(d >= 1 && d <= 1 << 24 && d == Math.rint(d))) throw new IllegalArgumentException("model file: " + name + ".shape[" + i + "] is " + describe(v) + ", not a size");
            out[i] = (int) d;
        }
        return out;
    }

    private static void load(Map<String, Object> layer, String key, String where, float[] into, int... shape) {
        String name = where + "." + key;
        Map<String, Object> t = object(layer.get(key), name);
        List<Object> s = list(t.get("shape"), name + ".shape");
        boolean same = s.size() == shape.length;
        for (int i = 0; same && i < shape.length; i++) {
            same = s.get(i) instanceof Json.Num n && n.text.equals(Integer.toString(shape[i]));
        }
        if (!same) {
            throw new IllegalArgumentException("model file: " + name + " has shape " + s + ", expected " + java.util.Arrays.toString(shape));
        }
        List<Object> data = list(t.get("data"), name + ".data");
        if (data.size() != into.length) {
            throw new IllegalArgumentException("model file: " + name + " has " + data.size() + " values, its shape needs " + into.length);
        }
        for (int i = 0; i < into.length; i++) {
            Object v = data.get(i);
            float f = v instanceof Json.Num n ? n.floatValue() : Float.NaN;
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException("model file: " + name + ".data[" + i + "] is " + describe(v) + ", not a finite float");
            }
            into[i] = f;
        }
    }

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

    private static double number(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        double d = v instanceof Json.Num n ? n.doubleValue() : Double.NaN;
        if (!Double.isFinite(d)) throw new IllegalArgumentException("model file: " + where + " needs \"" + key + "\" as a finite number, got " + describe(v));
        return d;
    }

    private static int integer(Map<String, Object> m, String key, String where) {
        double d = number(m, key, where);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("model file: " + where + "." + key + " must be a whole number, got " + describe(m.get(key)));
        }
        return (int) d;
    }

    private static String describe(Object v) {
        if (v == null) return "nothing";
        if (v instanceof String) return Json.quote((String) v);
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "an array";
        String s = v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
