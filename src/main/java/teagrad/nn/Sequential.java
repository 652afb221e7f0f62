package teagrad.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import teagrad.autograd.Graph;
import teagrad.autograd.Ops;
import teagrad.autograd.Tensor;
import teagrad.data.Dataset;

/**
 * Layers applied one after the other, as torch.nn.Sequential: the network is this list. It
 * starts with an {@link Embedding} of a context of {@code blockSize} symbols and ends with one
 * logit per symbol; the constructor checks that every layer's output fits the next layer.
 *
 * <p>A {@link Pass} is the training graph for one batch size. Where the layers start
 * Embedding → Flatten → Linear it runs them as one fused op ({@link Ops#embeddingLinear}, proven
 * equal to the three ops in a row): each distinct symbol at a position is multiplied by the
 * weight once per batch instead of once per row.
 */
public final class Sequential {
    public final int blockSize;
    private final List<Layer> layers;
    private final int[][] shapes;   // per-example output shape of each layer

    /** @throws IllegalArgumentException naming the first layer that does not fit */
    public Sequential(int blockSize, List<Layer> layers) {
        if (blockSize < 1) throw new IllegalArgumentException("blockSize must be at least 1, got " + blockSize);
        if (layers.isEmpty() || !(layers.get(0) instanceof Embedding)) {
            throw new IllegalArgumentException("layers[0] must be an embedding: the network's input is symbol indices");
        }
        this.blockSize = blockSize;
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
        shapes = new int[layers.size()][];
        int[] shape = {blockSize};
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (i > 0 && l instanceof Embedding) throw new IllegalArgumentException(where(i) + " is an embedding: only the first layer can be one");
            try {
                shape = l.outShape(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where(i) + " " + e.getMessage() + " (from " + where(i - 1) + ")");
            }
            shapes[i] = shape;
        }
        if (shape.length != 1) {
            throw new IllegalArgumentException("the last layer gives " + Layer.describe(shape) + ": the network must end in one logit per symbol (add Flatten and Linear)");
        }
    }

    private String where(int i) { return "layers[" + i + "] " + layers.get(i); }

    public List<Layer> layers() { return layers; }

    public Layer layer(int i) { return layers.get(i); }

    public int size() { return layers.size(); }

    public Embedding embedding() { return (Embedding) layers.get(0); }

    /** Logits per example: must equal the vocabulary size. */
    public int outputs() { return shapes[shapes.length - 1][0]; }

    /** Layer i's output shape for one example. */
    public int[] shape(int i) { return shapes[i].clone(); }

    /** Every layer's parameters, in layer order. */
    public List<Tensor> parameters() {
        List<Tensor> ps = new ArrayList<>();
        for (Layer l : layers) ps.addAll(l.parameters());
        return ps;
    }

    /** Each parameter's name as PyTorch's state_dict gives it: "0.weight", "3.bias", … */
    public java.util.Map<Tensor, String> parameterNames() {
        java.util.Map<Tensor, String> names = new java.util.IdentityHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            List<Tensor> ps = layers.get(i).parameters();
            for (int k = 0; k < ps.size(); k++) names.put(ps.get(k), i + "." + (k == 0 ? "weight" : "bias"));
        }
        return names;
    }

    public int parameterCount() {
        int n = 0;
        for (Tensor p : parameters()) n += p.size();
        return n;
    }

    /** The batch-norm layers, in order (their running statistics are state besides the parameters). */
    public List<BatchNorm1d> batchNorms() {
        List<BatchNorm1d> bns = new ArrayList<>();
        for (Layer l : layers) if (l instanceof BatchNorm1d bn) bns.add(bn);
        return bns;
    }

    /** Training mode: batch norm uses and updates batch statistics. */
    public void train() { for (Layer l : layers) l.train(true); }

    /** Eval mode: batch norm uses its running statistics. */
    public void eval() { for (Layer l : layers) l.train(false); }

    /** Whether the network starts Embedding → Flatten → Linear (the fused op's and the lookup table's shape). */
    public boolean startsWithEmbeddingLinear() {
        return layers.size() > 2 && layers.get(1) instanceof Flatten && layers.get(2) instanceof Linear;
    }

    /** The training graph for batches of {@code batch} examples, the first three layers fused where they can be. */
    public Pass pass(int batch) { return new Pass(this, batch, true); }

    /** The same graph with every layer its own op: what the fused pass is proven equal to. */
    public Pass unfusedPass(int batch) { return new Pass(this, batch, false); }

    /** The network as PyTorch prints it, a layer per line. */
    @Override public String toString() {
        StringBuilder b = new StringBuilder("Sequential(\n");
        for (int i = 0; i < layers.size(); i++) b.append("  (").append(i).append("): ").append(layers.get(i)).append('\n');
        return b.append(')').toString();
    }

    /** One forward/backward graph with its input buffers and every layer's output. */
    public static final class Pass {
        public final int batch;
        public final int[] x;    // [batch × blockSize] context indices
        public final int[] y;    // [batch] targets
        public final Tensor logits, loss;
        public final Graph graph;
        private final Sequential net;
        private final Tensor[] outputs;   // null for the embedding and flatten when fused away

        Pass(Sequential net, int batch, boolean fuse) {
            this.net = net;
            this.batch = batch;
            int block = net.blockSize;
            x = new int[batch * block];
            y = new int[batch];
            outputs = new Tensor[net.size()];
            int i;
            Tensor h;
            if (fuse && net.startsWithEmbeddingLinear()) {
                Linear first = (Linear) net.layer(2);
                h = Ops.embeddingLinear(net.embedding().weight, x, batch, block, first.weight, first.bias);   // C[X].view(B, -1) @ W (+ b)
                outputs[2] = h;
                i = 3;
            } else {
                h = net.embedding().apply(x, batch, block);
                outputs[0] = h;
                i = 1;
            }
            for (; i < net.size(); i++) {
                h = net.layer(i).apply(h);
                outputs[i] = h;
            }
            logits = h;
            loss = Ops.crossEntropy(logits, y);
            graph = new Graph(loss);
        }

        /**
         * Layer i's output in the last forward, its gradient after the last backward. The fused
         * embedding and flatten are rebuilt on request: C[x] and dY·Wᵀ, with dY the gradient of
         * the linear layer that consumed them.
         */
        public Tensor output(int i) {
            if (outputs[i] != null) return outputs[i];
            int block = net.blockSize, dim = net.embedding().dim, k = block * dim;
            Linear first = (Linear) net.layer(2);
            Tensor flat = new Tensor("flatten", batch, k);
            float[] c = net.embedding().weight.data, w = first.weight.data, dy = outputs[2].grad;
            for (int r = 0; r < batch * block; r++) System.arraycopy(c, x[r] * dim, flat.data, r * dim, dim);
            for (int r = 0; r < batch; r++) {
                for (int p = 0; p < k; p++) {
                    float s = 0;
                    for (int j = 0; j < first.out; j++) s += dy[r * first.out + j] * w[p * first.out + j];
                    flat.grad[r * k + p] = s;
                }
            }
            return i == 1 ? flat : Ops.view(flat, batch, block, dim);
        }

        /** Copies examples {@code rows[i]} of a split into the input buffers. */
        public void load(Dataset.Split s, int[] rows) {
            int block = s.blockSize;
            for (int i = 0; i < batch; i++) {
                System.arraycopy(s.x, rows[i] * block, x, i * block, block);
                y[i] = s.y[rows[i]];
            }
        }
    }
}
