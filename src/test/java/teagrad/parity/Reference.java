package teagrad.parity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import teagrad.modelfile.Json;

/**
 * PyTorch reference vectors from the test classpath, src/test/resources/reference/*.json, written
 * by tools/make_reference.py (each file's "about" states its conventions, "storage" its format).
 * A tensor is {"shape": [...], "f32": base64 of its row-major values as little-endian float32}.
 */
final class Reference {
    final String file;
    final Map<String, Object> root;

    private Reference(String file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    @SuppressWarnings("unchecked")
    static Reference load(String file) {
        try (InputStream in = Reference.class.getResourceAsStream("/reference/" + file)) {
            if (in == null) throw new IllegalStateException("no reference/" + file + " on the test classpath (src/test/resources)");
            return new Reference(file, (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at a dotted path; a number as a list index ("train.outputs.3"). */
    @SuppressWarnings("unchecked")
    Object get(String dotted) {
        Object v = root;
        for (String k : dotted.split("\\.")) {
            v = v instanceof List<?> l ? l.get(Integer.parseInt(k)) : ((Map<String, Object>) v).get(k);
            if (v == null) throw new IllegalArgumentException(file + " has no " + dotted);
        }
        return v;
    }

    Map<String, Object> node(String dotted) { return map(get(dotted)); }

    @SuppressWarnings("unchecked")
    List<Object> list(String dotted) { return (List<Object>) get(dotted); }

    double number(String dotted) { return ((Json.Num) get(dotted)).doubleValue(); }

    int integer(String dotted) { return (int) number(dotted); }

    float[] floats(String dotted) { return floats(node(dotted)); }

    /** A tensor's values widened to double (exactly). */
    double[] tensor(String dotted) { return tensor(node(dotted)); }

    int[] shape(String dotted) { return shape(node(dotted)); }

    /** The inputs: X flattened row by row, or Y. */
    int[] ints(String dotted) {
        return list(dotted).stream()
            .flatMap(r -> r instanceof List<?> row ? row.stream() : java.util.stream.Stream.of(r))
            .mapToInt(v -> (int) ((Json.Num) v).doubleValue())
            .toArray();
    }

    /** A {"shape", "f32"} tensor's values. */
    static float[] floats(Map<String, Object> tensor) {
        byte[] bytes = Base64.getDecoder().decode((String) tensor.get("f32"));
        float[] f = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        int size = 1;
        for (int d : shape(tensor)) size *= d;
        if (size != f.length) throw new IllegalArgumentException("tensor of shape " + tensor.get("shape") + " holds " + f.length + " values");
        return f;
    }

    @SuppressWarnings("unchecked")
    static int[] shape(Map<String, Object> tensor) {
        return ((List<Object>) tensor.get("shape")).stream().mapToInt(v -> (int) ((Json.Num) v).doubleValue()).toArray();
    }

    /** A tensor node's values widened to double (exactly). */
    static double[] tensor(Map<String, Object> tensor) { return widen(floats(tensor)); }

    // ---- inside a node: reading lists of layers and entries

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key) { return (List<Object>) m.get(key); }

    static double num(Map<String, Object> m, String key) { return ((Json.Num) m.get(key)).doubleValue(); }

    static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < d.length; i++) d[i] = f[i];
        return d;
    }
}
