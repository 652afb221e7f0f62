package teagrad.web;

import org.teavm.interop.Address;
import teagrad.autograd.Tensor;
import teagrad.train.Parameters;

/**
 * The WebAssembly worker's {@link Parameters}: while a trainer takes a run of steps, each
 * linear layer's weight (the parameters only products read, {@link Tensor#productsOnly}) lives in
 * linear memory, its values and its gradient as rows laid out as {@link Simd.MemoryScratch}'s rows
 * (padded to whole f32x4s). The scratch's products find them there ({@link #of}): they read the
 * values as rows or coefficients and add into the gradient as their accumulators, with no copy; the
 * module zeroes, checks and updates them four at a time. Before, every step copied each weight into
 * the module's memory twice and its gradient in and out, and ran the update and the check as scalar
 * loops over Java's arrays. The float[]s are brought up to date when the run ends, so everything
 * outside a run (the views, eval, saving) reads them as usual.
 *
 * <p>Padded lanes: the values' and gradients' lanes past a row's length start at zero and stay so
 * (the rows a product adds into a gradient have zeros there, and so does the update); where a
 * non-finite coefficient makes one NaN, it makes that row's own lanes NaN or ±∞ too, so the check
 * over whole rows answers as the check over the float[] does.
 */
final class SimdWeights extends Parameters {

    /** One weight in linear memory: [rows × length] as rows {@code stride} floats apart. */
    static final class Weight {
        float[] data, grad;
        int rows, length, stride;
        final Simd.Region values = new Simd.Region(), grads = new Simd.Region();

        int valuesAt() { return values.address; }

        int gradsAt() { return grads.address; }

        /** The byte address of element i of the float[] a (this weight's data or grad), in its place here. */
        int address(float[] a, int i) { return (a == data ? values.address : grads.address) + 4 * ((i / length) * stride + i % length); }
    }

    /** The weights of the run in progress (none outside a run); slots reused from run to run. */
    private static Weight[] slots = new Weight[0];
    private static int held;
    private final Simd.Region flag = new Simd.Region();   // notFinite's answer

    /** The weight whose values or gradient a is, while a run keeps it here; else null. */
    static Weight of(float[] a) {
        for (int i = 0; i < held; i++) {
            Weight w = slots[i];
            if (w.data == a || w.grad == a) return w;
        }
        return null;
    }

    @Override public void begin(Tensor[] params) {
        held = 0;
        for (Tensor p : params) {
            if (!p.productsOnly() || p.shape.length != 2) continue;
            if (held == slots.length) slots = java.util.Arrays.copyOf(slots, held + 4);
            if (slots[held] == null) slots[held] = new Weight();
            Weight w = slots[held++];
            w.data = p.data;
            w.grad = p.grad;
            w.rows = p.dim(0);
            w.length = p.dim(1);
            w.stride = Simd.MemoryScratch.padded(w.length);
            w.values.reserve(w.rows * w.stride);
            w.grads.reserve(w.rows * w.stride);
            for (int r = 0; r < w.rows; r++) {
                int at = 4 * r * w.stride, pad = 4 * w.length;
                Simd.MemoryScratch.copyIn(w.data, r * w.length, w.length, w.values.address + at);
                Simd.MemoryScratch.copyIn(w.grad, r * w.length, w.length, w.grads.address + at);
                Simd.MemoryScratch.fill(w.values.address + at + pad, w.stride - w.length, 0f);
                Simd.MemoryScratch.fill(w.grads.address + at + pad, w.stride - w.length, 0f);
            }
        }
    }

    @Override public void end() {
        for (int i = 0; i < held; i++) {
            Weight w = slots[i];
            for (int r = 0; r < w.rows; r++) {
                Simd.MemoryScratch.copyOut(w.values.address + 4 * r * w.stride, w.data, r * w.length, w.length);
                Simd.MemoryScratch.copyOut(w.grads.address + 4 * r * w.stride, w.grad, r * w.length, w.length);
            }
            w.data = w.grad = null;   // old models' arrays are not kept alive
        }
        held = 0;
    }

    @Override public void zeroGrad(Tensor p) {
        Weight w = of(p.grad);
        if (w == null) super.zeroGrad(p);
        else Simd.zero(w.gradsAt(), w.rows * w.stride);
    }

    @Override public boolean gradFinite(Tensor p) {
        Weight w = of(p.grad);
        if (w == null) return super.gradFinite(p);
        int out = flag.reserve(1);
        Simd.notFinite(w.gradsAt(), w.rows * w.stride, out);
        return Address.fromInt(out).getInt() == 0;
    }

    @Override public void sgd(Tensor p, float lr) {
        Weight w = of(p.data);
        if (w == null) super.sgd(p, lr);
        else Simd.sgd(w.valuesAt(), w.gradsAt(), w.rows * w.stride, Float.floatToRawIntBits(lr));
    }
}
