package teagrad.diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import teagrad.nn.Sequential;
import teagrad.nn.Tanh;

/**
 * What the views show at one step, kept for replay (the lecture's plots at step 0, 1,000 and
 * the end, or any step between): the {@link Diagnostics} (histograms, saturation, weights), the
 * saturation picture of every tanh layer and every batch norm's {@link BatchNormStats}. All
 * copies, taken from the step's buffers: keep them in a {@link StepHistory}.
 */
public final class Snapshot {
    public final int step;
    public final Diagnostics diagnostics;
    /** saturation.get(t): the t-th tanh layer's picture, 1 where |h| > 0.97, [batch × units] row-major. */
    public final List<byte[]> saturation;
    public final List<BatchNormStats> batchNorms;

    private Snapshot(int step, Diagnostics diagnostics, List<byte[]> saturation, List<BatchNormStats> batchNorms) {
        this.step = step;
        this.diagnostics = diagnostics;
        this.saturation = Collections.unmodifiableList(saturation);
        this.batchNorms = Collections.unmodifiableList(batchNorms);
    }

    /** From {@code pass} after a step's forward and backward (or the trainer's probe at step 0). */
    public static Snapshot of(int step, Sequential net, Sequential.Pass pass, float lr) {
        return of(step, net, pass, new Diagnostics(net, pass, lr));
    }

    /** The same, with the diagnostics already computed for this step (the page has them for its live views). */
    public static Snapshot of(int step, Sequential net, Sequential.Pass pass, Diagnostics diagnostics) {
        List<byte[]> saturation = new ArrayList<>();
        for (int i = 0; i < net.size(); i++) if (net.layer(i) instanceof Tanh) saturation.add(Diagnostics.saturation(pass, i));
        return new Snapshot(step, diagnostics, saturation, BatchNormStats.of(net, pass));
    }
}
