package teagrad;

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
