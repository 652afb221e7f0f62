package teagrad.web;

import java.util.function.Supplier;
import teagrad.autograd.Kernels;
import teagrad.data.Rng;

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
    static String check(int cases, long seed, Supplier<Kernels.Scratch> simd) {
        if (simd == null) return "{\"simd\": false}";
        Rng rng = new Rng(seed, Rng.INIT);
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
                for (int q = 0; q < per; q++) Kernels.matmulIntoAcc(q % 2 == 0 ? x : dx, w, n, k, m, q * n, scratch);
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
        }
        return "{\"simd\": true, \"products\": " + products + ", \"tanhs\": " + tanhs + ", \"softmaxes\": " + softmaxes + ", \"differ\": " + differ + ", \"first\": \"" + first
            + "\", \"floatBits\": " + bits[0] + ", \"simdBits\": " + bits[1] + "}";
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
