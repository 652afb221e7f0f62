package teagrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import teagrad.model.Config;

/**
 * The seeded generator. Every statistical test uses a fixed seed, so it is deterministic (never
 * flaky); thresholds are set where a correct uniform/normal generator would fail with
 * probability ≤ 0.1%, i.e. "this seed is not a freak", while the bugs they target (modulo bias,
 * an off-by-one range, a wrong Gaussian transform) miss them by orders of magnitude.
 */
class RngTest {

    static int[] ints(Rng r, int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt();
        return a;
    }

    @Test
    void theCoreIsXoshiro128StarStarByKnownAnswers() {
        // Expected outputs computed independently with a python3 transcription of Blackman and
        // Vigna's xoshiro128starstar.c next() in 32-bit unsigned arithmetic (& 0xFFFFFFFF),
        // from the state s = {1, 2, 3, 4}, printed as signed ints:
        //   result = rotl(s[1] * 5, 7) * 9; t = s[1] << 9; s[2] ^= s[0]; s[3] ^= s[1];
        //   s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11)
        int[] expected = {11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, -560106447};
        assertArrayEquals(expected, ints(Rng.ofState(1, 2, 3, 4), expected.length));
        // and from a state with every high bit in play (the same script): 0x0be7daae, 0xd7e26fa7, …
        int[] high = {0x0BE7DAAE, 0xD7E26FA7, 0x0AABE78F, 0xE121B1F1};
        assertArrayEquals(high, ints(Rng.ofState(0x9E3779B9, 0x7F4A7C15, 0xF39CC060, 0x5CEDC834), high.length));
    }

