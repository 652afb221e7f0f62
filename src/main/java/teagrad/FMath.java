package teagrad;

/**
 * exp, log and tanh from + − × ÷ alone.
 *
 * <p>Why not {@link Math}: the JVM and the browser may round Math.exp/log/tanh differently in
 * the last bit, and one bit is enough for two training runs to drift apart. TeaVM's WASM GC
 * does IEEE + − × ÷ exactly like the JVM (in f32 and f64), so these functions give the same
 * bits on both and the same seed gives the same losses everywhere. They work in double and
 * round once to float, so the float results are correctly rounded but for rare ties
 * (FMathTest checks them against Math.* to 1 ulp).
 */
public final class FMath {
    private FMath() {}

    private static final double LN2 = 0.6931471805599453;
    private static final double INV_LN2 = 1.4426950408889634;

    /** 2^k for k in [-160, 160], by exact doubling: no bit tricks on longs (slow in TeaVM's JS). */
    private static final double[] POW2 = new double[321];
    static {
        POW2[160] = 1;
        for (int k = 1; k <= 160; k++) {
            POW2[160 + k] = POW2[159 + k] * 2;
            POW2[160 - k] = POW2[161 - k] * 0.5;
        }
    }

    /**
     * e^x in double for float-sized results: x = k·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor
     * series to r¹⁰/10! (error below 1e-11, far under float's 6e-8).
     */
    static double expD(double x) {
        if (x != x) return x;
        if (x > 100.0) return Double.POSITIVE_INFINITY;   // beyond float range anyway
        if (x < -110.0) return 0.0;                        // below float's smallest subnormal
        double k = Math.floor(x * INV_LN2 + 0.5);
        double r = x - k * LN2;
        double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120
                + r * (1.0 / 720 + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880
                + r * (1.0 / 3628800))))))))));
        return p * POW2[160 + (int) k];
    }

    /** Natural log in double: x = m·2^e, m in [√½, √2); ln m = 2·atanh(s), s = (m−1)/(m+1). */
    static double logD(double x) {
        if (x != x || x < 0) return Double.NaN;
        if (x == 0) return Double.NEGATIVE_INFINITY;
        if (x == Double.POSITIVE_INFINITY) return x;
        long bits = Double.doubleToRawLongBits(x);
        int e = 0;
        if ((bits >>> 52) == 0) {                 // subnormal: normalise first
            x *= 4503599627370496.0;              // 2^52
            bits = Double.doubleToRawLongBits(x);
            e = -52;
        }
        e += (int) (bits >>> 52) - 1023;
        double m = Double.longBitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > 1.4142135623730951) { m *= 0.5; e++; }
        double s = (m - 1) / (m + 1);             // |s| ≤ 0.1716, so s¹⁵ terms are below 1e-12
        double s2 = s * s;
        double atanh = s * (1 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9
                + s2 * (1.0 / 11 + s2 * (1.0 / 13)))))));
        return e * LN2 + 2 * atanh;
    }

    public static float exp(float x) { return (float) expD(x); }

    public static float log(float x) { return (float) logD(x); }

    /** tanh x = (1 − e^(−2|x|)) / (1 + e^(−2|x|)) with the sign of x; a series near 0. */
    public static float tanh(float x) {
        double a = Math.abs((double) x);
        if (a > 9.1) return x > 0 ? 1f : -1f;     // tanh(9.1) rounds to 1 in float
        double t;
        if (a < 0.125) {                          // x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835
            double a2 = a * a;
            t = a * (1 + a2 * (-1.0 / 3 + a2 * (2.0 / 15 + a2 * (-17.0 / 315 + a2 * (62.0 / 2835)))));
        } else {
            double e = expD(-2 * a);
            t = (1 - e) / (1 + e);
        }
        return (float) (x < 0 ? -t : t);
    }

    /** √x in float: the double root of a float, rounded once, is the exact float root. */
    public static float sqrt(float x) { return (float) Math.sqrt(x); }
}
