package teagrad.model;

import java.util.List;
import java.util.function.Consumer;

/**
 * The lecture's story as named experiments, with the text the page shows for them (the title on
 * its button, the summary beside it): the same names in the CLI ({@code train --preset}) and the
 * page, which gets this list in the worker's {@code ready}. A preset sets the network and its
 * init (the settings {@link Setting#byPreset}); the run's settings (steps, seed, batch size,
 * learning rate) stay as they are.
 */
public final class Presets {
    private Presets() {}

    /** {@code network} changes the chapter's network (the batchnorm preset, Config's defaults) into this one. */
    public record Preset(String name, String title, String summary, Consumer<Config> network) {}

    private static final int[] DEEP = {100, 100, 100, 100, 100};

    public static final List<Preset> ALL = List.of(
        new Preset("naive-init", "Naive init", "C, W1, b1, W2, b2 all N(0, 1), no batch norm: confident wrong logits, first loss ≈ 27",
            c -> { c.batchNorm = false; c.hiddenScale = 1; c.hiddenBiasScale = 1; c.outScale = 1; c.outBiasScale = 1; }),
        new Preset("small-logits", "Small logits", "as naive, but W2 × 0.01 and b2 = 0: first loss ≈ 3.3, yet tanh saturates",
            c -> { c.batchNorm = false; c.hiddenScale = 1; c.hiddenBiasScale = 1; }),
        new Preset("no-saturation", "No saturation", "as small logits, and W1 × 0.2, b1 × 0.01: tanh stays in its active range",
            c -> { c.batchNorm = false; c.hiddenScale = 0.2f; c.hiddenBiasScale = 0.01f; }),
        new Preset("kaiming", "Kaiming", "as small logits, W1 × (5/3)/√fan_in, b1 × 0.01: the principled scale",
            c -> { c.batchNorm = false; c.hiddenBiasScale = 0.01f; }),
        new Preset("batchnorm", "Batch norm", "the chapter's network: Linear, BatchNorm1d, Tanh, Linear",
            c -> {}),
        // Part 2's picture: with two numbers per character the embedding table can be drawn in the plane.
        new Preset("embed2", "2-D embedding", "the chapter's network with 2-number embeddings: the characters drawn in the plane, as in part 2",
            c -> c.embedDim = 2),
        // The deep nets keep outScale's 0.01: the lecture's last weight × 0.1, on top of 1/√100.
        new Preset("deep-gain1", "Deep, gain 1", "5 × 100 tanh layers, no batch norm, gain 1: activations shrink layer by layer",
            c -> { c.widths = DEEP.clone(); c.batchNorm = false; c.initGain = 1f; }),
        new Preset("deep-kaiming", "Deep, Kaiming 5/3", "5 × 100 tanh layers, no batch norm, gain 5/3: stable",
            c -> { c.widths = DEEP.clone(); c.batchNorm = false; }),
        new Preset("deep-gain3", "Deep, gain 3", "5 × 100 tanh layers, no batch norm, gain 3: saturated",
            c -> { c.widths = DEEP.clone(); c.batchNorm = false; c.initGain = 3f; }),
        // With batch norm on the logits, outScale is its γ at the start: the lecture's layers[-1].gamma *= 0.1.
        new Preset("deep-batchnorm", "Deep + batch norm", "5 × 100 with batch norm after every linear layer, gain 5/3",
            c -> { c.widths = DEEP.clone(); c.outBatchNorm = true; c.outScale = 0.1f; }));

    public static String names() {
        StringBuilder b = new StringBuilder();
        for (Preset p : ALL) b.append(b.length() == 0 ? "" : ", ").append(p.name());
        return b.toString();
    }

    /** The config with the preset's network and init; everything else as in {@code base}. */
    public static Config apply(String name, Config base) {
        for (Preset p : ALL) {
            if (!p.name().equals(name)) continue;
            Config c = base.copy();
            Config chapter = new Config();
            for (Setting s : Settings.ALL) if (s.byPreset()) s.copy(chapter, c);
            p.network().accept(c);
            return c;
        }
        throw new IllegalArgumentException("unknown preset '" + name + "'; the presets are " + names());
    }

    /** The preset whose network and init {@code c} has, or "custom". */
    public static String nameOf(Config c) {
        for (Preset p : ALL) {
            Config q = apply(p.name(), c);
            boolean same = true;
            for (Setting s : Settings.ALL) same &= !s.byPreset() || s.same(q, c);
            if (same) return p.name();
        }
        return "custom";
    }
}
