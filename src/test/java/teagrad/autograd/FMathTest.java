package teagrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * FMath's exp, log and tanh against java.lang.Math computed in double (whose error, ≤ 1 ulp of
 * a double, is 2^-29 of a float ulp: an exact reference for float results). FMath promises the
 * float result within 1 ulp; correct rounding would give ½ ulp.
 */
class FMathTest {

    /** |f − exact| in units of the float ulp at the exact value; infinities must match exactly. */
    static double ulpError(float f, double exact) {
        float rounded = (float) exact;
        if (Float.isInfinite(f) || Float.isInfinite(rounded)) return f == rounded ? 0 : Double.POSITIVE_INFINITY;
        return Math.abs(f - exact) / Math.ulp(rounded);
    }

    interface FloatFn { float apply(float x); }

    interface DoubleFn { double apply(double x); }

    /**
     * Worst ulp error over every {@code stride}-th float in [lo, hi], walking bit patterns (so
     * the sweep is as dense near 0 as the floats are), plus both end points.
     */
    static double sweep(FloatFn ours, DoubleFn exact, float lo, float hi, int stride, String what) {
        return sweep(ours, exact, lo, hi, stride, what, 1.0);
    }

    static double sweep(FloatFn ours, DoubleFn exact, float lo, float hi, int stride, String what, double maxUlp) {
        double worst = 0;
        float worstAt = Float.NaN;
        long count = 0;
        // [magnitude from, magnitude to, sign] for the positive and the negative part
        float[][] parts = {
            {Math.max(lo, 0f), hi, 1},
            {0f - Math.min(hi, 0f), 0f - lo, -1}};
        for (float[] part : parts) {
            if (part[0] > part[1] || (part[2] < 0 && lo >= 0)) continue;
            int from = Float.floatToIntBits(part[0]), to = Float.floatToIntBits(part[1]);
            for (long bits = from; bits <= to + (long) stride - 1; bits += stride) {
                float x = part[2] * Float.intBitsToFloat((int) Math.min(bits, to));
                double e = ulpError(ours.apply(x), exact.apply(x));
                count++;
                if (!(e <= worst)) { worst = e; worstAt = x; }
            }
        }
        assertTrue(count > 10_000, what + ": sweep too sparse (" + count + " points)");
        assertTrue(worst <= maxUlp, what + ": error " + worst + " ulp at x = " + worstAt);
        return worst;
    }

    /** Also an arithmetic (evenly spaced) sweep, which samples large arguments densely. */
    static void linearSweep(FloatFn ours, DoubleFn exact, double lo, double hi, int n, String what) {
        linearSweep(ours, exact, lo, hi, n, what, 1.0);
    }

    static void linearSweep(FloatFn ours, DoubleFn exact, double lo, double hi, int n, String what, double maxUlp) {
        for (int i = 0; i <= n; i++) {
            float x = (float) (lo + (hi - lo) * i / n);
            double e = ulpError(ours.apply(x), exact.apply(x));
            assertTrue(e <= maxUlp, () -> what + ": error " + e + " ulp at x = " + x);
        }
    }

    @Test
    void expIsWithinOneUlpFromMinus100To88() {
        sweep(FMath::exp, Math::exp, -100f, 88f, 1009, "exp");
        linearSweep(FMath::exp, Math::exp, -100, 88, 200_000, "exp");
    }

    @Test
    void expUnderflowsAndOverflowsWhereFloatDoes() {
        // the last finite and the first infinite results, and the subnormal tail down to 0
        sweep(FMath::exp, Math::exp, 85f, 120f, 29, "exp near overflow");
        sweep(FMath::exp, Math::exp, -120f, -85f, 29, "exp near underflow");
        assertEquals(Float.POSITIVE_INFINITY, FMath.exp(89f));
        assertEquals(0f, FMath.exp(-104f));
        assertTrue(FMath.exp(-103f) > 0, "e^−103 is a (subnormal) float");
    }

    @Test
    void logIsWithinOneUlpFrom1eMinus30To1e30() {
        sweep(FMath::log, Math::log, 1e-30f, 1e30f, 977, "log");
        linearSweep(FMath::log, Math::log, 1e-3, 10, 200_000, "log near 1");
    }

    @Test
    void logIsWithinOneUlpOnSubnormalsAndAtTheEndsOfTheFloatRange() {
        sweep(FMath::log, Math::log, Float.MIN_VALUE, Float.MIN_NORMAL, 211, "log of subnormals");
        sweep(FMath::log, Math::log, 1e30f, Float.MAX_VALUE, 101, "log of huge floats");
        assertTrue(ulpError(FMath.log(Float.MIN_VALUE), Math.log(Float.MIN_VALUE)) <= 1);
        assertTrue(ulpError(FMath.log(Float.MAX_VALUE), Math.log(Float.MAX_VALUE)) <= 1);
    }

    @Test
    void logOfDoublesIsAccurateDownToDoubleSubnormals() {
        // logD works in double for the loss (log of a sum of exps). Its atanh series stops at
        // s¹³ with |s| ≤ 0.1716: the first omitted term 2s¹⁵/15 ≈ 4.4e-13 against ln m ≈ 0.35
        // is ~1.3e-12 relative at worst, so we allow 1e-11 (still 10⁴× below a float ulp).
        double[] xs = {Double.MIN_VALUE, 3 * Double.MIN_VALUE, 1e-310, Double.MIN_NORMAL, 1e-300, 0.5, 0.7071, 1.4142, 2, 1e300, Double.MAX_VALUE};
        for (double x : xs) {
            double want = Math.log(x);
            assertEquals(want, FMath.logD(x), 1e-11 * Math.abs(want) + 1e-15, "logD(" + x + ")");
        }
    }

