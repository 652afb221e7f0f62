package teagrad.train;

import teagrad.autograd.Tensor;

/**
 * Where a trainer's parameters are while it takes a run of steps ({@link Trainer#runSteps}), and
 * the step's own loops over them: zeroing the gradients, checking them, the SGD update. These are
 * the float[]s' loops, which the JVM and the JavaScript worker run. The WebAssembly worker installs
 * its own ({@link #install}, teagrad.web.SimdWeights): it keeps the weights that only products read
 * ({@link Tensor#productsOnly}) in linear memory from {@link #begin} to {@link #end}, where the
 * products read them and add to their gradients in place and the module checks and updates them
 * four at a time, instead of copying each in and out every step.
 */
public class Parameters {
    private static Parameters installed = new Parameters();

    /** Where the trainers built from now on keep their parameters. */
    public static Parameters installed() { return installed; }

    /** Makes trainers built from now on use {@code kind}: the WebAssembly worker's, at its start. */
    public static void install(Parameters kind) { installed = kind; }

    /** A run of steps begins (nothing moves in float[]s). */
    public void begin(Tensor[] params) {}

    /** The run ends: every parameter's float[]s hold its values and gradient again. */
    public void end() {}

    /** p.grad = 0. */
    public void zeroGrad(Tensor p) { p.zeroGrad(); }

    /** Whether no gradient of p is NaN or ±∞. */
    public boolean gradFinite(Tensor p) { return allFinite(p.grad); }

    /** p −= lr · dp. */
    public void sgd(Tensor p, float lr) {
        float[] d = p.data, g = p.grad;
        for (int i = 0; i < d.length; i++) d[i] -= lr * g[i];
    }

    /**
     * Whether no value is NaN or ±∞, read from the bits: an exponent of all ones is those and only
     * those. 2.3× as fast as testing g·0 ≠ 0 on HotSpot, 1.2× in the WebAssembly worker (stop 29).
     */
    public static boolean allFinite(float[] a) {
        for (float g : a) if ((Float.floatToRawIntBits(g) & 0x7f800000) == 0x7f800000) return false;
        return true;
    }
}
