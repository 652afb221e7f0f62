package teagrad.check;

import teagrad.autograd.Kernels;

/**
 * The backward pass of the chapter's network written out by hand, as makemore part 4
 * (exercise 1) writes it: the forward's lines in reverse, each giving the gradient of its
 * inputs, through every intermediate. It reads the forward's values from a
 * {@link LectureGraph}, as the lecture reads torch's tensors, and never their grads. Plain
 * loops over flat row-major float[]; the three products (the lecture's {@code @}) are teagrad's
 * matmul kernels, as the lecture's are torch's. Shapes: n rows, v logits, hidden units per row.
 */
public final class ManualBackward {
    public final float[] dlogprobs, dprobs, dcounts_sum_inv, dcounts_sum, dcounts, dnorm_logits, dlogit_maxes, dlogits,
        dh, dW2, db2, dhpreact, dbngain, dbnbias, dbnraw, dbnvar_inv, dbnvar, dbndiff2, dbndiff, dbnmeani, dhprebn,
        dembcat, dW1, demb, dC;

    /**
     * @param besselMismatch the wrong normaliser: differentiate bnvar as if the forward had
     *     divided by n − 1 (the notebook's Bessel correction) while it divided by n. Only
     *     dbndiff2 changes, by n/(n−1); what the backward computed before it stays right, and
     *     everything it feeds (bndiff, hprebn, embcat, W1, emb, C) is off by up to 1/(n−1).
     *     bnmeani alone survives: dbnmeani = −Σ_i dbndiff, and the wrong term 2·bndiff·dbndiff2
     *     sums to 0 over the batch, since the deviations from the mean do.
     */
    public ManualBackward(LectureGraph g, boolean besselMismatch) {
        int n = g.n, v = g.vocab, hid = g.hidden, k = g.block * g.embed, d = g.embed;
        float[] logprobs = g.logprobs.data, probs = g.probs.data, counts = g.counts.data, counts_sum = g.counts_sum.data,
            counts_sum_inv = g.counts_sum_inv.data, logits = g.logits.data, h = g.h.data, W2 = g.W2.data,
            hpreact = g.hpreact.data, bngain = g.bngain.data, bnraw = g.bnraw.data, bnvar_inv = g.bnvar_inv.data,
            bndiff = g.bndiff.data, embcat = g.embcat.data, W1 = g.W1.data;

        // loss = -logprobs[range(n), Yb].mean()
        dlogprobs = new float[n * v];
        for (int i = 0; i < n; i++) dlogprobs[i * v + g.yb[i]] = -1f / n;
        // logprobs = probs.log()  →  dprobs = (1.0 / probs) * dlogprobs
        dprobs = new float[n * v];
        for (int q = 0; q < n * v; q++) dprobs[q] = (1f / probs[q]) * dlogprobs[q];
        // probs = counts * counts_sum_inv  →  dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True)
        //                                     dcounts = counts_sum_inv * dprobs   (counts has a second use below)
        dcounts_sum_inv = new float[n];
        dcounts = new float[n * v];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < v; j++) {
                dcounts_sum_inv[i] += counts[i * v + j] * dprobs[i * v + j];
                dcounts[i * v + j] = counts_sum_inv[i] * dprobs[i * v + j];
            }
        }
        // counts_sum_inv = counts_sum**-1  →  dcounts_sum = (-counts_sum**-2) * dcounts_sum_inv
        dcounts_sum = new float[n];
        for (int i = 0; i < n; i++) dcounts_sum[i] = -(1f / (counts_sum[i] * counts_sum[i])) * dcounts_sum_inv[i];
        // counts_sum = counts.sum(1, keepdims=True)  →  dcounts += torch.ones_like(counts) * dcounts_sum
        for (int i = 0; i < n; i++) for (int j = 0; j < v; j++) dcounts[i * v + j] += dcounts_sum[i];
        // counts = norm_logits.exp()  →  dnorm_logits = counts * dcounts
        dnorm_logits = new float[n * v];
        for (int q = 0; q < n * v; q++) dnorm_logits[q] = counts[q] * dcounts[q];
        // norm_logits = logits - logit_maxes  →  dlogits = dnorm_logits.clone()
        //                                        dlogit_maxes = (-dnorm_logits).sum(1, keepdim=True)
        dlogits = dnorm_logits.clone();
        dlogit_maxes = new float[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < v; j++) dlogit_maxes[i] += -dnorm_logits[i * v + j];
        // logit_maxes = logits.max(1, keepdim=True).values  →  dlogits += F.one_hot(logits.max(1).indices, v) * dlogit_maxes
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < v; j++) if (logits[i * v + j] > logits[i * v + best]) best = j;
            dlogits[i * v + best] += dlogit_maxes[i];
        }
        // logits = h @ W2 + b2  →  dh = dlogits @ W2.T;  dW2 = h.T @ dlogits;  db2 = dlogits.sum(0)
        dh = new float[n * hid];
        dW2 = new float[hid * v];
        db2 = new float[v];
        Kernels.addMatmulTransB(dlogits, W2, dh, n, hid, v, Kernels.scratch());
        Kernels.addMatmulTransA(h, dlogits, dW2, n, hid, v, Kernels.scratch());
        for (int i = 0; i < n; i++) for (int j = 0; j < v; j++) db2[j] += dlogits[i * v + j];
        // h = torch.tanh(hpreact)  →  dhpreact = (1.0 - h**2) * dh
        dhpreact = new float[n * hid];
        for (int q = 0; q < n * hid; q++) dhpreact[q] = (1f - h[q] * h[q]) * dh[q];
        // hpreact = bngain * bnraw + bnbias  →  dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
        //                                       dbnraw = bngain * dhpreact
        //                                       dbnbias = dhpreact.sum(0, keepdim=True)
        dbngain = new float[hid];
        dbnraw = new float[n * hid];
        dbnbias = new float[hid];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < hid; j++) {
                float dy = dhpreact[i * hid + j];
                dbngain[j] += bnraw[i * hid + j] * dy;
                dbnraw[i * hid + j] = bngain[j] * dy;
                dbnbias[j] += dy;
            }
        }
        // bnraw = bndiff * bnvar_inv  →  dbndiff = bnvar_inv * dbnraw   (bndiff has a second use below)
        //                                dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)
        dbndiff = new float[n * hid];
        dbnvar_inv = new float[hid];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < hid; j++) {
                dbndiff[i * hid + j] = bnvar_inv[j] * dbnraw[i * hid + j];
                dbnvar_inv[j] += bndiff[i * hid + j] * dbnraw[i * hid + j];
            }
        }
        // bnvar_inv = (bnvar + 1e-5)**-0.5  →  dbnvar = (-0.5*(bnvar + 1e-5)**-1.5) * dbnvar_inv,
        // and (bnvar + 1e-5)**-1.5 is bnvar_inv cubed
        dbnvar = new float[hid];
        for (int j = 0; j < hid; j++) dbnvar[j] = (-0.5f * (bnvar_inv[j] * bnvar_inv[j] * bnvar_inv[j])) * dbnvar_inv[j];
        // bnvar = 1/n * bndiff2.sum(0, keepdim=True)  →  dbndiff2 = 1/n * torch.ones_like(bndiff2) * dbnvar
        // (the notebook divides by n − 1 in both; with --bessel-mismatch the forward divides by n and this by n − 1)
        float scale = besselMismatch ? 1f / (n - 1) : 1f / n;
        dbndiff2 = new float[n * hid];
        for (int i = 0; i < n; i++) for (int j = 0; j < hid; j++) dbndiff2[i * hid + j] = scale * dbnvar[j];
        // bndiff2 = bndiff**2  →  dbndiff += (2*bndiff) * dbndiff2
        for (int q = 0; q < n * hid; q++) dbndiff[q] += (2 * bndiff[q]) * dbndiff2[q];
        // bndiff = hprebn - bnmeani  →  dhprebn = dbndiff.clone();  dbnmeani = (-dbndiff).sum(0)
        dhprebn = dbndiff.clone();
        dbnmeani = new float[hid];
        for (int i = 0; i < n; i++) for (int j = 0; j < hid; j++) dbnmeani[j] += -dbndiff[i * hid + j];
        // bnmeani = 1/n*hprebn.sum(0, keepdim=True)  →  dhprebn += 1.0/n * (torch.ones_like(hprebn) * dbnmeani)
        for (int i = 0; i < n; i++) for (int j = 0; j < hid; j++) dhprebn[i * hid + j] += (1f / n) * dbnmeani[j];
        // hprebn = embcat @ W1  →  dembcat = dhprebn @ W1.T;  dW1 = embcat.T @ dhprebn
        dembcat = new float[n * k];
        dW1 = new float[k * hid];
        Kernels.addMatmulTransB(dhprebn, W1, dembcat, n, k, hid, Kernels.scratch());
        Kernels.addMatmulTransA(embcat, dhprebn, dW1, n, k, hid, Kernels.scratch());
        // embcat = emb.view(emb.shape[0], -1)  →  demb = dembcat.view(emb.shape): the same numbers
        demb = dembcat.clone();
        // emb = C[Xb]  →  for each k, j: dC[Xb[k,j]] += demb[k,j]
        dC = new float[g.C.size()];
        for (int r = 0; r < n * g.block; r++) {
            for (int e = 0; e < d; e++) dC[g.xb[r] * d + e] += demb[r * d + e];
        }
    }
}
