package teagrad.nn;

import java.util.List;
import teagrad.autograd.Ops;
import teagrad.autograd.Tensor;

/**
 * A learned vector per symbol: row v of {@code weight} is symbol v's embedding (the notebook's C).
 * Its input is a batch of symbol indices, so it is always a network's first layer.
 */
public final class Embedding extends Layer {
    public final int symbols, dim;
    public final Tensor weight;   // [symbols, dim]

    public Embedding(int symbols, int dim) {
        if (symbols < 1 || dim < 1) throw new IllegalArgumentException("Embedding(" + symbols + ", " + dim + "): sizes must be at least 1");
        this.symbols = symbols;
        this.dim = dim;
        weight = new Tensor("weight", symbols, dim);
    }

    @Override public String type() { return "embedding"; }

    @Override public List<Tensor> parameters() { return List.of(weight); }

    /** in = [block]: the context positions of one example. */
    @Override int[] outShape(int[] in) { return new int[] {in[0], dim}; }

    /** The gather C[ix] for {@code rows} examples of {@code block} indices each. */
    public Tensor apply(int[] ix, int rows, int block) { return Ops.embedding(weight, ix, rows, block); }

    @Override public Tensor apply(Tensor x) {
        throw new UnsupportedOperationException("an embedding looks up symbol indices, not a tensor: it must be the first layer");
    }

    @Override public String toString() { return "Embedding(" + symbols + ", " + dim + ")"; }
}
