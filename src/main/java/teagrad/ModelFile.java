package teagrad;

import java.util.List;
import java.util.Map;

/**
 * The model file: one JSON document the CLI and the browser both write and read.
 * <pre>
 * {"format": "teagrad-model", "version": 1, "vocab": ".abc…", "step": 200000,
 *  "config": {"vocabSize": 27, "blockSize": 3, "embedDim": 10, "hidden": 200, "batchNorm": true, …},
 *  "layers": [{"type": "embedding", "weight": T}, {"type": "flatten"},
 *             {"type": "linear", "weight": T, "bias": null},
 *             {"type": "batchnorm1d", "weight": T, "bias": T, "runningMean": T, "runningVar": T, "eps": e, "momentum": m},
 *             {"type": "tanh"}, {"type": "linear", "weight": T, "bias": T}]}
 * </pre>
 * Layers mirror a PyTorch nn.Sequential; tensors are {"shape": [...], "data": [...]} row-major,
 * linear weights stored [in, out]. Reading checks everything and names what is wrong.
 */
public final class ModelFile {
    private ModelFile() {}

    public static final String FORMAT = "teagrad-model";
    public static final int VERSION = 1;

    /** A model read from a file, with the number of steps it had been trained for. */
    public static final class Loaded {
        public final Mlp model;
        public final int step;

        Loaded(Mlp model, int step) {
            this.model = model;
            this.step = step;
        }
    }

    // ---- writing ----

