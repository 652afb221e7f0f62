package teagrad.train;

import java.util.Arrays;

/**
 * A run's curve: the batch loss of every step and the dev losses measured along the way, so
 * that a saved model carries the picture of how it got there (the model file's optional
 * "history"), and a resumed run's chart continues where it stopped.
 */
public final class History {
    private float[] losses = new float[1024];
    private int count;
    private int[] devSteps = new int[16];
    private float[] devLosses = new float[16];
    private int devCount;

    /**
     * The curve of a model at {@code step}, checked: no more losses than steps, every value finite,
     * dev points at steps taken and in order.
     * @throws IllegalArgumentException naming the first value that cannot be the run's
     */
    public static History of(float[] losses, int[] devSteps, float[] devLosses, int step) {
        if (losses.length > step) throw new IllegalArgumentException("history.losses has " + losses.length + " values, more than the " + step + " steps taken");
        if (devSteps.length != devLosses.length) throw new IllegalArgumentException("history.devSteps and history.devLosses differ in length");
        History h = new History();
        for (int i = 0; i < losses.length; i++) h.addLoss(finite(losses[i], "history.losses[" + i + "]"));
        int last = 0;
        for (int i = 0; i < devSteps.length; i++) {
            if (devSteps[i] < last || devSteps[i] > step) {
                throw new IllegalArgumentException("history.devSteps[" + i + "] must be a step from " + last + " to " + step + ", got " + devSteps[i]);
            }
            last = devSteps[i];
            h.addDev(last, finite(devLosses[i], "history.devLosses[" + i + "]"));
        }
        return h;
    }

    private static float finite(float v, String where) {
        if (!Float.isFinite(v)) throw new IllegalArgumentException(where + " is " + v + ", not a finite number");
        return v;
    }

    /** The batch loss of the next step. */
    public void addLoss(float loss) {
        if (count == losses.length) losses = Arrays.copyOf(losses, 2 * count);
        losses[count++] = loss;
    }

    /** A dev loss measured after {@code step} steps. */
    public void addDev(int step, float loss) {
        if (devCount == devSteps.length) {
            devSteps = Arrays.copyOf(devSteps, 2 * devCount);
            devLosses = Arrays.copyOf(devLosses, 2 * devCount);
        }
        devSteps[devCount] = step;
        devLosses[devCount++] = loss;
    }

    public int size() { return count; }

    public float[] losses() { return Arrays.copyOf(losses, count); }

    public int[] devSteps() { return Arrays.copyOf(devSteps, devCount); }

    public float[] devLosses() { return Arrays.copyOf(devLosses, devCount); }

    public boolean isEmpty() { return count == 0 && devCount == 0; }
}
