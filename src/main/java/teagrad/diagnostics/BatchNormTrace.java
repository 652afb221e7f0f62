package teagrad.diagnostics;

import java.util.List;
import teagrad.nn.Sequential;

/**
 * Every batch norm's {@link BatchNormStats} at the logged steps of a run, for the statistics
 * panel: one unit's batch mean and std against its running ones over the steps (where momentum
 * shows as lag), and every unit at one step. Bounded by a {@link StepHistory}: however long the
 * run, at most {@link #CAPACITY} steps, spread over all of it.
 */
public final class BatchNormTrace {
    /** Steps kept: logged every 32 steps, the first 12,800 steps at full detail, then spread evenly. */
    public static final int CAPACITY = 400;

    private final StepHistory<List<BatchNormStats>> history = new StepHistory<>(CAPACITY);

    /** The batch norms of {@code pass} after the step {@code step} (copies), if the history wants that step. */
    public void record(int step, Sequential net, Sequential.Pass pass) {
        if (history.wants(step)) history.add(step, BatchNormStats.of(net, pass));
    }

    public void clear() { history.clear(); }

    public int size() { return history.size(); }

    /** The newest step's statistics, or null before any. */
    public List<BatchNormStats> newest() { return history.size() == 0 ? null : history.get(history.size() - 1); }

    /** One unit of one batch norm over the logged steps, oldest first. */
    public static final class Series {
        public final int[] steps;
        public final float[] batchMean, batchStd, runningMean, runningStd, runningStdBiased;

        Series(int n) {
            steps = new int[n];
            batchMean = new float[n];
            batchStd = new float[n];
            runningMean = new float[n];
            runningStd = new float[n];
            runningStdBiased = new float[n];
        }
    }

    /**
     * Unit {@code unit} of the {@code k}-th batch norm (in layer order) at every logged step.
     * @throws IllegalArgumentException naming what does not exist
     */
    public Series series(int k, int unit) {
        List<BatchNormStats> last = newest();
        if (last == null) throw new IllegalArgumentException("no steps logged yet");
        if (k < 0 || k >= last.size()) throw new IllegalArgumentException("batch norm " + (k + 1) + " does not exist: the network has " + last.size());
        int units = last.get(k).batchMean.length;
        if (unit < 0 || unit >= units) throw new IllegalArgumentException("unit must be between 0 and " + (units - 1) + ", got " + unit);
        Series s = new Series(history.size());
        for (int i = 0; i < history.size(); i++) {
            BatchNormStats b = history.get(i).get(k);
            int step = history.step(i);
            s.steps[i] = step;
            s.batchMean[i] = b.batchMean[unit];
            s.batchStd[i] = b.batchStd[unit];
            s.runningMean[i] = b.runningMean[unit];
            s.runningStd[i] = b.runningStd[unit];
            s.runningStdBiased[i] = b.runningStdBiased(step, unit);
        }
        return s;
    }
}