    public static String write(Mlp m, int step) {
        Config c = m.config;
        StringBuilder b = new StringBuilder(256 * 1024);
        b.append("{\"format\": \"").append(FORMAT).append("\", \"version\": ").append(VERSION)
         .append(",\n \"vocab\": ").append(Json.quote(m.vocab.toString()))
         .append(",\n \"step\": ").append(step)
         .append(",\n \"config\": {\"vocabSize\": ").append(m.vocab.size())
         .append(", \"blockSize\": ").append(c.blockSize).append(", \"embedDim\": ").append(c.embedDim)
         .append(", \"hidden\": ").append(c.hidden).append(", \"batchNorm\": ").append(c.batchNorm)
         .append(", \"momentum\": ").append(c.momentum).append(", \"eps\": ").append(c.eps)
         .append(", \"initGain\": ").append(c.initGain).append(", \"outScale\": ").append(c.outScale)
         .append(", \"batchSize\": ").append(c.batchSize).append(", \"lr\": ").append(c.lr)
         .append(", \"lrDecayStep\": ").append(c.lrDecayStep).append(", \"steps\": ").append(c.steps)
         .append(", \"seed\": ").append(c.seed).append(", \"evalEvery\": ").append(c.evalEvery).append("},\n \"layers\": [\n  ");
        b.append("{\"type\": \"embedding\", \"weight\": "); tensor(b, m.C.data, m.C.shape); b.append("},\n  ");
        b.append("{\"type\": \"flatten\"},\n  ");
        b.append("{\"type\": \"linear\", \"weight\": "); tensor(b, m.W1.data, m.W1.shape);
        b.append(", \"bias\": ");
        if (m.b1 == null) b.append("null"); else tensor(b, m.b1.data, m.b1.shape);
        b.append("},\n  ");
        if (m.bn != null) {
            BatchNorm1d bn = m.bn;
            int[] s = {bn.features};
            b.append("{\"type\": \"batchnorm1d\", \"weight\": "); tensor(b, bn.gamma.data, s);
            b.append(", \"bias\": "); tensor(b, bn.beta.data, s);
            b.append(", \"runningMean\": "); tensor(b, bn.runningMean, s);
            b.append(", \"runningVar\": "); tensor(b, bn.runningVar, s);
            b.append(", \"eps\": ").append(bn.eps).append(", \"momentum\": ").append(bn.momentum).append("},\n  ");
        }
        b.append("{\"type\": \"tanh\"},\n  ");
        b.append("{\"type\": \"linear\", \"weight\": "); tensor(b, m.W2.data, m.W2.shape);
        b.append(", \"bias\": "); tensor(b, m.b2.data, m.b2.shape);
        b.append("}\n ]}\n");
        return b.toString();
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
        if (version != VERSION) {
            throw new IllegalArgumentException("model file: version " + version + " is not supported (this teagrad reads version " + VERSION + ")");
        }
        Vocab vocab;
        try {
            vocab = Vocab.parse(string(root, "vocab", "the document"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file: " + e.getMessage());
        }
        Map<String, Object> cfg = object(root.get("config"), "\"config\"");
        Config c = new Config();
        int vocabSize = integer(cfg, "vocabSize", "config");
        if (vocabSize != vocab.size()) {
            throw new IllegalArgumentException("model file: config.vocabSize is " + vocabSize + " but the vocab has " + vocab.size() + " characters");
        }
        c.blockSize = integer(cfg, "blockSize", "config");
        c.embedDim = integer(cfg, "embedDim", "config");
        c.hidden = integer(cfg, "hidden", "config");
        c.batchNorm = bool(cfg, "batchNorm", "config");
        c.momentum = optionalFloat(cfg, "momentum", c.momentum);
        c.eps = optionalFloat(cfg, "eps", c.eps);
        c.initGain = optionalFloat(cfg, "initGain", c.initGain);
        c.outScale = optionalFloat(cfg, "outScale", c.outScale);
        c.batchSize = cfg.containsKey("batchSize") ? integer(cfg, "batchSize", "config") : c.batchSize;
        c.lr = optionalFloat(cfg, "lr", c.lr);
        c.lrDecayStep = cfg.containsKey("lrDecayStep") ? integer(cfg, "lrDecayStep", "config") : c.lrDecayStep;
        c.steps = cfg.containsKey("steps") ? integer(cfg, "steps", "config") : c.steps;
        c.seed = cfg.containsKey("seed") ? (long) number(cfg, "seed", "config") : c.seed;
        c.evalEvery = cfg.containsKey("evalEvery") ? integer(cfg, "evalEvery", "config") : c.evalEvery;
        try {
            c.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file: config: " + e.getMessage());
        }
        int step = root.containsKey("step") ? integer(root, "step", "the document") : 0;
        if (step < 0) throw new IllegalArgumentException("model file: \"step\" must not be negative");

        Mlp m = new Mlp(c, vocab);
        List<Object> layers = list(root.get("layers"), "\"layers\"");
        String[] expected = c.batchNorm
            ? new String[] {"embedding", "flatten", "linear", "batchnorm1d", "tanh", "linear"}
            : new String[] {"embedding", "flatten", "linear", "tanh", "linear"};
        if (layers.size() != expected.length) {
            throw new IllegalArgumentException("model file: expected " + expected.length + " layers (" + String.join(", ", expected) + "), got " + layers.size());
        }
        int fanIn = c.blockSize * c.embedDim;
        for (int i = 0; i < expected.length; i++) {
            String where = "layers[" + i + "]";
            Map<String, Object> layer = object(layers.get(i), where);
            Object type = layer.get("type");
            if (!expected[i].equals(type)) {
                throw new IllegalArgumentException("model file: " + where + " must be \"" + expected[i] + "\", got " + describe(type));
            }
            switch (expected[i]) {
                case "embedding":
                    load(layer, "weight", where, m.C.data, vocab.size(), c.embedDim);
                    break;
                case "linear":
                    boolean first = i == 2;   // layers[2] is W1, the last layer W2
                    if (first) {
                        load(layer, "weight", where, m.W1.data, fanIn, c.hidden);
                        if (m.b1 == null) {
                            if (layer.get("bias") != null) throw new IllegalArgumentException("model file: " + where + ".bias must be null: with batch norm the first linear layer has no bias");
                        } else {
                            load(layer, "bias", where, m.b1.data, c.hidden);
                        }
                    } else {
                        load(layer, "weight", where, m.W2.data, c.hidden, vocab.size());
                        load(layer, "bias", where, m.b2.data, vocab.size());
                    }
                    break;
                case "batchnorm1d":
                    BatchNorm1d bn = m.bn;
                    load(layer, "weight", where, bn.gamma.data, c.hidden);
                    load(layer, "bias", where, bn.beta.data, c.hidden);
                    load(layer, "runningMean", where, bn.runningMean, c.hidden);
                    load(layer, "runningVar", where, bn.runningVar, c.hidden);
                    for (float v : bn.runningVar) {
                        if (v < 0) throw new IllegalArgumentException("model file: " + where + ".runningVar has a negative variance " + v);
                    }
                    float eps = (float) number(layer, "eps", where), mom = (float) number(layer, "momentum", where);
                    if (eps != c.eps || mom != c.momentum) {
                        throw new IllegalArgumentException("model file: " + where + " eps/momentum (" + eps + ", " + mom + ") differ from config (" + c.eps + ", " + c.momentum + ")");
                    }
                    break;
                default:
                    break;   // flatten and tanh carry no numbers
            }
        }
        return new Loaded(m, step);
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

    private static float optionalFloat(Map<String, Object> m, String key, float fallback) {
        return m.containsKey(key) ? (float) number(m, key, "config") : fallback;
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
