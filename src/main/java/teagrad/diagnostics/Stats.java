package teagrad.diagnostics;

/**
 * The summary numbers the lecture prints for a tensor, in double precision: mean, standard
 * deviation (unbiased, as torch.std), and a density histogram (as torch.histogram(t, 100,
 * density=True): equal bins over [min, max], each bin's count / (n · bin width), so the bars
 * integrate to 1 and tensors of different sizes can share an axis).
 */
public final class Stats {
    public static final int BINS = 100;

    public final double mean, std, min, max;
    /** Density per bin over [min, max]; a constant tensor gets one bin-wide spike around its value. */
    public final float[] density = new float[BINS];

    public Stats(float[] x) {
        this(x, 0, x.length);
    }

    /** Stats of x[from .. to). */
    public Stats(float[] x, int from, int to) {
        int n = to - from;
        if (n < 1) throw new IllegalArgumentException("no values to summarise");
        double sum = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            sum += x[i];
            lo = Math.min(lo, x[i]);
            hi = Math.max(hi, x[i]);
        }
        mean = sum / n;
        double sq = 0;
        for (int i = from; i < to; i++) {
            double d = x[i] - mean;
            sq += d * d;
        }
        std = n > 1 ? Math.sqrt(sq / (n - 1)) : 0;   // unbiased: n − 1
        if (hi == lo) { lo -= 0.5; hi += 0.5; }     // as numpy and torch: a range that has width
        min = lo;
        max = hi;
        double width = (hi - lo) / BINS;
        int[] count = new int[BINS];
        for (int i = from; i < to; i++) {
            int b = (int) ((x[i] - lo) / width);
            count[Math.min(BINS - 1, Math.max(0, b))]++;   // the maximum belongs to the last bin
        }
        for (int b = 0; b < BINS; b++) density[b] = (float) (count[b] / (n * width));
    }

    /** Fraction of |x| above {@code threshold}: saturated tanh units at 0.97. */
    public static double fractionAbove(float[] x, float threshold) {
        int n = 0;
        for (float v : x) if (Math.abs(v) > threshold) n++;
        return (double) n / x.length;
    }
}
