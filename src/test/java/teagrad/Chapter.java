package teagrad;

import teagrad.nn.BatchNorm1d;
import teagrad.nn.Embedding;
import teagrad.nn.Linear;
import teagrad.model.Model;

/**
 * The chapter's network by the notebook's names, for tests that poke at one parameter:
 * C (the embedding), W1 (the first linear), the batch norm, W2 and b2 (the last linear).
 */
public final class Chapter {
    private Chapter() {}

    public static Embedding embedding(Model m) { return m.net.embedding(); }

    public static float[] C(Model m) { return m.net.embedding().weight.data; }

    public static Linear first(Model m) { return (Linear) m.net.layer(2); }

    public static Linear last(Model m) { return (Linear) m.net.layer(m.net.size() - 1); }

    /** The batch norm after the first linear layer, or null without batch norm. */
    public static BatchNorm1d bn(Model m) { return m.batchNorms().isEmpty() ? null : m.batchNorms().get(0); }
}
