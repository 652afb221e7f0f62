package teagrad.check;

/**
 * One row of the lecture's comparison table (makemore part 4, "backprop ninja"):
 * <pre>
 *   def cmp(s, dt, t):
 *     ex = torch.all(dt == t.grad).item()
 *     app = torch.allclose(dt, t.grad)
 *     maxdiff = (dt - t.grad).abs().max().item()
 * </pre>
 * dt is the gradient written by hand, t.grad the one autograd computed. allclose is torch's:
 * |dt − t.grad| ≤ atol + rtol·|t.grad| for every element, with its defaults rtol 1e-5, atol 1e-8.
 */
public final class Cmp {
    public static final double RTOL = 1e-5, ATOL = 1e-8;

    /** The lecture's name of the tensor: "logprobs", "bnvar_inv", "W1", … */
    public final String name;
    /** Which of autograd's backwards computed t.grad: one of the four below. */
    public final String autograd;
    /** Bitwise equal, element for element. */
    public final boolean exact;
    /** torch.allclose(dt, t.grad). */
    public final boolean approx;
    /** max |dt − t.grad|. */
    public final double maxdiff;

    /** The training graph's fused cross-entropy backward: dlogits = (softmax − onehot)/n. */
    public static final String CROSS_ENTROPY = "crossEntropy";
    /** {@link teagrad.nn.BatchNorm1d}'s fused backward: dhprebn, dbngain, dbnbias. */
    public static final String BATCH_NORM = "batchNorm";
    /** The training graph's other ops: the products, tanh, the embedding. */
    public static final String GRAPH = "graph";
    /** The lecture's forward op by op ({@link LectureGraph}): the tensors the two fused ops keep inside. */
    public static final String ELEMENTARY = "elementary";

    private Cmp(String name, String autograd, boolean exact, boolean approx, double maxdiff) {
        this.name = name;
        this.autograd = autograd;
        this.exact = exact;
        this.approx = approx;
        this.maxdiff = maxdiff;
    }

    /** Compares the hand-written gradient dt with autograd's grad of the same tensor. */
    public static Cmp of(String name, float[] dt, float[] grad, String autograd) {
        if (dt.length != grad.length) {
            throw new IllegalArgumentException(name + ": the manual gradient has " + dt.length + " values, autograd's " + grad.length);
        }
        boolean exact = true, approx = true;
        double maxdiff = 0;
        for (int i = 0; i < dt.length; i++) {
            double diff = Math.abs((double) dt[i] - grad[i]);
            exact &= dt[i] == grad[i];                              // as torch's ==: 0 equals −0, NaN nothing
            approx &= diff <= ATOL + RTOL * Math.abs(grad[i]);     // false for NaN, as allclose
            maxdiff = Math.max(maxdiff, diff);                     // NaN stays NaN
        }
        return new Cmp(name, autograd, exact, approx, maxdiff);
    }

    @Override public String toString() {
        return name + " | exact: " + exact + " | approximate: " + approx + " | maxdiff: " + maxdiff;
    }
}
