package teagrad.web;

import java.util.function.Supplier;
import teagrad.autograd.Kernels;
import teagrad.autograd.Ops;
import teagrad.autograd.Tensor;
import teagrad.data.Rng;
import teagrad.nn.BatchNorm1d;
import teagrad.train.Parameters;

/** bench/'s self-check of the SIMD products ({@link Simd}, {@link JsSimd}): only the bench worker has it. */
final class SimdCheck {
    private SimdCheck() {}

    /**
     * bench/ and the tests: every product of {@link Kernels} on {@code cases} random shapes (widths
     * that are not multiples of 4, single rows and single columns among them; eval's
     * table rows summed, tanh'd and multiplied; an op's tanh output read where its scratch kept it; embeddingLinear's products kept in the scratch and
     * their rows summed, and its backward's rows summed by group, kept for both products), cross-entropy's softmax rows, and tanh on as
     * many values (a NaN among them), once with the float[] scratch and once with the SIMD one (null: the worker has
     * none); returns how many results differed in any bit, and a checksum of each scratch's bits
     * (simdBits, floatBits), so that a test can compare a worker's bits with the JVM's: the
     * JavaScript worker's float[] products compute in doubles, its SIMD ones in f32 as the JVM does.
     */
    static String check(int cases, long seed, Supplier<Kernels.Scratch> simd) { return check(cases, seed, simd, null); }

