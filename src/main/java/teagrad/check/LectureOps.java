package teagrad.check;

import teagrad.autograd.FMath;
import teagrad.autograd.Ops;
import teagrad.autograd.Tensor;

/**
 * The elementary ops the lecture's part-4 forward is written in, as autograd ops on teagrad's
 * {@link Tensor}: a sum along a dimension, a row or a column vector broadcast against a matrix,
 * the max of each row, the element-wise square, exp, log, 1/x and (x + ε)^−½, and the pick and
 * average that ends the loss. The training graph needs none of them (cross-entropy and batch
 * norm are one fused op each there); {@link LectureGraph} needs them so that every intermediate
 * the lecture names gets a gradient from autograd. As in {@link Ops}, each op returns its result
 * and one backward per input, which adds into that input's grad. Tensors here are [n × m];
 * a row vector is [1 × m], a column vector [n × 1]. LectureOpsTest checks every backward against
 * finite differences in double precision.
 */
final class LectureOps {
    private LectureOps() {}

    /** scale · x.sum(dim, keepdim=True): dim 0 sums each column into a row [1 × m], dim 1 each row into a column [n × 1]. */
    static Tensor sum(Tensor x, int dim, float scale, String name) {
        int n = x.dim(0), m = x.dim(1);
        Tensor y = dim == 0 ? new Tensor(name, 1, m) : new Tensor(name, n, 1);
        return y.define(new Tensor[] {x},
            () -> {
                java.util.Arrays.fill(y.data, 0f);
                for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) y.data[dim == 0 ? j : i] += x.data[i * m + j];
                for (int k = 0; k < y.data.length; k++) y.data[k] = scale * y.data[k];
            },
            // every element added into y[j] (or y[i]) once: its gradient is scale·dy there
            () -> { for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) x.grad[i * m + j] += scale * y.grad[dim == 0 ? j : i]; });
    }

    private static final int PLUS = 0, MINUS = 1, TIMES = 2;

    /** x + v, v a row [1 × m] repeated down the rows or a column [n × 1] repeated across them. */
    static Tensor plus(Tensor x, Tensor v, String name) { return broadcast(x, v, PLUS, name); }

    /** x − v, broadcast as {@link #plus}. */
    static Tensor minus(Tensor x, Tensor v, String name) { return broadcast(x, v, MINUS, name); }

    /** x · v element-wise, broadcast as {@link #plus}. */
    static Tensor times(Tensor x, Tensor v, String name) { return broadcast(x, v, TIMES, name); }

    /**
     * y[i,j] = x[i,j] op v[at(i,j)] with at = j for a row vector and i for a column vector.
     * Backward: dx = dy (· v for a product); v was used in every row (or column), so its
     * gradient is the sum of dy (· x) over them, the lecture's .sum(0 or 1, keepdim=True).
     */
    private static Tensor broadcast(Tensor x, Tensor v, int op, String name) {
        Ops.requireRank(x, 2, name);
        Ops.requireRank(v, 2, name + " vector");
        int n = x.dim(0), m = x.dim(1);
        boolean row = v.dim(0) == 1 && v.dim(1) == m;
        if (!row && !(v.dim(0) == n && v.dim(1) == 1)) {
            throw new IllegalArgumentException(name + ": cannot broadcast " + v.shapeString() + " against " + x.shapeString());
        }
        Tensor y = new Tensor(name, n, m);
        return y.define(new Tensor[] {x, v},
            () -> {
                for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) {
                    float a = x.data[i * m + j], b = v.data[row ? j : i];
                    y.data[i * m + j] = op == PLUS ? a + b : op == MINUS ? a - b : a * b;
                }
            },
            () -> {
                for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) {
                    float dy = y.grad[i * m + j];
                    x.grad[i * m + j] += op == TIMES ? v.data[row ? j : i] * dy : dy;
                }
            },
            () -> {
                for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) {
                    float dy = y.grad[i * m + j];
                    v.grad[row ? j : i] += op == PLUS ? dy : op == MINUS ? -dy : x.data[i * m + j] * dy;
                }
            });
    }

    /** x.max(1, keepdim=True).values: [n × 1]; the gradient flows to the first largest element of each row. */
    static Tensor maxOfRows(Tensor x, String name) {
        int n = x.dim(0), m = x.dim(1);
        Tensor y = new Tensor(name, n, 1);
        int[] argmax = new int[n];
        return y.define(new Tensor[] {x},
            () -> {
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    for (int j = 1; j < m; j++) if (x.data[i * m + j] > x.data[i * m + best]) best = j;
                    argmax[i] = best;
                    y.data[i] = x.data[i * m + best];
                }
            },
            () -> { for (int i = 0; i < n; i++) x.grad[i * m + argmax[i]] += y.grad[i]; });
    }

    /** x²; d/dx = 2x. */
    static Tensor square(Tensor x, String name) {
        Tensor y = new Tensor(name, x.shape);
        return y.define(new Tensor[] {x},
            () -> { for (int k = 0; k < y.data.length; k++) y.data[k] = x.data[k] * x.data[k]; },
            () -> { for (int k = 0; k < y.data.length; k++) x.grad[k] += (2 * x.data[k]) * y.grad[k]; });
    }

    /** e^x (teagrad's {@link FMath#exp}); d/dx = e^x, the output itself. */
    static Tensor exp(Tensor x, String name) {
        Tensor y = new Tensor(name, x.shape);
        return y.define(new Tensor[] {x},
            () -> { for (int k = 0; k < y.data.length; k++) y.data[k] = FMath.exp(x.data[k]); },
            () -> { for (int k = 0; k < y.data.length; k++) x.grad[k] += y.data[k] * y.grad[k]; });
    }

    /** ln x (teagrad's {@link FMath#log}); d/dx = 1/x. */
    static Tensor log(Tensor x, String name) {
        Tensor y = new Tensor(name, x.shape);
        return y.define(new Tensor[] {x},
            () -> { for (int k = 0; k < y.data.length; k++) y.data[k] = FMath.log(x.data[k]); },
            () -> { for (int k = 0; k < y.data.length; k++) x.grad[k] += (1f / x.data[k]) * y.grad[k]; });
    }

    /** x**-1; d/dx = −x**-2. */
    static Tensor reciprocal(Tensor x, String name) {
        Tensor y = new Tensor(name, x.shape);
        return y.define(new Tensor[] {x},
            () -> { for (int k = 0; k < y.data.length; k++) y.data[k] = 1f / x.data[k]; },
            () -> { for (int k = 0; k < y.data.length; k++) x.grad[k] += -(1f / (x.data[k] * x.data[k])) * y.grad[k]; });
    }

    /** (x + ε)**-0.5, the inverse standard deviation; d/dx = −½·(x + ε)**-1.5, which is −½·y³. */
    static Tensor inverseSqrt(Tensor x, float eps, String name) {
        Tensor y = new Tensor(name, x.shape);
        return y.define(new Tensor[] {x},
            () -> { for (int k = 0; k < y.data.length; k++) y.data[k] = (float) (1 / Math.sqrt(x.data[k] + eps)); },
            () -> {
                for (int k = 0; k < y.data.length; k++) {
                    float r = y.data[k];
                    x.grad[k] += (-0.5f * (r * r * r)) * y.grad[k];
                }
            });
    }

    /** −logprobs[range(n), targets].mean(): the loss; each picked element gets −1/n of the gradient, the others none. */
    static Tensor negativeMeanOfPicked(Tensor logprobs, int[] targets, String name) {
        int n = logprobs.dim(0), v = logprobs.dim(1);
        Tensor loss = new Tensor(name, 1);
        return loss.define(new Tensor[] {logprobs},
            () -> {
                float sum = 0;
                for (int i = 0; i < n; i++) sum += logprobs.data[i * v + targets[i]];
                loss.data[0] = -sum / n;
            },
            () -> { for (int i = 0; i < n; i++) logprobs.grad[i * v + targets[i]] += (-1f / n) * loss.grad[0]; });
    }
}