    @Test
    void tanhIsWithinEightUlpFromMinus20To20() {
        // FMath.tanh is a rational minimax fit (fast and vectorisable), not correctly rounded:
        // its documented bound is 7 ulp near saturation, 2–4 ulp typically.
        sweep(FMath::tanh, Math::tanh, -20f, 20f, 1009, "tanh", 8);
        linearSweep(FMath::tanh, Math::tanh, -20, 20, 200_000, "tanh", 8);
        sweep(FMath::tanh, Math::tanh, 7.5f, 8.5f, 3, "tanh near the clamp at 7.905", 8);
    }

    @Test
    void tanhOfATinyInputIsTheInputWithinThreeUlpWithoutUnderflow() {
        // tanh x = x − x³/3 + …: below 1e-20 the correctly rounded result is x itself,
        // subnormals included; an intermediate that underflows (x·P before ÷Q) would flush
        // these to 0 or lose digits. The fit's P(0)/Q(0) is 1 − 1.3e-7: about 2 ulp.
        for (float x : new float[] {Float.MIN_VALUE, 3 * Float.MIN_VALUE, 1e-42f, 1e-40f, Float.MIN_NORMAL, 2.1321765e-38f, 1e-36f, 1e-30f, 1e-21f}) {
            assertTrue(ulpError(FMath.tanh(x), x) <= 3, "tanh(" + x + ") = " + FMath.tanh(x));
            assertTrue(ulpError(FMath.tanh(-x), -x) <= 3, "tanh(" + (-x) + ") = " + FMath.tanh(-x));
        }
    }

    @Test
    void tanhIsWithinAbsoluteError5eMinus7Everywhere() {
        // The absolute bound FMath.tanh's comment documents.
        for (int bits = 0; bits <= Float.floatToIntBits(20f); bits += 251) {
            float x = Float.intBitsToFloat(bits);
            assertEquals(Math.tanh(x), FMath.tanh(x), 5e-7, () -> "tanh(" + x + ")");
            assertEquals(-Math.tanh(x), FMath.tanh(-x), 5e-7, () -> "tanh(" + (-x) + ")");
        }
    }

    @Test
    void tanhIsOdd() {
        for (float x = 0.001f; x < 12; x *= 1.01f) {
            float at = x;
            assertEquals(-FMath.tanh(x), FMath.tanh(-x), () -> "tanh(−x) = −tanh(x) at " + at);
        }
    }

    @Test
    void specialValuesOfExp() {
        assertTrue(Float.isNaN(FMath.exp(Float.NaN)));
        assertEquals(Float.POSITIVE_INFINITY, FMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, FMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(1f, FMath.exp(0f));
        assertEquals(1f, FMath.exp(-0f));
        assertEquals(Float.POSITIVE_INFINITY, FMath.exp(Float.MAX_VALUE));
        assertEquals(0f, FMath.exp(-Float.MAX_VALUE));
        assertEquals((float) Math.E, FMath.exp(1f));
    }

    @Test
    void specialValuesOfLog() {
        assertTrue(Float.isNaN(FMath.log(Float.NaN)));
        assertTrue(Float.isNaN(FMath.log(-1f)));
        assertTrue(Float.isNaN(FMath.log(Float.NEGATIVE_INFINITY)));
        assertEquals(Float.POSITIVE_INFINITY, FMath.log(Float.POSITIVE_INFINITY));
        assertEquals(Float.NEGATIVE_INFINITY, FMath.log(0f));
        assertEquals(Float.NEGATIVE_INFINITY, FMath.log(-0f));
        assertEquals(0f, FMath.log(1f));
        assertEquals((float) Math.log(Float.MAX_VALUE), FMath.log(Float.MAX_VALUE));
    }

    @Test
    void specialValuesOfTanh() {
        assertTrue(Float.isNaN(FMath.tanh(Float.NaN)));
        assertEquals(1f, FMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, FMath.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(1f, FMath.tanh(Float.MAX_VALUE));
        assertEquals(-1f, FMath.tanh(-Float.MAX_VALUE));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(FMath.tanh(0f)), "tanh(+0) = +0");
    }

    @Test
    void tanhOfNegativeZeroIsNegativeZeroAsMathTanhSpecifies() {
        // Math.tanh: "If the argument is zero, then the result is a zero with the same sign".
        assertEquals(Float.floatToRawIntBits((float) Math.tanh(-0.0)), Float.floatToRawIntBits(FMath.tanh(-0f)),
            "FMath.tanh(-0f) should be -0f");
    }

    @Test
    void sqrtIsTheCorrectlyRoundedFloatRoot() {
        for (float x = 1e-30f; x < 1e30f; x *= 1.37f) {
            float s = FMath.sqrt(x);
            double exact = Math.sqrt((double) x);
            assertTrue(ulpError(s, exact) <= 0.5, "sqrt(" + x + ")");
        }
    }
}