    @Test
    void sameSeedAndStreamGiveTheSameSequence() {
        assertArrayEquals(ints(new Rng(42, Rng.BATCHES), 1000), ints(new Rng(42, Rng.BATCHES), 1000));
        Rng a = new Rng(7, Rng.SAMPLES), b = new Rng(7, Rng.SAMPLES);
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.nextInt(27), b.nextInt(27));
            assertEquals(Float.floatToIntBits(a.nextFloat()), Float.floatToIntBits(b.nextFloat()));
            assertEquals(Float.floatToIntBits(a.nextGaussian()), Float.floatToIntBits(b.nextGaussian()));
        }
    }

    @Test
    void differentStreamsOfOneSeedDiffer() {
        int[][] seqs = {
            ints(new Rng(42, Rng.INIT), 8), ints(new Rng(42, Rng.SPLIT), 8),
            ints(new Rng(42, Rng.BATCHES), 8), ints(new Rng(42, Rng.SAMPLES), 8)};
        for (int i = 0; i < seqs.length; i++) {
            for (int j = i + 1; j < seqs.length; j++) {
                assertFalse(Arrays.equals(seqs[i], seqs[j]), "streams " + (i + 1) + " and " + (j + 1));
            }
        }
    }

    @Test
    void differentSeedsDifferIncludingSeedsThatDifferOnlyInTheirHigh32Bits() {
        long[] seeds = {0, 1, 2, 42, 43, 1L << 32, 1 + (1L << 32), Config.MAX_SEED};
        List<int[]> seqs = new ArrayList<>();
        for (long s : seeds) seqs.add(ints(new Rng(s, Rng.INIT), 8));
        for (int i = 0; i < seeds.length; i++) {
            for (int j = i + 1; j < seeds.length; j++) {
                assertFalse(Arrays.equals(seqs.get(i), seqs.get(j)), "seeds " + seeds[i] + " and " + seeds[j]);
            }
        }
    }

    @Test
    void seedZeroDoesNotGiveAStuckGenerator() {
        Rng r = new Rng(0, 0);
        int[] a = ints(r, 100);
        assertTrue(Arrays.stream(a).distinct().count() > 95, "100 draws should be nearly all distinct");
    }

    @Test
    void nextIntOfABoundStaysInRangeAndIsUniformByChiSquare() {
        int bound = 27, n = 270_000;
        long[] counts = new long[bound];
        Rng r = new Rng(42, Rng.BATCHES);
        for (int i = 0; i < n; i++) {
            int v = r.nextInt(bound);
            assertTrue(v >= 0 && v < bound, () -> "draw " + v);
            counts[v]++;
        }
        double expected = (double) n / bound, chi2 = 0;
        for (long c : counts) chi2 += (c - expected) * (c - expected) / expected;
        // 26 degrees of freedom: P(χ² > 54.05) = 0.001 for a uniform generator; a value that
        // is never drawn alone would add 10,000 to χ², a 1% bias towards one value ~26.
        assertTrue(chi2 < 54.05, "chi-square " + chi2 + " for " + Arrays.toString(counts));
    }

    @Test
    void nextIntHasNoModuloBiasForALargeBound() {
        // bound = 3·2²⁹: with plain (31 random bits) % bound, results below 2³¹ − bound = bound/3
        // would come up half the time; without bias, one third of the time.
        int bound = 3 << 29, n = 300_000, low = 0;
        Rng r = new Rng(1, Rng.SAMPLES);
        for (int i = 0; i < n; i++) {
            int v = r.nextInt(bound);
            assertTrue(v >= 0 && v < bound, () -> "draw " + v);
            if (v < bound / 3) low++;
        }
        // sd of the fraction: √(⅓·⅔/n) ≈ 0.00086; allow 5 sd (0.0043), 0.17 away from ½.
        assertEquals(1.0 / 3, (double) low / n, 0.0043);
    }

    @Test
    void nextIntOfOneIsAlwaysZeroAndTheLargestBoundWorks() {
        Rng r = new Rng(3, 4);
        for (int i = 0; i < 1000; i++) assertEquals(0, r.nextInt(1));
        for (int i = 0; i < 1000; i++) {
            int v = r.nextInt(Integer.MAX_VALUE);
            assertTrue(v >= 0 && v < Integer.MAX_VALUE);
        }
    }

    @Test
    void nextIntRefusesANonPositiveBound() {
        Rng r = new Rng(1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(-5));
    }

    @Test
    void nextFloatIsInZeroToOneOnTheGridOfTwoToTheMinus24() {
        Rng r = new Rng(5, Rng.SAMPLES);
        double sum = 0, min = 1, max = 0;
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            float f = r.nextFloat();
            assertTrue(f >= 0f && f < 1f, () -> "nextFloat " + f);
            float scaled = f * 0x1.0p24f;
            assertEquals(Math.rint(scaled), scaled, () -> "a multiple of 2^-24: " + f);
            sum += f;
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        // mean of U[0,1): sd √(1/12/n) ≈ 0.00029; allow 5 sd. Extremes of 10⁶ draws lie within ~1e-5 of the ends.
        assertEquals(0.5, sum / n, 0.0015);
        assertTrue(min < 1e-4 && max > 1 - 1e-4, "min " + min + ", max " + max);
    }

    @Test
    void nextGaussianHasMeanZeroVarianceOneAndNormalTails() {
        Rng r = new Rng(42, Rng.INIT);
        int n = 100_000;
        double sum = 0, sumSq = 0;
        int beyond2 = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            assertTrue(Double.isFinite(g));
            sum += g;
            sumSq += g * g;
            if (Math.abs(g) > 2) beyond2++;
        }
        double mean = sum / n, var = sumSq / n - mean * mean;
        // sd of the mean 1/√n ≈ 0.0032, of the variance √(2/n) ≈ 0.0045: allow ~5 sd each.
        assertEquals(0, mean, 0.016, "mean");
        assertEquals(1, var, 0.023, "variance");
        // P(|Z| > 2) = 0.0455; sd of the fraction √(0.0455·0.9545/n) ≈ 0.00066; allow 5 sd.
        assertEquals(0.0455, (double) beyond2 / n, 0.0033, "tail mass beyond 2σ");
    }

    @Test
    void shuffleIsAPermutationThatChangesTheOrder() {
        int[] a = new int[100];
        for (int i = 0; i < 100; i++) a[i] = i;
        int[] shuffled = a.clone();
        new Rng(42, Rng.SPLIT).shuffle(shuffled);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(shuffled));
        int[] sorted = shuffled.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(a, sorted);
        int[] again = a.clone();
        new Rng(42, Rng.SPLIT).shuffle(again);
        assertArrayEquals(shuffled, again, "same seed, same shuffle");
    }

    @Test
    void shuffleMakesEveryOrderOfThreeEquallyLikely() {
        Rng r = new Rng(9, Rng.SPLIT);
        java.util.Map<List<Integer>, Integer> counts = new java.util.HashMap<>();
        int n = 60_000;
        for (int i = 0; i < n; i++) {
            int[] l = {0, 1, 2};
            r.shuffle(l);
            counts.merge(List.of(l[0], l[1], l[2]), 1, Integer::sum);
        }
        assertEquals(6, counts.size(), "all 3! orders appear: " + counts);
        double expected = n / 6.0, chi2 = 0;
        for (int c : counts.values()) chi2 += (c - expected) * (c - expected) / expected;
        // 5 degrees of freedom: P(χ² > 20.52) = 0.001.
        assertTrue(chi2 < 20.52, "chi-square " + chi2 + " for " + counts);
    }

    @Test
    void shuffleOfAnEmptyOrSingletonArrayDoesNothing() {
        int[] empty = {}, one = {7};
        new Rng(1, 1).shuffle(empty);
        new Rng(1, 1).shuffle(one);
        assertArrayEquals(new int[0], empty);
        assertArrayEquals(new int[] {7}, one);
    }

    @Test
    void aSavedStateGoesOnWithTheSameDrawsAndACopyUndoesDraws() {
        Rng a = new Rng(42, Rng.BATCHES);
        for (int i = 0; i < 1000; i++) a.nextInt();
        Rng b = Rng.fromState(a.state()), before = Rng.fromState(a.state());
        for (int i = 0; i < 1000; i++) assertEquals(a.nextInt(), b.nextInt(), "draw " + i);
        before.copyFrom(b);          // b has moved on 1000 draws
        for (int i = 0; i < 10; i++) assertEquals(b.nextInt(), before.nextInt(), "draw " + i + " after the copy");
    }

    @Test
    void aStateThatNoGeneratorHasIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Rng.fromState(new int[4]));
        assertThrows(IllegalArgumentException.class, () -> Rng.fromState(new int[] {1, 2, 3}));
    }
}
