package teagrad.diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import teagrad.autograd.Tensor;
import teagrad.nn.Embedding;
import teagrad.nn.Layer;
import teagrad.nn.Linear;
import teagrad.nn.Sequential;
import teagrad.nn.Tanh;

/**
 * The lecture's look inside the network, for the step just taken, read from that step's
 * buffers (never an extra forward, which would move batch norm's running statistics):
 * <ul>
 * <li>every tanh layer's output t: mean, std, saturation (the fraction of |t| > 0.97, where the
 *     gradient 1 − t² is nearly 0), histogram; and the same of its gradient dL/dt;</li>
 * <li>every 2-D weight (the embedding and the linear layers): gradient mean and std, the
 *     grad:data ratio std(grad)/std(data), and log10 of the update:data ratio
 *     std(lr·grad)/std(data), which the lecture keeps near −3.</li>
 * </ul>
 */
public final class Diagnostics {
    /** |t| above this counts as saturated. */
    public static final float SATURATED = 0.97f;

    public final float lr;
    public final List<TanhLayer> tanh;
    public final List<Weight> weights;

    public static final class TanhLayer {
        public final int layer;          // index in the network
        public final String label;       // "Tanh 1", "Tanh 2", …
        public final Stats out, grad;
        public final double saturated;

        TanhLayer(int layer, String label, Tensor t) {
            this.layer = layer;
            this.label = label;
            out = new Stats(t.data);
            grad = new Stats(t.grad);
            saturated = Stats.fractionAbove(t.data, SATURATED);
        }
    }

    public static final class Weight {
        public final int layer;
        public final String label;       // "Embedding", "Linear 1", …
        public final int[] shape;
        public final double gradMean, gradStd, gradToData, log10UpdateToData;

        Weight(int layer, String label, Tensor w, float lr) {
            this.layer = layer;
            this.label = label;
            shape = w.shape.clone();
            Stats g = new Stats(w.grad), d = new Stats(w.data);
            gradMean = g.mean;
            gradStd = g.std;
            gradToData = g.std / d.std;
            log10UpdateToData = Math.log10(lr * g.std / d.std);   // std(lr·grad) = lr·std(grad)
        }
    }

    /** From the buffers of {@code pass} after its forward and backward; lr is the step's learning rate. */
    public Diagnostics(Sequential net, Sequential.Pass pass, float lr) {
        this.lr = lr;
        List<TanhLayer> ts = new ArrayList<>();
        List<Weight> ws = new ArrayList<>();
        int linears = 0;
        for (int i = 0; i < net.size(); i++) {
            Layer l = net.layer(i);
            if (l instanceof Tanh) ts.add(new TanhLayer(i, "Tanh " + (ts.size() + 1), pass.output(i)));
            else if (l instanceof Embedding e) ws.add(new Weight(i, "Embedding", e.weight, lr));
            else if (l instanceof Linear lin) ws.add(new Weight(i, "Linear " + ++linears, lin.weight, lr));
        }
        tanh = Collections.unmodifiableList(ts);
        weights = Collections.unmodifiableList(ws);
    }

    /** The lecture's white-pixel picture of layer i: 1 where |t| > 0.97, [batch × units] row-major. */
    public static byte[] saturation(Sequential.Pass pass, int layer) {
        float[] t = pass.output(layer).data;
        byte[] bits = new byte[t.length];
        for (int k = 0; k < t.length; k++) bits[k] = (byte) (Math.abs(t[k]) > SATURATED ? 1 : 0);
        return bits;
    }