    /**
     * As above, and with {@code weights} (the WebAssembly worker's {@link SimdWeights}) each case also
     * trains a weight kept in linear memory: the products read it and add into its gradient where it is
     * (whole, and a block of its rows as the embedding's do), the module checks, updates and zeroes it, and
     * its float[]s after the run must have the float[] scratch's bits ("weights" counts these cases).
     */
    static String check(int cases, long seed, Supplier<Kernels.Scratch> simd, Parameters weights) {
        if (simd == null) return "{\"simd\": false}";
        Rng rng = new Rng(seed, Rng.INIT), weightRng = new Rng(seed + 1, Rng.INIT);   // the weights' own draws: the other cases stay as they were
        Rng batchNormRng = new Rng(seed + 2, Rng.INIT);
        int weightCases = 0, batchNorms = 0;
        int[] batchNormBits = new int[2];   // checksums of the training steps' y and dx: float[] layers, SIMD layers
        int[] small = {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 31, 33};
        int products = 0, tanhs = 0, softmaxes = 0, differ = 0;
        int[] bits = new int[2];   // the float[] results' checksum, the SIMD ones'
        StringBuilder first = new StringBuilder();
        for (int c = 0; c < cases; c++) {
            int n = pick(rng, small, 210), k = pick(rng, small, 210), m = pick(rng, small, 210);
            float[] x = random(n * k, rng), w = random(k * m, rng), b = random(m, rng), dy = random(n * m, rng);
            float[] dx = random(n * k, rng), dw = random(k * m, rng);
            Kernels.Scratch a = new Kernels.ArrayScratch(), s = simd.get();
            String shape = n + "×" + k + "·" + k + "×" + m;
            float[] y1 = new float[n * m], y2 = new float[n * m];
            Kernels.matmulBias(x, w, b, y1, n, k, m, a);
            Kernels.matmulBias(x, w, b, y2, n, k, m, s);
            products++;
            differ += same(bits, y1, y2, "x·w + b " + shape, first);
            Kernels.matmulBias(x, w, null, y1, n, k, m, a);
            Kernels.matmulBias(x, w, null, y2, n, k, m, s);
            products++;
            differ += same(bits, y1, y2, "x·w " + shape, first);
            float[] dx1 = dx.clone(), dx2 = dx.clone();
            Kernels.addMatmulTransB(dy, w, dx1, n, k, m, a);
            Kernels.addMatmulTransB(dy, w, dx2, n, k, m, s);
            products++;
            differ += same(bits, dx1, dx2, "dx += dy·wᵀ " + shape, first);
            float[] dw1 = dw.clone(), dw2 = dw.clone();
            Kernels.addMatmulTransA(x, dy, dw1, n, k, m, a);
            Kernels.addMatmulTransA(x, dy, dw2, n, k, m, s);
            products++;
            differ += same(bits, dw1, dw2, "dw += xᵀ·dy " + shape, first);
            // eval's lookup: each row of h is `per` rows of a table (k wide) summed onto `first`, then tanh(h)·w + b
            int per = 1 + rng.nextInt(4), tableRows = 1 + rng.nextInt(30);
            float[] table = random(tableRows * k, rng), onto = random(k, rng);
            int[] at = new int[n * per];
            for (int i = 0; i < at.length; i++) at[i] = rng.nextInt(tableRows) * k;
            float[] h = new float[n * k];   // the float[] scratch may go along the columns of x: step by step then
            Kernels.sumRows(table, onto, at, n, per, k, h);
            float[] hs = h.clone();         // each scratch takes its own tanh (in the JavaScript worker the float[] one computes in doubles)
            Kernels.tanh(h, h, n * k, a);
            Kernels.matmulBias(h, w, b, y1, n, k, m, a);
            if (Kernels.summedIntoCoefficients(n, k, m, s)) {
                Kernels.sumTanhMatmulBias(table, onto, at, per, w, b, y2, n, k, m, s);
            } else {
                Kernels.tanh(hs, hs, n * k, s);
                Kernels.matmulBias(hs, w, b, y2, n, k, m, s);
            }
            products++;
            differ += same(bits, y1, y2, "tanh(Σ table rows)·w + b " + shape + " per " + per, first);
            // embeddingLinear's forward: a product per position kept in the scratch (rows q·n ..), rows of them summed onto b
            int[] rowOf = new int[n * per];
            for (int i = 0; i < rowOf.length; i++) rowOf[i] = (i % per) * n + rng.nextInt(n);
            for (Kernels.Scratch scratch : new Kernels.Scratch[] {a, s}) {
                for (int q = 0; q < per; q++) Kernels.matmulIntoAcc(q % 2 == 0 ? x : dx, w, 0, n, k, m, q * n, scratch);
                Kernels.sumAccRows(c % 2 == 0 ? b : null, rowOf, n, per, m, scratch == a ? y1 : y2, scratch);
            }
            products++;
            differ += same(bits, y1, y2, "Σ rows of x·w kept in the scratch " + shape + " per " + per, first);
            // embeddingLinear's backward: dy's rows summed by group at each of per positions, the sums kept by the
            // scratch for both products of each position (S·wᵀ reads them as coefficients, xᵀ·S as rows)
            int[] used = new int[per], to = new int[n * per];
            for (int q = 0; q < per; q++) used[q] = 1 + rng.nextInt(n);
            for (int i = 0; i < to.length; i++) to[i] = rng.nextInt(used[i % per]);
            float[][] groupSums = new float[per][n * m];
            float[][] dg = new float[2][per * n * k], dwg = new float[2][per * k * m];
            for (int t = 0; t < 2; t++) {
                Kernels.Scratch scratch = t == 0 ? a : simd.get();
                Kernels.addRowGroups(dy, to, n, per, m, groupSums, used, scratch);
                for (int q = 0; q < per; q++) {
                    float[] part = new float[used[q] * k], dwq = java.util.Arrays.copyOf(dw, k * m);
                    Kernels.addMatmulTransB(groupSums[q], w, part, used[q], k, m, scratch);
                    Kernels.addMatmulTransA(x, groupSums[q], dwq, used[q], k, m, scratch);
                    System.arraycopy(part, 0, dg[t], q * n * k, part.length);
                    System.arraycopy(dwq, 0, dwg[t], q * k * m, dwq.length);
                }
            }
            products += 2;
            differ += same(bits, dg[0], dg[1], "row groups' sums·wᵀ " + shape + " per " + per, first);
            differ += same(bits, dwg[0], dwg[1], "xᵀ·row groups' sums " + shape + " per " + per, first);
            // an op's tanh output, kept by its scratch where the next products read it (Ops.tanh, then h·w + b and
            // hᵀ·dy, each product with a scratch of its own as in the training graph)
            float[] h1 = new float[n * k], h2 = new float[n * k];
            Kernels.tanhOutput(x, h1, n * k, a);
            Kernels.tanhOutput(x, h2, n * k, s);
            Kernels.matmulBias(h1, w, b, y1, n, k, m, a);
            Kernels.matmulBias(h2, w, b, y2, n, k, m, simd.get());
            products++;
            differ += same(bits, y1, y2, "tanh output·w + b " + shape, first);
            dw1 = dw.clone();
            dw2 = dw.clone();
            Kernels.addMatmulTransA(h1, dy, dw1, n, k, m, a);
            Kernels.addMatmulTransA(h2, dy, dw2, n, k, m, simd.get());
            products++;
            differ += same(bits, dw1, dw2, "dw += tanh outputᵀ·dy " + shape, first);
            // tanh, on values spread over its whole range, saturation and ±0 among them
            float[] t = new float[n * m], t1 = new float[t.length], t2 = new float[t.length];
            for (int i = 0; i < t.length; i++) t[i] = dy[i] * (i % 3 == 0 ? 6 : 1);
            t[0] = (c % 2 == 0) ? 0f : -0f;
            if (t.length > 1) t[1] = Float.NaN;   // stays NaN, as Math.min/max keep it
            Kernels.tanh(t, t1, t.length, a);
            Kernels.tanh(t, t2, t.length, s);
            tanhs++;
            differ += same(bits, t1, t2, "tanh of " + t.length, first);
            // cross-entropy's softmax rows: logits of every scale (exps that underflow, saturate, a NaN and ±∞ among them)
            float[] logits = new float[n * m];
            for (int i = 0; i < logits.length; i++) logits[i] = dy[i] * (i % 5 == 0 ? 200 : i % 5 == 1 ? 20 : 2);
            if (c % 7 == 3) logits[rng.nextInt(logits.length)] = c % 2 == 0 ? Float.NaN : Float.POSITIVE_INFINITY;
            if (c % 11 == 4) logits[rng.nextInt(logits.length)] = Float.NEGATIVE_INFINITY;
            double[] lse1 = new double[n], lse2 = new double[n];
            Kernels.softmaxRows(logits, t1, n, m, lse1, a);
            Kernels.softmaxRows(logits, t2, n, m, lse2, s);
            softmaxes++;
            differ += sameSoftmax(t1, t2, lse1, lse2, "softmax of " + n + "×" + m, first);
            if (weights != null) {
                differ += keptWeight(weightRng, c, bits, first, simd, weights);
                weightCases++;
            }
            differ += batchNorm(batchNormRng, c, batchNormBits, first, simd);
            batchNorms++;
        }
        return "{\"simd\": true, \"products\": " + products + ", \"tanhs\": " + tanhs + ", \"softmaxes\": " + softmaxes + ", \"weights\": " + weightCases
            + ", \"batchNorms\": " + batchNorms + ", \"batchNormBits\": " + batchNormBits[1]
            + ", \"differ\": " + differ + ", \"first\": \"" + first
            + "\", \"floatBits\": " + bits[0] + ", \"simdBits\": " + bits[1] + "}";
    }

