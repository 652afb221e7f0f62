package teagrad.inference;

import teagrad.autograd.FMath;
import teagrad.data.Vocab;
import teagrad.data.Rng;
import teagrad.model.Model;

/**
 * Names from the model: start from a context of '.', draw the next character from the softmax
 * of the eval-mode logits, slide the window, stop at '.' (or at {@link #MAX_LENGTH}).
 */
public final class Sampler {
    public static final int MAX_LENGTH = 50;

    private final Inference net;
    private final Vocab vocab;
    private final int block;
    private final Rng rng;
    private final int[] context;
    private final float[] logits;

    public Sampler(Model model, long seed) {
        net = new Inference(model);
        vocab = model.vocab;
        block = model.config.blockSize;
        rng = new Rng(seed, Rng.SAMPLES);
        context = new int[block];
        logits = new float[vocab.size()];
    }

    /** One name (possibly empty, if '.' is drawn first). */
    public String next() {
        java.util.Arrays.fill(context, Vocab.END);
        StringBuilder name = new StringBuilder();
        for (int len = 0; len < MAX_LENGTH; len++) {
            net.logits(context, 0, logits);
            int ix = draw(logits);
            if (ix == Vocab.END) break;
            name.appendCodePoint(vocab.codePoint(ix));
            System.arraycopy(context, 1, context, 0, block - 1);
            context[block - 1] = ix;
        }
        return name.toString();
    }

    /** A multinomial draw from softmax(logits): walk the cumulative probabilities to u·Σ. */
    private int draw(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = FMath.exp(logits[i] - max);   // unnormalised probabilities, in place
            total += logits[i];
        }
        double u = rng.nextFloat() * total, acc = 0;
        for (int i = 0; i < logits.length; i++) {
            acc += logits[i];
            if (u < acc) return i;
        }
        return logits.length - 1;   // u·Σ rounding up to Σ itself
    }
}
