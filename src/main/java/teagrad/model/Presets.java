package teagrad.model;

import java.util.List;

/**
 * The lecture's story as named experiments: the same names in the CLI ({@code train --preset})
 * and the page. A preset sets the network and its init; the run's settings (steps, seed, batch
 * size, learning rate) stay as they are.
 */
public final class Presets {
    private Presets() {}

    public record Preset(String name, String title, String summary) {}

    public static final List<Preset> ALL = List.of(
        new Preset("naive-init", "Naive init", "C, W1, b1, W2, b2 all N(0, 1), no batch norm: confident wrong logits, first loss ≈ 27"),
        new Preset("small-logits", "Small logits", "as naive, but W2 × 0.01 and b2 = 0: first loss ≈ 3.3, yet tanh saturates"),
        new Preset("no-saturation", "No saturation", "as small logits, and W1 × 0.2, b1 × 0.01: tanh stays in its active range"),
        new Preset("kaiming", "Kaiming", "as small logits, W1 × (5/3)/√fan_in, b1 × 0.01: the principled scale"),
        new Preset("batchnorm", "Batch norm", "the chapter's network: Linear, BatchNorm1d, Tanh, Linear"),
        new Preset("deep-gain1", "Deep, gain 1", "5 × 100 tanh layers, no batch norm, gain 1: activations shrink layer by layer"),
        new Preset("deep-kaiming", "Deep, Kaiming 5/3", "5 × 100 tanh layers, no batch norm, gain 5/3: stable"),
        new Preset("deep-gain3", "Deep, gain 3", "5 × 100 tanh layers, no batch norm, gain 3: saturated"),
        new Preset("deep-batchnorm", "Deep + batch norm", "5 × 100 with batch norm after every linear layer, gain 5/3"));

    public static String names() {
        StringBuilder b = new StringBuilder();
        for (Preset p : ALL) b.append(b.length() == 0 ? "" : ", ").append(p.name());
        return b.toString();
    }

    /** The config with the preset's network and init; everything else as in {@code base}. */
    public static Config apply(String name, Config base) {
        Config c = base.copy();
        Config d = new Config();   // the chapter's defaults: the batchnorm preset
        c.widths = d.widths; c.batchNorm = d.batchNorm; c.outBatchNorm = d.outBatchNorm; c.initGain = d.initGain;
        c.hiddenScale = d.hiddenScale; c.hiddenBiasScale = d.hiddenBiasScale; c.outScale = d.outScale; c.outBiasScale = d.outBiasScale;
        switch (name) {
            case "naive-init":
                c.batchNorm = false; c.hiddenScale = 1; c.hiddenBiasScale = 1; c.outScale = 1; c.outBiasScale = 1;
                break;
            case "small-logits":
                c.batchNorm = false; c.hiddenScale = 1; c.hiddenBiasScale = 1;
                break;
            case "no-saturation":
                c.batchNorm = false; c.hiddenScale = 0.2f; c.hiddenBiasScale = 0.01f;
                break;
            case "kaiming":
                c.batchNorm = false; c.hiddenBiasScale = 0.01f;
                break;
            case "batchnorm":
                break;
            case "deep-gain1": case "deep-kaiming": case "deep-gain3":
                c.widths = new int[] {100, 100, 100, 100, 100};
                c.batchNorm = false;
                c.initGain = name.equals("deep-gain1") ? 1f : name.equals("deep-gain3") ? 3f : 5f / 3f;
                c.outScale = 0.01f;   // the lecture's last weight × 0.1, on top of 1/√100
                break;
            case "deep-batchnorm":
                c.widths = new int[] {100, 100, 100, 100, 100};
                c.outBatchNorm = true;
                c.outScale = 0.1f;    // the lecture's layers[-1].gamma *= 0.1
                break;
            default:
                throw new IllegalArgumentException("unknown preset '" + name + "'; the presets are " + names());
        }
        return c;
    }

    /** The preset whose network and init {@code c} has, or "custom". */
    public static String nameOf(Config c) {
        for (Preset p : ALL) {
            Config q = apply(p.name(), c);
            if (java.util.Arrays.equals(q.widths, c.widths) && q.batchNorm == c.batchNorm && q.outBatchNorm == c.outBatchNorm
                && q.initGain == c.initGain && q.hiddenScale == c.hiddenScale && q.hiddenBiasScale == c.hiddenBiasScale
                && q.outScale == c.outScale && q.outBiasScale == c.outBiasScale) return p.name();
        }
        return "custom";
    }
}
