package teagrad.autograd;

/**
 * exp, log and tanh from + − × ÷ alone.
 *
 * <p>Why not {@link Math}: the JVM and the browser may round Math.exp/log/tanh differently in
 * the last bit, and one bit is enough for two training runs to drift apart. TeaVM's WASM GC
 * does IEEE + − × ÷ exactly like the JVM (in f32 and f64), so these functions give the same
 * bits on both and the same seed gives the same losses everywhere. exp and log work in double
 * and round once to float (within 1 ulp of Math.*); tanh is a float rational function.
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
     * series to r⁸/8! (relative error below 3e-10, a two-hundredth of a float ulp).
     */
    static double expD(double x) {
        if (x != x) return x;
        if (x > 100.0) return Double.POSITIVE_INFINITY;   // beyond float range anyway
        if (x < -110.0) return 0.0;                        // below float's smallest subnormal
        double q = x * INV_LN2 + 0.5;
        int k = (int) q;                 // floor by a cast (Math.floor is a slow call in TeaVM's WASM)
        if (k > q) k--;
        double r = x - k * LN2;
        double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120
                + r * (1.0 / 720 + r * (1.0 / 5040 + r * (1.0 / 40320))))))));
        return p * POW2[160 + k];
    }

    /** Natural log in double: x = m·2^e, m in [√½, √2); ln m = 2·atanh(s), s = (m−1)/(m+1). */
    public static double logD(double x) {
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

    public static final float TANH_CLAMP = 7.90531110763549805f;   // beyond it tanh rounds to ±1 within 3e-7
    /** P's and Q's coefficients, highest power first (teagrad.web.SimdModule writes the same into its SIMD tanh). */
    public static final float TANH_P0 = -2.76076847742355e-16f, TANH_P1 = 2.00018790482477e-13f, TANH_P2 = -8.60467152213735e-11f,
        TANH_P3 = 5.12229709037114e-08f, TANH_P4 = 1.48572235717979e-05f, TANH_P5 = 6.37261928875436e-04f, TANH_P6 = 4.89352455891786e-03f;
    public static final float TANH_Q0 = 1.19825839466702e-06f, TANH_Q1 = 1.18534705686654e-04f, TANH_Q2 = 2.26843463243900e-03f,
        TANH_Q3 = 4.89352518554385e-03f;

    /**
     * tanh as a rational function, x·P(x²)/Q(x²) with P of degree 6 and Q of degree 3 in x²
     * (the minimax fit Eigen uses for float tanh), inputs clamped to ±7.905. Only + − × ÷ and
     * comparisons, so HotSpot vectorises the loop around it (6,400 values in ~5 µs instead of
     * ~80 µs through exp) and every runtime gets the same bits. Absolute error ≤ 5e-7, at most
     * 7 ulp near saturation (FMathTest); its derivative matches 1 − tanh² to ~1e-6.
     */
    public static float tanh(float x) {
        x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));   // min/max vectorise; NaN stays NaN
        float x2 = x * x;
        float p = x2 * TANH_P0 + TANH_P1;
        p = p * x2 + TANH_P2;
        p = p * x2 + TANH_P3;
        p = p * x2 + TANH_P4;
        p = p * x2 + TANH_P5;
        p = p * x2 + TANH_P6;
        float q = x2 * TANH_Q0 + TANH_Q1;
        q = q * x2 + TANH_Q2;
        q = q * x2 + TANH_Q3;
        return x * (p / q);   // not (x·p)/q: that underflows for tiny x
    }

    /** √x in float: the double root of a float, rounded once, is the exact float root. */
    public static float sqrt(float x) { return (float) Math.sqrt(x); }
}
