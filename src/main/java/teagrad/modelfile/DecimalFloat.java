package teagrad.modelfile;

import java.math.BigInteger;

/**
 * Decimal text to the nearest float, correctly rounded (ties to even), with the same bits on
 * the JVM, in WebAssembly and in JavaScript. TeaVM's Float.parseFloat is off by one ulp for
 * about 1 number in 3,000, so a model file would load as a slightly different model in the
 * page than on the JVM; this parser uses only integer and double arithmetic, which every
 * target does exactly as IEEE 754 says.
 *
 * <p>How: the value x = D · 10^q is approximated by a double d from the first 18 digits with
 * at most three roundings (the digits to a double, 10^|q| from a table of correctly rounded
 * constants, the product or quotient), so |d − x| ≤ 2^-51·x. The float nearest x is the one
 * whose rounding interval holds x; its ends are the midpoints between neighbouring floats,
 * each exactly a double. So d decides unless it lies within 2^-50·d of a midpoint; only then
 * (about once in 2^25 numbers) is x compared with that midpoint exactly, in BigInteger
 * arithmetic: D·10^q against (2M+1)·2^(e−1).
 */
public final class DecimalFloat {
    private DecimalFloat() {}

    /** Significant digits the fast path keeps: 10^18 < 2^63, so they fit a long. */
    private static final int KEPT = 18;
    private static final double[] POW10 = new double[66];   // 10^0 … 10^65, each correctly rounded

    static {
        // Literals are correctly rounded by the compiler; products of them would not be, beyond 10^22.
        double[] exact = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
            1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32, 1e33, 1e34,
            1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46, 1e47, 1e48, 1e49, 1e50, 1e51, 1e52,
            1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61, 1e62, 1e63, 1e64, 1e65};
        System.arraycopy(exact, 0, POW10, 0, POW10.length);
    }

    /**
     * The float nearest a JSON number ("-0.012", "3.4028235E38", "1e-45").
     * @throws NumberFormatException unless {@code text} is a JSON number
     */
    public static float parse(String text) {
        if (Json.numberEnd(text, 0) != text.length() || text.isEmpty()) {
            throw new NumberFormatException("not a JSON number: " + teagrad.data.Untrusted.quote(text));
        }
        return parse(text, 0, text.length());
    }

    /** The float nearest the JSON number {@code s[start, end)}, whose syntax the caller has checked. */
    static float parse(String s, int start, int end) {
        int i = start;
        boolean negative = s.charAt(i) == '-';
        if (negative) i++;
        long w = 0;        // the first KEPT significant digits
        int kept = 0;
        int scale = 0;     // x = (w + a fraction) · 10^(scale + exponent)
        boolean fraction = false;
        for (; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') { fraction = true; continue; }
            if (c < '0' || c > '9') break;
            if (w == 0 && c == '0') {           // a leading zero: only moves the point
                if (fraction) scale--;
            } else if (kept < KEPT) {
                w = 10 * w + (c - '0');
                kept++;
                if (fraction) scale--;
            } else if (!fraction) {
                scale++;                       // a digit beyond the kept ones, before the point
            }
        }
        int sign = negative ? 0x80000000 : 0;
        if (w == 0) return Float.intBitsToFloat(sign);   // ±0
        long exponent = 0;
        if (i < end) {                          // 'e' or 'E'
            i++;
            boolean down = s.charAt(i) == '-';
            if (down || s.charAt(i) == '+') i++;
            for (; i < end; i++) exponent = Math.min(10 * exponent + (s.charAt(i) - '0'), 1_000_000);
            if (down) exponent = -exponent;
        }
        long q = scale + exponent;
        // x < 10^(kept + q) and x ≥ 10^(kept − 1 + q): far outside the floats' range, decide now
        if (kept + q <= -46) return Float.intBitsToFloat(sign);               // below MIN_VALUE / 2
        if (kept - 1 + q >= 39) return Float.intBitsToFloat(sign | 0x7f800000);   // above MAX_VALUE + ulp/2
        double d = q >= 0 ? (double) w * POW10[(int) q] : (double) w / POW10[(int) -q];
        int bits = Float.floatToIntBits((float) d);   // a guess; moved below until its interval holds d
        while (bits < 0x7f800000 && d > midpoint(bits)) bits++;
        while (bits > 0 && d < midpoint(bits - 1)) bits--;
        double margin = d * 0x1p-50;
        if (bits < 0x7f800000 && midpoint(bits) - d <= margin) {
            bits = exactSide(s, start, end, bits);          // x may be above the upper midpoint
        } else if (bits > 0 && d - midpoint(bits - 1) <= margin) {
            bits = exactSide(s, start, end, bits - 1);      // x may be below the lower one
        }
        return Float.intBitsToFloat(sign | bits);
    }

    /** The float of positive bits {@code b} as a double; b = 0x7f800000 gives 2^128, one step past the largest float. */
    static double value(int b) {
        int e = b >>> 23, m = b & 0x7fffff;
        if (e == 0) return m * 0x1p-149;
        return (m | 0x800000) * Double.longBitsToDouble((long) (e - 150 + 1023) << 52);
    }

    /** The point halfway between the floats of bits b and b + 1 (exact: a double has room). */
    private static double midpoint(int b) { return (value(b) + value(b + 1)) / 2; }

    /**
     * Whether x rounds to bits b or b + 1: x against their midpoint (2M + 1)·2^(e − 1),
     * exactly; a tie goes to the even one.
     */
    private static int exactSide(String s, int start, int end, int b) {
        StringBuilder digits = new StringBuilder();
        long q = 0;
        int i = start;
        if (s.charAt(i) == '-') i++;
        boolean fraction = false;
        for (; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') { fraction = true; continue; }
            if (c < '0' || c > '9') break;
            digits.append(c);
            if (fraction) q--;
        }
        if (i < end) q += Long.parseLong(s.substring(i + 1, end).replace("+", ""));   // |q| is small here: x is near a float
        int e = b >>> 23;
        long m = e == 0 ? b & 0x7fffff : (b & 0x7fffff) | 0x800000;
        int p = (e == 0 ? -149 : e - 150) - 1;          // the midpoint is (2m + 1) · 2^p
        BigInteger x = new BigInteger(digits.toString()), mid = BigInteger.valueOf(2 * m + 1);
        if (q >= 0) x = x.multiply(BigInteger.TEN.pow((int) q)); else mid = mid.multiply(BigInteger.TEN.pow((int) -q));
        if (p >= 0) mid = mid.shiftLeft(p); else x = x.shiftLeft(-p);
        int side = x.compareTo(mid);
        return side > 0 || (side == 0 && (b & 1) == 1) ? b + 1 : b;
    }
}
