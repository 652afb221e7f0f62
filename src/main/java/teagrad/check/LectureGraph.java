package teagrad.check;

import static teagrad.check.LectureOps.exp;
import static teagrad.check.LectureOps.inverseSqrt;
import static teagrad.check.LectureOps.log;
import static teagrad.check.LectureOps.maxOfRows;
import static teagrad.check.LectureOps.minus;
import static teagrad.check.LectureOps.negativeMeanOfPicked;
import static teagrad.check.LectureOps.plus;
import static teagrad.check.LectureOps.reciprocal;
import static teagrad.check.LectureOps.square;
import static teagrad.check.LectureOps.sum;
import static teagrad.check.LectureOps.times;

import teagrad.autograd.Graph;
import teagrad.autograd.Ops;
import teagrad.autograd.Tensor;
import teagrad.nn.BatchNorm1d;
import teagrad.nn.Linear;
import teagrad.nn.Sequential;

/**
 * The chapter's network on one batch, written out as the lecture's part 4 writes its forward
 * pass: "chunkated into smaller steps that are possible to backward one at a time". Every
 * intermediate is a tensor of its own, with the lecture's name, so teagrad's autograd gives
 * each one its gradient ({@link #backward}), and {@link ManualBackward} reads the same values.
 *
 * <p>One difference from the notebook: bnvar divides by n, not n − 1. The notebook's part 4
 * uses Bessel's correction here; {@link BatchNorm1d} (like PyTorch's) normalises a training
 * batch with the biased variance, and this graph must compute what the training graph
 * computes. The parameters are copies: nothing here touches the model.
 */
public final class LectureGraph {
    /** Batch size, context length, embedding size, hidden units, vocabulary. */
    public final int n, block, embed, hidden, vocab;
    public final float eps;
    /** The batch: contexts [n × block] and targets [n]. */
    public final int[] xb, yb;
    public final Tensor C, W1, bngain, bnbias, W2, b2;
    public final Tensor emb, embcat, hprebn, bnmeani, bndiff, bndiff2, bnvar, bnvar_inv, bnraw, hpreact, h, logits,
        logit_maxes, norm_logits, counts, counts_sum, counts_sum_inv, probs, logprobs, loss;
    private final Graph graph;

    /** The lecture's net (checked by {@link BackwardCheck}): Embedding, Flatten, Linear without bias, BatchNorm1d, Tanh, Linear. */
    LectureGraph(Sequential net, int[] xb, int[] yb) {
        Linear first = (Linear) net.layer(2), last = (Linear) net.layer(5);
        BatchNorm1d bn = (BatchNorm1d) net.layer(3);
        n = yb.length;
        block = net.blockSize;
        embed = net.embedding().dim;
        hidden = first.out;
        vocab = last.out;
        eps = bn.eps;
        this.xb = xb.clone();
        this.yb = yb.clone();
        C = copy("C", net.embedding().weight.data, net.embedding().symbols, embed);
        W1 = copy("W1", first.weight.data, block * embed, hidden);
        bngain = copy("bngain", bn.gamma.data, 1, hidden);
        bnbias = copy("bnbias", bn.beta.data, 1, hidden);
        W2 = copy("W2", last.weight.data, hidden, vocab);
        b2 = copy("b2", last.bias.data, vocab);

        emb = Ops.embedding(C, this.xb, n, block);                  // emb = C[Xb]
        embcat = Ops.view(emb, n, block * embed);                    // embcat = emb.view(emb.shape[0], -1)
        // Linear layer 1 (no b1: batch norm's bnbias does its job)
        hprebn = Ops.matmul(embcat, W1, null);                       // hprebn = embcat @ W1
        // BatchNorm layer
        bnmeani = sum(hprebn, 0, 1f / n, "bnmeani");                 // bnmeani = 1/n*hprebn.sum(0, keepdim=True)
        bndiff = minus(hprebn, bnmeani, "bndiff");                   // bndiff = hprebn - bnmeani
        bndiff2 = square(bndiff, "bndiff2");                         // bndiff2 = bndiff**2
        bnvar = sum(bndiff2, 0, 1f / n, "bnvar");                    // bnvar = 1/n*(bndiff2).sum(0, keepdim=True)   (biased, see above)
        bnvar_inv = inverseSqrt(bnvar, eps, "bnvar_inv");            // bnvar_inv = (bnvar + 1e-5)**-0.5
        bnraw = times(bndiff, bnvar_inv, "bnraw");                   // bnraw = bndiff * bnvar_inv
        hpreact = plus(times(bnraw, bngain, "bngain*bnraw"), bnbias, "hpreact");   // hpreact = bngain * bnraw + bnbias
        // Non-linearity
        h = Ops.tanh(hpreact);                                       // h = torch.tanh(hpreact)
        // Linear layer 2
        logits = Ops.matmul(h, W2, b2);                              // logits = h @ W2 + b2
        // cross entropy loss (same as F.cross_entropy(logits, Yb))
        logit_maxes = maxOfRows(logits, "logit_maxes");              // logit_maxes = logits.max(1, keepdim=True).values
        norm_logits = minus(logits, logit_maxes, "norm_logits");     // norm_logits = logits - logit_maxes  (for numerical stability)
        counts = exp(norm_logits, "counts");                         // counts = norm_logits.exp()
        counts_sum = sum(counts, 1, 1f, "counts_sum");               // counts_sum = counts.sum(1, keepdims=True)
        counts_sum_inv = reciprocal(counts_sum, "counts_sum_inv");   // counts_sum_inv = counts_sum**-1
        probs = times(counts, counts_sum_inv, "probs");              // probs = counts * counts_sum_inv
        logprobs = log(probs, "logprobs");                           // logprobs = probs.log()
        loss = negativeMeanOfPicked(logprobs, this.yb, "loss");      // loss = -logprobs[range(n), Yb].mean()
        graph = new Graph(loss);
    }

    private static Tensor copy(String name, float[] values, int... shape) { return Tensor.of(name, values, shape); }

    /** Runs the forward: every intermediate's data. */
    public void forward() { graph.forward(); }

    /** Autograd's backward: every intermediate's and parameter's grad (the parameters' start at 0, so call it once). */
    public void backward() { graph.backward(); }
}