    /**
     * One step of a weight w [k × m] kept in linear memory against the same step in float[]s: y = x·w + b,
     * dx += dy·wᵀ, dw += xᵀ·dy, then dx' += dy'·w_Bᵀ, dw_B += x'ᵀ·dy' and the rows x'·w_B kept in the scratch for a
     * block B of w's rows (from row k0 on, as the embedding's products take W_p), the check of dw (a NaN or ±∞
     * put in now and then), the update when it passes, and a zeroing. Returns how many results differ.
     */
    private static int keptWeight(Rng rng, int c, int[] bits, StringBuilder first, Supplier<Kernels.Scratch> simd, Parameters weights) {
        int[] small = {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 27, 31, 33};
        int n = pick(rng, small, 120), k = pick(rng, small, 120), m = pick(rng, small, 120);
        int k0 = rng.nextInt(k), kb = k - k0;   // the block: rows k0 .. k − 1
        float[] x = random(n * k, rng), w = random(k * m, rng), b = random(m, rng), dy = random(n * m, rng), g = random(k * m, rng);
        float[] dx = random(n * k, rng);
        if (c % 5 == 2) g[rng.nextInt(g.length)] = c % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY;
        float lr = 0.01f + rng.nextFloat();
        String shape = n + "×" + k + "·" + k + "×" + m + " (block from row " + k0 + ")";
        Kernels.Scratch a = new Kernels.ArrayScratch();
        float[][] out = new float[2][];
        float[][] grads = new float[2][], values = new float[2][];
        boolean[] finite = new boolean[2];
        Tensor kept = Tensor.of("w", w, k, m);
        Ops.matmul(Tensor.of("x", x, n, k), kept, null);   // marks w as a weight only products read
        System.arraycopy(g, 0, kept.grad, 0, g.length);
        for (int t = 0; t < 2; t++) {
            float[] wt = t == 0 ? w.clone() : kept.data, gt = t == 0 ? g.clone() : kept.grad;
            if (t == 1) weights.begin(new Tensor[] {kept});
            Kernels.Scratch s = t == 0 ? a : simd.get();
            float[] y = new float[n * m], dxt = dx.clone(), yb = new float[n * m];
            Kernels.matmulBias(x, wt, b, y, n, k, m, s);
            Kernels.addMatmulTransB(dy, wt, 0, dxt, n, k, m, t == 0 ? a : simd.get());
            Kernels.addMatmulTransA(x, dy, gt, 0, n, k, m, t == 0 ? a : simd.get());
            Kernels.Scratch sb = t == 0 ? a : simd.get();   // the block's products: x' [n × kb] is x's first n·kb values
            Kernels.matmulIntoAcc(x, wt, k0 * m, n, kb, m, 0, sb);
            int[] rowOf = new int[n];
            for (int i = 0; i < n; i++) rowOf[i] = i;
            Kernels.sumAccRows(null, rowOf, n, 1, m, yb, sb);
            Kernels.addMatmulTransB(dy, wt, k0 * m, dxt, n, kb, m, t == 0 ? a : simd.get());
            Kernels.addMatmulTransA(x, dy, gt, k0 * m, n, kb, m, t == 0 ? a : simd.get());
            if (t == 0) {
                finite[0] = Parameters.allFinite(gt);
                if (finite[0]) for (int i = 0; i < wt.length; i++) wt[i] -= lr * gt[i];   // Parameters' update
            } else {
                finite[1] = weights.gradFinite(kept);
                if (finite[1]) weights.sgd(kept, lr);
                weights.end();
            }
            float[] joined = new float[2 * n * m + n * k];
            System.arraycopy(y, 0, joined, 0, n * m);
            System.arraycopy(yb, 0, joined, n * m, n * m);
            System.arraycopy(dxt, 0, joined, 2 * n * m, n * k);
            out[t] = joined;
            grads[t] = gt.clone();
            values[t] = wt.clone();
        }
        int differ = same(bits, out[0], out[1], "kept weight: x·w + b, x'·w_B, dx " + shape, first);
        differ += same(bits, grads[0], grads[1], "kept weight: dw " + shape, first);
        differ += same(bits, values[0], values[1], "kept weight: w after the update " + shape, first);
        if (finite[0] != finite[1]) {
            if (first.length() == 0) first.append("kept weight: the finiteness check ").append(shape);
            differ++;
        }
        weights.begin(new Tensor[] {kept});
        weights.zeroGrad(kept);
        weights.end();
        for (float v : kept.grad) {
            if (Float.floatToRawIntBits(v) != 0) {
                if (first.length() == 0) first.append("kept weight: zeroed ").append(shape);
                differ++;
                break;
            }
        }
        return differ;
    }

