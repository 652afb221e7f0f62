package teagrad.nn;

import teagrad.autograd.Ops;
import teagrad.autograd.Tensor;

/** tanh, elementwise: squashes to (−1, 1); its gradient 1 − t² vanishes where |t| → 1. */
public final class Tanh extends Layer {
    @Override public String type() { return "tanh"; }

    @Override int[] outShape(int[] in) { return in; }

    @Override public Tensor apply(Tensor x) { return Ops.tanh(x); }

    @Override public String toString() { return "Tanh()"; }
}
