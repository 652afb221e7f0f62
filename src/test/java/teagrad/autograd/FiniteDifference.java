package teagrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient check's yardstick, shared by every test that checks a backward: L = Σ r·out with
 * fixed random r, so an op's backward run with out.grad = r gives dL/d(input), and central
 * differences of a double-precision reference give the same within ~1e-10 (h = 1e-6).
 */
public final class FiniteDifference {
    private FiniteDifference() {}

    public static final double H = 1e-6;
    /** The float32 backward is within ~1e-6 of the largest gradient; a wrong formula is off by O(1). */
    public static final double GRAD_TOL = 1e-4;
    public static final double GRAD_FLOOR = 1e-7;

    /** A double-precision reference forward: inputs (as doubles) → output values. */
    public interface Reference {
        double[] apply(double[][] inputs);
    }

    public static double dot(float[] r, double[] out) {
        double s = 0;
        for (int i = 0; i < r.length; i++) s += r[i] * out[i];
        return s;
    }

    /** d(Σ r·ref(x))/d x[q] by central differences, for every element of input q. */
    public static double[] of(Reference ref, double[][] x, int q, float[] r) {
        double[] g = new double[x[q].length];
        for (int i = 0; i < g.length; i++) {
            double keep = x[q][i];
            x[q][i] = keep + H;
            double plus = dot(r, ref.apply(x));
            x[q][i] = keep - H;
            double minus = dot(r, ref.apply(x));
            x[q][i] = keep;
            g[i] = (plus - minus) / (2 * H);
        }
        return g;
    }

    /** Every analytic gradient within GRAD_TOL of the largest finite difference (plus a floor). */
    public static void assertGradClose(double[] fd, float[] analytic, String what) {
        assertEquals(fd.length, analytic.length, what + ": gradient size");
        double largest = 0;
        for (double v : fd) largest = Math.max(largest, Math.abs(v));
        double tol = GRAD_TOL * largest + GRAD_FLOOR;
        for (int i = 0; i < fd.length; i++) {
            double err = Math.abs(fd[i] - analytic[i]);
            assertTrue(err <= tol, what + "[" + i + "]: analytic " + analytic[i] + ", finite difference " + fd[i]
                + " (|diff| " + err + " > " + tol + ")");
        }
    }
}
