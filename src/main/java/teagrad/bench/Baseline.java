package teagrad.bench;

import teagrad.data.Rng;

/**
 * The benchmark's fixed yardstick: one training step's six matrix products (forward, and
 * both gradients of both linear layers, ~1.09 M multiply-adds for the default config) as
 * textbook i-j-k triple loops. Timed in the same run as the real step, its rate turns
 * absolute figures on a noisy shared machine into a ratio that travels.
 */
public final class Baseline {
    private final int n, k, h, v;
    private final float[] x, w1, hid, w2, logits, dHid, dW1, dX, dW2, dLogits;

    /** Shapes of the default step: batch n, fan-in k = block·embed, hidden h, vocab v. */
    public Baseline(int n, int k, int h, int v) {
        this.n = n;
        this.k = k;
        this.h = h;
        this.v = v;
        Rng rng = new Rng(1, Rng.INIT);
        x = fill(n * k, rng);
        w1 = fill(k * h, rng);
        hid = new float[n * h];
        w2 = fill(h * v, rng);
        logits = new float[n * v];
        dLogits = fill(n * v, rng);
        dHid = new float[n * h];
        dW1 = new float[k * h];
        dX = new float[n * k];
        dW2 = new float[h * v];
    }

    private static float[] fill(int size, Rng rng) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = rng.nextFloat() - 0.5f;
        return a;
    }

    /** c[r×c] = a·b, textbook order: c[i,j] = Σ_p a[i,p]·b[p,j]. The strides say which operand is transposed. */
    private static void ijk(float[] a, int aRow, int aCol, float[] b, int bRow, int bCol, float[] c, int rows, int cols, int inner) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float s = 0f;
                for (int p = 0; p < inner; p++) s += a[i * aRow + p * aCol] * b[p * bRow + j * bCol];
                c[i * cols + j] = s;
            }
        }
    }

    /** One step's products; returns a checksum so the work cannot be optimised away. */
    public float step() {
        ijk(x, k, 1, w1, h, 1, hid, n, h, k);            // hid = x·W1
        ijk(hid, h, 1, w2, v, 1, logits, n, v, h);       // logits = hid·W2
        ijk(dLogits, v, 1, w2, 1, v, dHid, n, h, v);     // dHid = dLogits·W2ᵀ
        ijk(hid, 1, h, dLogits, v, 1, dW2, h, v, n);     // dW2 = hidᵀ·dLogits
        ijk(dHid, h, 1, w1, 1, h, dX, n, k, h);          // dX = dHid·W1ᵀ
        ijk(x, 1, k, dHid, h, 1, dW1, k, h, n);          // dW1 = xᵀ·dHid
        return hid[0] + logits[0] + dHid[0] + dW2[0] + dX[0] + dW1[0];
    }
}
