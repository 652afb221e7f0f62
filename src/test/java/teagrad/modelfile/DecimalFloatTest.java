package teagrad.modelfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decimal → float, correctly rounded: the same bits as the JVM's Float.parseFloat and as an
 * exact BigDecimal check of "nearest, ties to even", for the digits PyTorch writes (17), the
 * digits a float needs (9), every float's own text, and the exact midpoints between floats.
 */
class DecimalFloatTest {

    /** Whether f is the float nearest the decimal s, ties to even, by exact arithmetic. */
    static boolean isNearest(String s, float f) {
        BigDecimal x = new BigDecimal(s).abs();
        float a = Math.abs(f);
        BigDecimal max = new BigDecimal(Float.MAX_VALUE), ulpTop = new BigDecimal(Math.ulp(Float.MAX_VALUE));
        if (Float.isInfinite(a)) return x.compareTo(max.add(ulpTop.divide(BigDecimal.valueOf(2)))) >= 0;
        BigDecimal v = new BigDecimal(a);
        BigDecimal up = a == Float.MAX_VALUE ? max.add(ulpTop) : new BigDecimal(Math.nextUp(a));
        BigDecimal down = a == 0 ? v.subtract(new BigDecimal(Float.MIN_VALUE)) : new BigDecimal(Math.nextDown(a));
        BigDecimal hi = v.add(up).divide(BigDecimal.valueOf(2)), lo = v.add(down).divide(BigDecimal.valueOf(2));
        boolean even = (Float.floatToIntBits(a) & 1) == 0;
        int c1 = x.compareTo(lo), c2 = x.compareTo(hi);
        return (c1 > 0 || (c1 == 0 && even)) && (c2 < 0 || (c2 == 0 && even));
    }

    static void check(String s) {
        float got = DecimalFloat.parse(s);
        assertEquals(Float.floatToRawIntBits(Float.parseFloat(s)), Float.floatToRawIntBits(got), s + " as the JVM reads it");
        if (s.matches(".*[eE][+-]?\\d{10,}")) return;   // beyond BigDecimal's exponents: the JVM's answer alone (±0 or ±Infinity)
        assertTrue(isNearest(s, got), s + " → " + got + " is not the nearest float");
    }

    /** A random decimal of {@code digits} significant digits, spread over the floats' whole range and past it. */
    static String randomDecimal(Random rnd, int digits) {
        StringBuilder b = new StringBuilder(rnd.nextBoolean() ? "-" : "");
        b.append((char) ('1' + rnd.nextInt(9))).append('.');
        for (int i = 1; i < digits; i++) b.append((char) ('0' + rnd.nextInt(10)));
        return b.append('e').append(rnd.nextInt(90) - 48).toString();
    }

    @ParameterizedTest(name = "{0} digits")
    @ValueSource(ints = {9, 17})
    void randomDecimalsRoundLikeTheJvmAndToTheNearestFloat(int digits) {
        Random rnd = new Random(digits);
        for (int i = 0; i < 50_000; i++) check(randomDecimal(rnd, digits));
    }

    @Test
    void pyTorchsSeventeenDigitDoublesOfTypicalWeightsRoundCorrectly() {
        // what a float64 tensor of small weights looks like in json.dumps: repr of a double
        Random rnd = new Random(1);
        for (int i = 0; i < 50_000; i++) check(Double.toString(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(8) - 6)));
    }

    @Test
    void everyFloatsOwnTextReadsBackAsThatFloat() {
        Random rnd = new Random(2);
        for (int i = 0; i < 100_000; i++) {
            float f = Float.intBitsToFloat(rnd.nextInt());
            if (Float.isNaN(f) || Float.isInfinite(f)) continue;
            String text = Float.toString(f);
            assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(DecimalFloat.parse(text)), text);
        }
    }

    @Test
    void exactMidpointsGoToTheEvenFloatAndAHairEitherSideDecides() {
        Random rnd = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            float f = Float.intBitsToFloat(rnd.nextInt(0x7f7fffff));
            BigDecimal mid = new BigDecimal(f).add(new BigDecimal(Math.nextUp(f))).divide(BigDecimal.valueOf(2));
            BigDecimal hair = mid.ulp().multiply(BigDecimal.valueOf(3));
            for (BigDecimal x : new BigDecimal[] {mid, mid.add(hair), mid.subtract(hair)}) check(x.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "-0.0", "0e99999", "1e-46", "1.4e-45", "1.401298464324817e-45",
        "7.006492321624085e-46", "7.006492321624086e-46", "7.0064923216240853546186479164495806564013097093825788587853414194489554134293030074331909418106079101562E-46",
        "1.1754942e-38", "1.17549435e-38", "3.4028235e38", "3.4028235677973366e38", "3.4028235677973362e38", "3.5e38", "1e39",
        "1e999999999999", "-1e999999999999", "0.1", "0.2781149", "123456789012345678901234567890", "0.000000000000000000000000000000000000000000000001401298464324817",
        "16777217", "16777219", "33554435", "9007199254740993", "1e0", "1E+2", "5e-324", "2.5e-45"})
    void edgeCases(String s) {
        check(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "NaN", "Infinity", "0x10", " 1", "1 ", "1..2", "--1", "1e5.5"})
    void textThatIsNotAJsonNumberIsRefused(String s) {
        assertThrows(NumberFormatException.class, () -> DecimalFloat.parse(s));
    }
}
