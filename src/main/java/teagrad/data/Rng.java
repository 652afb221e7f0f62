package teagrad.data;

import teagrad.autograd.FMath;

/**
 * The seeded random number generator behind every random choice in teagrad: initial weights,
 * the train/dev/test shuffle, minibatches and sampled names.
 *
 * <p>xoshiro128** (Blackman and Vigna, 2018): 128 bits of state in four ints, 32-bit
 * operations only, so it is fast and gives identical streams on the JVM, in WebAssembly and in
 * JavaScript (where TeaVM emulates 64-bit longs slowly). The state is seeded from
 * {@code (seed, stream)} with SplitMix32-style mixing; separate streams keep, say, the
 * minibatch order independent of how many samples were drawn.
 */
public final class Rng {
    /** Stream ids: one independent generator per purpose. */
    public static final int INIT = 1, SPLIT = 2, BATCHES = 3, SAMPLES = 4, PROBE = 5;
    /** Streams of the batch-norm views: the backward check's init, the coupling explorer's batches, evaluation with batch statistics, the explorer's example. */
    public static final int CHECK = 6, COUPLING = 7, EVAL_BATCHES = 8, EXAMPLE = 9;

    private int s0, s1, s2, s3;

    public Rng(long seed, int stream) {
        int x = (int) seed ^ mix((int) (seed >>> 32)) ^ mix(stream * 0x632BE5AB);
        s0 = mix(x += 0x9E3779B9);
        s1 = mix(x += 0x9E3779B9);
        s2 = mix(x += 0x9E3779B9);
        s3 = mix(x + 0x9E3779B9);
        if ((s0 | s1 | s2 | s3) == 0) s0 = 1;   // the all-zero state would repeat forever
    }

    private Rng(int s0, int s1, int s2, int s3) {
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
    }

    /** A generator in the given raw state, bypassing the seeding: for the reference known-answer test. */
    static Rng ofState(int s0, int s1, int s2, int s3) { return new Rng(s0, s1, s2, s3); }

    /** The 128 bits of state: saved with a run, they let it go on with the very draws it would have made. */
    public int[] state() { return new int[] {s0, s1, s2, s3}; }

    /**
     * A generator that goes on from a saved {@link #state()}.
     * @throws IllegalArgumentException unless 4 words, not all zero (a state no generator reaches)
     */
    public static Rng fromState(int[] state) {
        if (state.length != 4) throw new IllegalArgumentException("a generator's state is 4 words, got " + state.length);
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw new IllegalArgumentException("the all-zero state is not a generator's");
        return new Rng(state[0], state[1], state[2], state[3]);
    }

    /** Takes another generator's state: with a copy taken before some draws, undoes them. */
    public void copyFrom(Rng other) {
        s0 = other.s0;
        s1 = other.s1;
        s2 = other.s2;
        s3 = other.s3;
    }

    /** A 32-bit finaliser (from MurmurHash3): spreads every input bit over the output. */
    private static int mix(int z) {
        z = (z ^ (z >>> 16)) * 0x85EBCA6B;
        z = (z ^ (z >>> 13)) * 0xC2B2AE35;
        return z ^ (z >>> 16);
    }

    /** The next 32 random bits. */
    public int nextInt() {
        int result = Integer.rotateLeft(s1 * 5, 7) * 9;
        int t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Integer.rotateLeft(s3, 11);
        return result;
    }

    /** Uniform in [0, bound), without modulo bias (rejects the few values of an incomplete cycle). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        int limit = Integer.MAX_VALUE - (Integer.MAX_VALUE % bound) ;
        int r;
        do {
            r = nextInt() >>> 1;
        } while (r >= limit);
        return r % bound;
    }

    /** Uniform in [0, 1) with 24 random bits: every float of the form k / 2^24. */
    public float nextFloat() {
        return (nextInt() >>> 8) * 0x1.0p-24f;
    }

    /**
     * A standard normal draw, by Marsaglia's polar method: pick (u, v) uniform in the unit disc,
     * then u·√(−2 ln s / s) with s = u² + v² is N(0, 1). Needs only log and √ (see FMath).
     */
    public float nextGaussian() {
        double u, v, s;
        do {
            u = 2.0 * nextFloat() - 1.0;
            v = 2.0 * nextFloat() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        return (float) (u * Math.sqrt(-2.0 * FMath.logD(s) / s));
    }

    /** Fisher–Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
