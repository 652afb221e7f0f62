package teagrad.autograd;

import java.util.Arrays;

/**
 * A tensor: a flat row-major {@code float[]} with a shape, its gradient, and how it was made.
 *
 * <p>Like the blog's {@code addOperation}, an op returns its result tensor together with one
 * backward function per input; each adds d(loss)/d(input) into {@code input.grad} (gradients
 * accumulate, as a value used twice gets both contributions). The op also keeps its forward
 * function and runs nothing yet: a {@link Graph} built once over the result runs the forwards
 * in order, and re-runs them step after step on the same buffers (no garbage per step).
 */
public final class Tensor {
    public final int[] shape;
    public final float[] data;
    /** d(loss)/d(this); same layout as {@link #data}. */
    public final float[] grad;
    /** Human-readable origin ("matmul", "tanh", or a parameter's name) for messages. */
    public final String name;

    /**
     * Set by the ops that read this tensor's values and add to its gradient only through
     * {@link Kernels}' products (a linear layer's weight): while a trainer takes a run of steps, its
     * parameters' keeper (teagrad.train.Parameters) may keep both where the products are (the
     * WebAssembly worker's linear memory), and brings the float[]s up to date after it.
     */
    boolean productsOnly;

    Tensor[] inputs = new Tensor[0];
    /** Set for a view: it shares data and grad with this tensor. */
    Tensor viewOf;
    Runnable forward;          // recomputes data from the inputs' data (null for leaves)
    Runnable[] backward;       // backward[i] adds this.grad's contribution into inputs[i].grad

    public Tensor(String name, int... shape) {
        this(name, shape, new float[size(shape)], new float[size(shape)]);
    }

    /** Shares {@code data} and {@code grad} with the caller: used by views. */
    Tensor(String name, int[] shape, float[] data, float[] grad) {
        if (data.length != size(shape)) {
            throw new IllegalArgumentException(name + ": " + data.length + " values cannot have shape " + Arrays.toString(shape));
        }
        this.name = name;
        this.shape = shape.clone();
        this.data = data;
        this.grad = grad;
    }

    /** A leaf holding a copy of {@code values}. */
    public static Tensor of(String name, float[] values, int... shape) {
        Tensor t = new Tensor(name, shape);
        if (values.length != t.data.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values cannot have shape " + Arrays.toString(shape));
        }
        System.arraycopy(values, 0, t.data, 0, values.length);
        return t;
    }

    /** Makes this tensor the result of an op: its inputs, its forward, one backward per input. */
    public Tensor define(Tensor[] inputs, Runnable forward, Runnable... backward) {
        if (backward.length != inputs.length) throw new IllegalStateException(name + ": one backward per input");
        this.inputs = inputs;
        this.forward = forward;
        this.backward = backward;
        return this;
    }

    /** The op's inputs, its forward and its backward functions (for StepProfile, which times each). */
    public Tensor[] inputs() { return inputs.clone(); }

    public Runnable forwardFunction() { return forward; }

    public Runnable[] backwardFunctions() { return backward.clone(); }

    public int size() { return data.length; }

    public int dim(int i) { return shape[i]; }

    public boolean isLeaf() { return forward == null; }

    /** Whether only {@link Kernels}' products read this tensor and add to its gradient (see the field). */
    public boolean productsOnly() { return productsOnly; }

    /** The only value of a one-element tensor (a loss). */
    public float item() {
        if (data.length != 1) throw new IllegalStateException(name + " has shape " + Arrays.toString(shape) + ", not a single value");
        return data[0];
    }

    /** Zeros to copy from: grows to the largest array cleared, never written. */
    private static float[] zeros = new float[0];

    /** grad = 0 ({@link #clear}). */
    public void zeroGrad() { clear(grad, 0, grad.length); }

    /**
     * a[from .. from + length) = 0, by copying zeros: in TeaVM's WebAssembly System.arraycopy is one
     * bulk array.copy while Arrays.fill is a loop of single stores (HotSpot does either at memory speed).
     */
    static void clear(float[] a, int from, int length) {
        float[] z = zeros;
        if (z.length < length) zeros = z = new float[length];
        System.arraycopy(z, 0, a, from, length);
    }

    public String shapeString() { return Arrays.toString(shape); }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String toString() { return name + shapeString(); }
}
