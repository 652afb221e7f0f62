package teagrad.diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * At most {@code capacity} items of a run, one per logged step, spread over the whole run so
 * that a scrubber can replay it from step 0 to now. While there is room every offered step is
 * kept; when the history overflows, every second item is dropped (the first and the newest
 * stay) and from then on a step is taken only once it is as far past the newest as the kept
 * items are apart. So the history always reaches back to the first step, its items about
 * evenly spaced, and memory stays bounded however long the run. Ask {@link #wants} before
 * building an item: an unwanted step costs a comparison.
 */
public final class StepHistory<T> {
    private final int capacity;
    private final List<Integer> steps = new ArrayList<>();
    private final List<T> items = new ArrayList<>();
    private double spacing;   // steps between kept items; 0 until the first thinning

    public StepHistory(int capacity) {
        if (capacity < 2) throw new IllegalArgumentException("a step history keeps at least 2 items, got " + capacity);
        this.capacity = capacity;
    }

    /** Whether {@link #add} would keep an item for this step. */
    public boolean wants(int step) {
        if (steps.isEmpty()) return true;
        int newest = steps.get(steps.size() - 1);
        return step <= newest || step >= newest + spacing;   // an earlier step starts a new run; the same step replaces
    }

    /**
     * Keeps {@code item} for {@code step} if {@link #wants} it. The same step as the newest
     * replaces it (a later look at the same step); an earlier step means a new run: the
     * history starts again.
     * @return whether it was kept
     */
    public boolean add(int step, T item) {
        if (!wants(step)) return false;
        if (!steps.isEmpty()) {
            int newest = steps.get(steps.size() - 1);
            if (step < newest) clear();
            else if (step == newest) {
                items.set(items.size() - 1, item);
                return true;
            }
        }
        steps.add(step);
        items.add(item);
        if (items.size() > capacity) thin();
        return true;
    }

    /** Every second item dropped, the first and the newest kept; new items follow at the new spacing. */
    private void thin() {
        int last = items.size() - 1;
        List<Integer> s = new ArrayList<>();
        List<T> t = new ArrayList<>();
        for (int i = 0; i <= last; i += 2) { s.add(steps.get(i)); t.add(items.get(i)); }
        if (last % 2 != 0) { s.add(steps.get(last)); t.add(items.get(last)); }
        steps.clear();
        steps.addAll(s);
        items.clear();
        items.addAll(t);
        spacing = (double) (steps.get(steps.size() - 1) - steps.get(0)) / (steps.size() - 1);
    }

    public void clear() {
        steps.clear();
        items.clear();
        spacing = 0;
    }

    public int size() { return items.size(); }

    /** The step of item i, oldest first. */
    public int step(int i) { return steps.get(i); }

    /** Item i, oldest first. */
    public T get(int i) { return items.get(i); }

    /** The items, oldest first. */
    public List<T> items() { return Collections.unmodifiableList(items); }

    /** The index of the item nearest to {@code step} (a scrubber at any position); −1 when empty. */
    public int nearest(int step) {
        int best = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (best < 0 || Math.abs(steps.get(i) - step) < Math.abs(steps.get(best) - step)) best = i;
        }
        return best;
    }
}
