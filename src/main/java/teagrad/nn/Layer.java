package teagrad.nn;

import java.util.Arrays;
import java.util.List;
import teagrad.autograd.Tensor;

/**
 * A layer, as torch.nn calls a module: an op on a batch with the parameters it owns.
 * Shapes here are per example (the batch dimension is left out), as a {@link Sequential}
 * checks that one layer's output fits the next layer's input.
 */
public abstract class Layer {
    /** The name of this layer in the model file ("linear", "tanh", …). */
    public abstract String type();

    /** The tensors that SGD updates, in the model file's order (weight before bias). */
    public List<Tensor> parameters() { return List.of(); }

    /** Batch norm switches between batch and running statistics; the others have no mode. */
    public void train(boolean on) {}

    /** @throws IllegalArgumentException saying why an input of this shape does not fit */
    abstract int[] outShape(int[] in);

    /** The op on a batch x[B, …in]: builds the graph node, runs nothing yet. */
    public abstract Tensor apply(Tensor x);

    static String describe(int[] shape) {
        return shape.length == 1 ? shape[0] + " features" : Arrays.toString(shape) + " per example";
    }

    /** One line as PyTorch prints the module, e.g. {@code Linear(30, 200, bias=False)}. */
    @Override public abstract String toString();
}
