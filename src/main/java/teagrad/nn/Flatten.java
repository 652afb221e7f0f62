package teagrad.nn;

import teagrad.autograd.Ops;
import teagrad.autograd.Tensor;

/** [B, block, embed] → [B, block·embed]: the notebook's {@code emb.view(B, -1)}; nothing moves. */
public final class Flatten extends Layer {
    @Override public String type() { return "flatten"; }

    @Override int[] outShape(int[] in) {
        int n = 1;
        for (int d : in) n *= d;
        return new int[] {n};
    }

    @Override public Tensor apply(Tensor x) { return Ops.view(x, x.dim(0), x.size() / x.dim(0)); }

    @Override public String toString() { return "Flatten()"; }
}