    /**
     * A BatchNorm1d layer built while {@link Kernels#scratch} gives the SIMD scratch against one built with
     * the float[] scratch (whose layer runs its own loops): a training step (forward, the three backwards into
     * gradients that already hold values), then eval mode's (with the running statistics the step left). Its
     * features' count is often not a multiple of 4, and now and then an input is NaN or ±∞. Returns how many
     * results differ: y, dx, dγ, dβ and the running statistics. Not in the products' checksums: the
     * JavaScript worker's float[] layer runs these loops in doubles. The training step's y and dx go into
     * {@code bits} (its running statistics, which eval reads, are Java floats there too, so in doubles).
     */
    private static int batchNorm(Rng rng, int c, int[] bits, StringBuilder first, Supplier<Kernels.Scratch> simd) {
        int[] small = {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 27, 31, 33, 100, 200};
        int m = 2 + rng.nextInt(40), n = pick(rng, small, 210);
        float[] x = random(m * n, rng), dy = random(m * n, rng), dx = random(m * n, rng), gamma = random(n, rng), beta = random(n, rng);
        for (int i = 0; i < x.length; i++) {   // columns of different means and spreads, one rounding per store (the JavaScript build's floats are doubles)
            x[i] *= 1 + i % 7;
            x[i] += (i % n) * 0.25f;
        }
        if (c % 9 == 4) x[rng.nextInt(x.length)] = c % 2 == 0 ? Float.NaN : Float.POSITIVE_INFINITY;
        String shape = m + "×" + n;
        float[][] out = new float[2][];
        Supplier<Kernels.Scratch> installed = Kernels.scratchKind();
        try {
            for (int t = 0; t < 2; t++) {
                Kernels.useScratch(t == 0 ? Kernels.ArrayScratch::new : simd);
                BatchNorm1d bn = new BatchNorm1d(n, 0.1f, 1e-5f);
                System.arraycopy(gamma, 0, bn.gamma.data, 0, n);
                System.arraycopy(beta, 0, bn.beta.data, 0, n);
                Tensor xt = Tensor.of("x", x, m, n);
                System.arraycopy(dx, 0, xt.grad, 0, dx.length);
                Tensor y = bn.apply(xt);
                float[] joined = new float[4 * m * n + 4 * n];
                for (int mode = 0; mode < 2; mode++) {   // training, then eval
                    bn.train(mode == 0);
                    y.forwardFunction().run();
                    System.arraycopy(dy, 0, y.grad, 0, dy.length);
                    for (Runnable b : y.backwardFunctions()) b.run();
                    System.arraycopy(y.data, 0, joined, 2 * mode * m * n, m * n);
                    System.arraycopy(xt.grad, 0, joined, (2 * mode + 1) * m * n, m * n);
                }
                System.arraycopy(bn.gamma.grad, 0, joined, 4 * m * n, n);
                System.arraycopy(bn.beta.grad, 0, joined, 4 * m * n + n, n);
                System.arraycopy(bn.runningMean, 0, joined, 4 * m * n + 2 * n, n);
                System.arraycopy(bn.runningVar, 0, joined, 4 * m * n + 3 * n, n);
                out[t] = joined;
            }
        } finally {
            Kernels.useScratch(installed);
        }
        same(bits, java.util.Arrays.copyOf(out[0], 2 * m * n), java.util.Arrays.copyOf(out[1], 2 * m * n), "", new StringBuilder());
        return same(new int[2], out[0], out[1], "BatchNorm1d " + shape + ": y, dx in training then eval, dγ, dβ, running statistics", first);
    }

