package teagrad.parity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import teagrad.modelfile.Json;

/** PyTorch reference vectors from ../shared/reference/*.json (see each file's "about"). */
final class Reference {
    final Map<String, Object> root;

    private Reference(Map<String, Object> root) { this.root = root; }

    static Path dir() {
        return Path.of(System.getProperty("teagrad.reference", "../shared/reference"));
    }

    @SuppressWarnings("unchecked")
    static Reference load(String file) throws IOException {
        String text = Files.readString(dir().resolve(file), StandardCharsets.UTF_8);
        return new Reference((Map<String, Object>) Json.parse(text));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> node(String dotted) {
        Map<String, Object> m = root;
        for (String k : dotted.split("\\.")) m = (Map<String, Object>) m.get(k);
        return m;
    }

    double number(String dotted) {
        int dot = dotted.lastIndexOf('.');
        Object v = (dot < 0 ? root : node(dotted.substring(0, dot))).get(dotted.substring(dot + 1));
        return ((Json.Num) v).doubleValue();
    }

    int integer(String dotted) { return (int) number(dotted); }

    /** A tensor {"shape", "data"} as doubles. */
    @SuppressWarnings("unchecked")
    double[] tensor(String dotted) {
        List<Object> data = (List<Object>) node(dotted).get("data");
        double[] d = new double[data.size()];
        for (int i = 0; i < d.length; i++) d[i] = ((Json.Num) data.get(i)).doubleValue();
        return d;
    }

    float[] floats(String dotted) {
        double[] d = tensor(dotted);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** A list of lists of ints, flattened (inputs.X) or a list of ints (inputs.Y). */
    @SuppressWarnings("unchecked")
    int[] ints(String dotted) {
        int dot = dotted.lastIndexOf('.');
        List<Object> rows = (List<Object>) node(dotted.substring(0, dot)).get(dotted.substring(dot + 1));
        return rows.stream()
            .flatMap(r -> r instanceof List ? ((List<Object>) r).stream() : java.util.stream.Stream.of(r))
            .mapToInt(v -> (int) ((Json.Num) v).doubleValue())
            .toArray();
    }
}
