package teagrad.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import teagrad.autograd.Tensor;
import teagrad.data.Dataset;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.train.Trainer;

/**
 * Where a training step's time goes: every op's forward and each of its backward functions,
 * timed over many repetitions on a model that has trained for a while, beside the whole step.
 * What the ops leave over is the trainer's own work (drawing the minibatch, zeroing gradients,
 * the finiteness check, the SGD update), which is timed part by part too. {@code bench} prints it for the JVM, and the worker
 * runs the same code for {@code bench/run}'s browser half, so that both runtimes can be read
 * op by op. Each figure is the median of three rounds, and each round times every part once:
 * the machines drift while they run.
 */
public final class StepProfile {
    private StepProfile() {}

    /** Milliseconds from any fixed origin (System.nanoTime on the JVM, performance.now in a worker). */
    public interface Clock { double millis(); }

    private static final int ROUNDS = 3;

    /** The table as text, one line per op; {@code reps} repetitions per figure and round. */
    public static String table(Config config, Dataset data, int reps, Clock clock) {
        if (reps < 1 || reps > 100_000) throw new IllegalArgumentException("profile: reps must be in [1, 100000], got " + reps);
        Config c = config.copy();
        c.steps = Config.MAX_STEPS;   // a run long enough for every repetition
        Trainer trainer = new Trainer(Model.init(c, data.vocab), data);
        for (int i = 0; i < 2000; i++) trainer.trainStep();   // past the start, and JIT-compiled
        Tensor[] ops = trainer.lastPass().graph.ops();
        java.util.Map<Tensor, String> names = trainer.model.net.parameterNames();   // "2.weight" rather than "weight"

        // What is timed: every forward and backward function in graph order, then the whole step.
        // Each round times them all once, so that every figure sees the same drift.
        List<Runnable> parts = new ArrayList<>();
        for (Tensor op : ops) {
            parts.add(op.forwardFunction());
            parts.addAll(Arrays.asList(op.backwardFunctions()));
        }
        java.util.Map<String, Runnable> own = trainer.ownWork();   // what the rest of the step is made of
        parts.addAll(own.values());
        parts.add(trainer::trainStep);
        double[][] us = new double[parts.size()][ROUNDS];
        trainer.runSteps(() -> {   // as training runs them: the weights where the products are for all of it
            for (int round = 0; round < ROUNDS; round++) {
                for (int p = 0; p < parts.size(); p++) {
                    Runnable r = parts.get(p);
                    double start = clock.millis();
                    for (int i = 0; i < reps; i++) r.run();
                    us[p][round] = (clock.millis() - start) * 1000 / reps;
                }
            }
        });
        double[] median = new double[parts.size()];
        for (int p = 0; p < parts.size(); p++) {
            Arrays.sort(us[p]);
            median[p] = us[p][ROUNDS / 2];
        }

        StringBuilder out = new StringBuilder();
        out.append("one training step, µs (median of ").append(ROUNDS).append(" rounds of ").append(reps).append("):\n");
        double sum = 0;
        int p = 0;
        for (Tensor op : ops) {
            sum += median[p];
            out.append("  ").append(label(op.name, 16)).append(label(op.shapeString(), 11)).append("forward ").append(number(median[p++], 6));
            for (Tensor in : op.inputs()) {
                sum += median[p];
                out.append("   d").append(names.getOrDefault(in, in.name)).append(' ').append(number(median[p++], 5));
            }
            out.append('\n');
        }
        double step = median[p + own.size()];
        out.append("  ").append(label("all ops", 28)).append(number(sum, 6)).append('\n');
        out.append("  ").append(label("rest of the step", 28)).append(number(Math.max(0, step - sum), 6)).append("  of which:\n");
        for (String part : own.keySet()) out.append("    ").append(label(part, 26)).append(number(median[p++], 6)).append('\n');
        out.append("  ").append(label("whole step", 28)).append(number(step, 6))
            .append("  = ").append(Math.round(1e6 / step)).append(" steps/s\n");
        return out.toString();
    }

    // By hand, not String.format: TeaVM's Formatter would add ~170 KB to the worker.
    /** v with one decimal, right-aligned in width. */
    private static String number(double v, int width) {
        long tenths = Math.round(v * 10);
        String t = (tenths / 10) + "." + (tenths % 10);
        return " ".repeat(Math.max(0, width - t.length())) + t;
    }

    /** s, left-aligned in width (at least one space after it). */
    private static String label(String s, int width) {
        return s + " ".repeat(Math.max(1, width - s.length()));
    }
}
