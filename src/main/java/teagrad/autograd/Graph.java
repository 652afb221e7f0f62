package teagrad.autograd;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ops that lead to one output, in topological order (inputs before the ops that use them).
 * Built once per training setup; {@link #forward()} and {@link #backward()} then re-run the
 * same ops on the same buffers every step, as micrograd's {@code backward} walks its topo list.
 */
public final class Graph {
    public final Tensor output;
    private final Tensor[] ops;      // non-leaf tensors, topological order

    public Graph(Tensor output) {
        this.output = output;
        List<Tensor> order = new ArrayList<>();
        visit(output, new HashSet<>(), order);
        this.ops = order.toArray(new Tensor[0]);
    }

    // Depth-first post-order; plain recursion is fine, the chapter's graph is ~10 ops deep.
    private static void visit(Tensor t, Set<Tensor> seen, List<Tensor> order) {
        if (!seen.add(t)) return;
        for (Tensor in : t.inputs) visit(in, seen, order);
        if (!t.isLeaf()) order.add(t);
    }

    /** The ops in the order forward() runs them (for StepProfile). */
    public Tensor[] ops() { return ops.clone(); }

    /** Recomputes every op from the current leaf values. */
    public void forward() {
        for (Tensor t : ops) t.forward.run();
    }

    /** Clears every op's gradient (not the leaves'): the first thing {@link #backward()} does. */
    public void zeroOpGrads() {
        for (Tensor t : ops) if (t.viewOf == null) t.zeroGrad();   // a view's grad is its base's
    }

    /**
     * Sets d(output)/d(output) = 1 and propagates to every tensor. Intermediate gradients are
     * cleared first; leaf gradients (parameters) accumulate until {@code zeroGrad}.
     */
    public void backward() {
        if (output.size() != 1) {
            throw new IllegalStateException("backward needs a single-value output, got " + output);
        }
        zeroOpGrads();
        output.grad[0] = 1f;
        for (int i = ops.length - 1; i >= 0; i--) {
            Tensor t = ops[i];
            for (Runnable b : t.backward) b.run();
        }
    }
}