    /** The lecture's printout: a line per tanh layer, then a line per weight. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append("layer (tanh)        mean      std   saturated   grad mean  grad std\n");
        for (TanhLayer t : tanh) {
            b.append(pad(t.label + " (" + t.layer + ")", 16)).append(fixed(t.out.mean, 9, 4)).append(fixed(t.out.std, 9, 4))
             .append(fixed(100 * t.saturated, 10, 2)).append("%").append(sci(t.grad.mean, 12)).append(sci(t.grad.std, 10)).append('\n');
        }
        b.append("weight              shape       grad mean  grad std  grad:data  log10(update:data)\n");
        for (Weight w : weights) {
            b.append(pad(w.label + " (" + w.layer + ")", 16)).append(pad(" " + w.shape[0] + "×" + w.shape[1], 12))
             .append(sci(w.gradMean, 12)).append(sci(w.gradStd, 10)).append(sci(w.gradToData, 11)).append(fixed(w.log10UpdateToData, 10, 2)).append('\n');
        }
        return b.toString();
    }

    /** As one JSON object (histograms included: 100 densities over [min, max]). */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"lr\": ").append(lr).append(", \"tanh\": [");
        for (int i = 0; i < tanh.size(); i++) {
            TanhLayer t = tanh.get(i);
            b.append(i == 0 ? "" : ", ").append("{\"layer\": ").append(t.layer).append(", \"label\": \"").append(t.label)
             .append("\", \"mean\": ").append(num(t.out.mean)).append(", \"std\": ").append(num(t.out.std))
             .append(", \"saturated\": ").append(num(t.saturated))
             .append(", \"gradMean\": ").append(num(t.grad.mean)).append(", \"gradStd\": ").append(num(t.grad.std))
             .append(", \"histogram\": ");
            histogram(b, t.out);
            b.append(", \"gradHistogram\": ");
            histogram(b, t.grad);
            b.append('}');
        }
        b.append("], \"weights\": [");
        for (int i = 0; i < weights.size(); i++) {
            Weight w = weights.get(i);
            b.append(i == 0 ? "" : ", ").append("{\"layer\": ").append(w.layer).append(", \"label\": \"").append(w.label)
             .append("\", \"shape\": [").append(w.shape[0]).append(", ").append(w.shape[1])
             .append("], \"gradMean\": ").append(num(w.gradMean)).append(", \"gradStd\": ").append(num(w.gradStd))
             .append(", \"gradToData\": ").append(num(w.gradToData)).append(", \"log10UpdateToData\": ").append(num(w.log10UpdateToData))
             .append('}');
        }
        return b.append("]}").toString();
    }

    private static void histogram(StringBuilder b, Stats s) {
        b.append("{\"min\": ").append(num(s.min)).append(", \"max\": ").append(num(s.max)).append(", \"density\": [");
        for (int i = 0; i < s.density.length; i++) b.append(i == 0 ? "" : ", ").append(s.density[i]);
        b.append("]}");
    }

    /** JSON has no NaN or Infinity: those become null. */
    private static String num(double v) { return Double.isFinite(v) ? Double.toString(v) : "null"; }

    // By hand, not String.format: TeaVM's Formatter would add ~170 KB to the worker.
    static String fixed(double v, int width, int decimals) {
        if (!Double.isFinite(v)) return pad("", width - String.valueOf(v).length()) + v;
        long scale = 1;
        for (int i = 0; i < decimals; i++) scale *= 10;
        long r = Math.round(Math.abs(v) * scale);
        String digits = Long.toString(r / scale);
        if (decimals > 0) {
            String frac = Long.toString(r % scale);
            digits += "." + "0".repeat(decimals - frac.length()) + frac;
        }
        String s = (v < 0 && r != 0 ? "-" : "") + digits;
        return " ".repeat(Math.max(1, width - s.length())) + s;
    }

    /** v as d.dde±x, right-aligned. */
    static String sci(double v, int width) {
        String s;
        if (v == 0 || !Double.isFinite(v)) s = v == 0 ? "0" : String.valueOf(v);
        else {
            int e = (int) Math.floor(Math.log10(Math.abs(v)));
            double m = v / Math.pow(10, e);
            if (Math.abs(Math.round(m * 100)) >= 1000) { m /= 10; e++; }
            s = fixed(m, 0, 2).trim() + "e" + e;
        }
        return " ".repeat(Math.max(1, width - s.length())) + s;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(1, width - s.length()));
    }
}
