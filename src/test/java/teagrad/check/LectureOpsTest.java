package teagrad.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teagrad.autograd.FiniteDifference.assertGradClose;

import java.util.Random;
import org.junit.jupiter.api.Test;
import teagrad.autograd.FiniteDifference;
import teagrad.autograd.FiniteDifference.Reference;
import teagrad.autograd.Graph;
import teagrad.autograd.Tensor;

/**
 * Every elementary op of the lecture's forward against central finite differences of a
 * double-precision reference written here. As in GradCheckTest: L = Σ r·out with fixed random
 * r, so the op's backward with out.grad = r is dL/d(input); the finite difference with h = 1e-6
 * in double is off by ~1e-10, the float32 backward by ~1e-6 of the largest gradient, and we
 * allow 1e-4 of it, while a wrong formula (a missing factor 2, a sum over the wrong dimension,
 * a sign) is off by O(1).
 */
class LectureOpsTest {
    final Random rnd = new Random(7);

    Tensor leaf(String name, double lo, double hi, int... shape) {
        Tensor t = new Tensor(name, shape);
        for (int i = 0; i < t.size(); i++) t.data[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        return t;
    }

    void check(Tensor out, Tensor[] inputs, Reference ref) {
        new Graph(out).forward();
        double[][] x = new double[inputs.length][];
        for (int q = 0; q < inputs.length; q++) {
            x[q] = new double[inputs[q].size()];
            for (int i = 0; i < x[q].length; i++) x[q][i] = inputs[q].data[i];
        }
        double[] expected = ref.apply(x);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], out.data[i], 1e-5 * Math.max(1, Math.abs(expected[i])), out.name + " forward[" + i + "]");
        }
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) r[i] = (float) rnd.nextGaussian();
        for (Tensor t : inputs) t.zeroGrad();
        System.arraycopy(r, 0, out.grad, 0, r.length);
        for (Runnable b : out.backwardFunctions()) b.run();
        for (int q = 0; q < inputs.length; q++) {
            assertGradClose(FiniteDifference.of(ref, x, q, r), inputs[q].grad, out.name + " d/d " + inputs[q].name);
        }
    }

    /** An element-wise reference. */
    static Reference each(java.util.function.DoubleUnaryOperator f) {
        return x -> {
            double[] y = new double[x[0].length];
            for (int i = 0; i < y.length; i++) y[i] = f.applyAsDouble(x[0][i]);
            return y;
        };
    }

    @Test
    void sumOverTheBatchGivesARowAndSpreadsItsGradientScaledToEveryElementOfItsColumn() {
        Tensor x = leaf("x", -2, 2, 5, 4);
        check(LectureOps.sum(x, 0, 1f / 5, "mean"), new Tensor[] {x}, in -> {
            double[] y = new double[4];
            for (int i = 0; i < 5; i++) for (int j = 0; j < 4; j++) y[j] += in[0][i * 4 + j] / 5;
            return y;
        });
    }

    @Test
    void sumOverARowGivesAColumn() {
        Tensor x = leaf("x", -2, 2, 5, 4);
        check(LectureOps.sum(x, 1, 1f, "rowSum"), new Tensor[] {x}, in -> {
            double[] y = new double[5];
            for (int i = 0; i < 5; i++) for (int j = 0; j < 4; j++) y[i] += in[0][i * 4 + j];
            return y;
        });
    }

    /** x op v for a row vector v[1 × 4] and for a column vector v[5 × 1]. */
    void checkBroadcast(char op) {
        for (boolean row : new boolean[] {true, false}) {
            Tensor x = leaf("x", -2, 2, 5, 4), v = row ? leaf("v", -2, 2, 1, 4) : leaf("v", -2, 2, 5, 1);
            Tensor out = op == '+' ? LectureOps.plus(x, v, "plus") : op == '-' ? LectureOps.minus(x, v, "minus") : LectureOps.times(x, v, "times");
            check(out, new Tensor[] {x, v}, in -> {
                double[] y = new double[20];
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 4; j++) {
                        double a = in[0][i * 4 + j], b = in[1][row ? j : i];
                        y[i * 4 + j] = op == '+' ? a + b : op == '-' ? a - b : a * b;
                    }
                }
                return y;
            });
        }
    }

    @Test
    void plusBroadcastsARowOrAColumnAndSumsItsGradientOverThem() { checkBroadcast('+'); }

    @Test
    void minusBroadcastsAndGivesTheVectorMinusTheSummedGradient() { checkBroadcast('-'); }

    @Test
    void timesBroadcastsAndGivesTheVectorTheSumOfXTimesTheGradient() { checkBroadcast('*'); }

    @Test
    void aVectorOfTheWrongShapeIsRefused() {
        Tensor x = leaf("x", -1, 1, 5, 4), v = leaf("v", -1, 1, 1, 5);
        String message = assertThrows(IllegalArgumentException.class, () -> LectureOps.plus(x, v, "bndiff")).getMessage();
        assertTrue(message.contains("cannot broadcast [1, 5] against [5, 4]"), message);
    }

    @Test
    void theMaxOfARowPassesItsGradientToTheLargestElementOnly() {
        Tensor x = leaf("x", -3, 3, 6, 5);   // continuous random values: no ties, and no max within H of another
        check(LectureOps.maxOfRows(x, "max"), new Tensor[] {x}, in -> {
            double[] y = new double[6];
            for (int i = 0; i < 6; i++) {
                y[i] = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < 5; j++) y[i] = Math.max(y[i], in[0][i * 5 + j]);
            }
            return y;
        });
    }

    @Test
    void squareExpLogReciprocalAndInverseSqrtAgreeWithTheirDerivatives() {
        Tensor a = leaf("a", -2, 2, 4, 3);
        check(LectureOps.square(a, "square"), new Tensor[] {a}, each(v -> v * v));
        Tensor b = leaf("b", -3, 2, 4, 3);
        check(LectureOps.exp(b, "exp"), new Tensor[] {b}, each(Math::exp));
        Tensor c = leaf("c", 0.05, 3, 4, 3);
        check(LectureOps.log(c, "log"), new Tensor[] {c}, each(Math::log));
        Tensor d = leaf("d", 0.2, 3, 4, 3);
        check(LectureOps.reciprocal(d, "reciprocal"), new Tensor[] {d}, each(v -> 1 / v));
        Tensor e = leaf("e", 0.01, 3, 1, 6);
        check(LectureOps.inverseSqrt(e, 1e-5f, "inverseSqrt"), new Tensor[] {e}, each(v -> 1 / Math.sqrt(v + (double) 1e-5f)));
    }

    @Test
    void theLossIsMinusTheMeanOfThePickedLogProbabilities() {
        Tensor logprobs = leaf("logprobs", -4, -0.1, 5, 6);
        int[] targets = {0, 5, 2, 2, 3};
        check(LectureOps.negativeMeanOfPicked(logprobs, targets, "loss"), new Tensor[] {logprobs}, in -> {
            double s = 0;
            for (int i = 0; i < 5; i++) s += in[0][i * 6 + targets[i]];
            return new double[] {-s / 5};
        });
    }
}
