package teagrad.nn;

import java.util.List;
import teagrad.autograd.Ops;
import teagrad.autograd.Tensor;

/**
 * y = x·W (+ b). The weight is stored [in, out], as the notebook's W1 and W2 are (PyTorch keeps
 * [out, in]). No bias when batch norm follows: its β does that job.
 */
public final class Linear extends Layer {
    public final int in, out;
    public final Tensor weight;   // [in, out]
    public final Tensor bias;     // [out], or null

    public Linear(int in, int out, boolean bias) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear(" + in + ", " + out + "): sizes must be at least 1");
        this.in = in;
        this.out = out;
        weight = new Tensor("weight", in, out);
        this.bias = bias ? new Tensor("bias", out) : null;
    }

    @Override public String type() { return "linear"; }

    @Override public List<Tensor> parameters() { return bias == null ? List.of(weight) : List.of(weight, bias); }

    @Override int[] outShape(int[] x) {
        if (x.length != 1 || x[0] != in) throw new IllegalArgumentException("expects " + in + " inputs, but its input is " + describe(x));
        return new int[] {out};
    }

    @Override public Tensor apply(Tensor x) { return Ops.matmul(x, weight, bias); }

    @Override public String toString() { return "Linear(" + in + ", " + out + (bias == null ? ", bias=False)" : ")"); }
}