    /**
     * Whether the two softmaxes differ in any bit (probabilities and log-sum-exps, NaNs as one). Not in the
     * checksums: the JavaScript worker computes both of its softmaxes in this Java, in doubles.
     */
    private static int sameSoftmax(float[] p1, float[] p2, double[] lse1, double[] lse2, String what, StringBuilder first) {
        int[] ignored = new int[2];
        if (same(ignored, p1, p2, what + ", probabilities", first) != 0) return 1;
        for (int i = 0; i < lse1.length; i++) {
            if (Double.doubleToLongBits(lse1[i]) != Double.doubleToLongBits(lse2[i])) {
                if (first.length() == 0) first.append(what).append(", log-sum-exp of row ").append(i);
                return 1;
            }
        }
        return 0;
    }

    /** Half the time a small size from the list, else any size in [1, max]. */
    private static int pick(Rng rng, int[] small, int max) {
        return rng.nextInt(2) == 0 ? small[rng.nextInt(small.length)] : 1 + rng.nextInt(max);
    }

    private static float[] random(int size, Rng rng) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = rng.nextGaussian();
        return a;
    }

    /** Whether the two results differ in any bit (the first difference goes to {@code first}); adds each one's bits to its checksum. */
    private static int same(int[] bits, float[] expected, float[] actual, String what, StringBuilder first) {
        int differ = 0;
        for (int i = 0; i < expected.length; i++) {
            int e = Float.floatToIntBits(expected[i]), a = Float.floatToIntBits(actual[i]);   // every NaN as one: WebAssembly does not fix their payloads
            bits[0] = 31 * bits[0] + e;
            bits[1] = 31 * bits[1] + a;
            if (e != a && differ == 0) {
                if (first.length() == 0) first.append(what).append(" at ").append(i);
                differ = 1;
            }
        }
        return differ;
    }
}
