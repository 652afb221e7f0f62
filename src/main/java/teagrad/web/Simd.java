package teagrad.web;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.teavm.interop.Address;
import org.teavm.interop.Import;
import org.teavm.jso.JSBody;
import org.teavm.jso.typedarrays.Float32Array;
import teagrad.autograd.FMath;
import teagrad.autograd.Kernels;

/**
 * The one place that knows the SIMD module (kernels.wasm, written by {@link SimdModule}), used
 * by the WebAssembly GC worker only: a Java {@code float[]} is a GC array there, which no other
 * module can read, but a direct buffer lives in TeaVM's linear memory, which kernels.wasm
 * imports. {@link MemoryScratch} is a {@link Kernels.Scratch} in such buffers: loading rows and
 * coefficients copies the tensors' values into them (as the float[] scratch copies them into
 * rows), and {@link #axpy} sums in the module. worker-wasm.js instantiates the module on TeaVM's
 * memory and passes its export as the import below; where the browser has no SIMD (or the page
 * asked for {@code ?simd=off}) it passes a stub, and the worker keeps the float[] scratch.
 *
 * <p>Why copy rather than keep every tensor in linear memory: every op would then read and write
 * through an accessor instead of a plain {@code float[]} loop (the chapter shows BatchNorm1d's
 * source to its readers), and HotSpot's vectorised loops would depend on it too. The one kind kept
 * there is what only the products touch: the linear layers' weights and their gradients, for a run
 * of training steps ({@link SimdWeights}); the products find them by their arrays. Activations are
 * copied in and out (about 0.45 ns a float); the sums they feed are 4–5× faster than the float[]
 * ones, which is what the worker gains.
 */
final class Simd {
    private Simd() {}

    /**
     * (acc + r·accStride)[0..m) += Σ_{p<k} (coef + r·coefStep)[p·coefStride] · (rows + p·rowStride)[0..m),
     * for r in [0, count); addresses and strides in bytes.
     */
    @Import(module = "kernels", name = "axpy")
    private static native void axpy(int acc, int accStride, int coef, int coefStep, int coefStride, int rows, int rowStride, int count, int k, int m);

    /** x[0..n) = FMath.tanh(x[0..n)) in place; x a byte address. */
    @Import(module = "kernels", name = "tanh")
    private static native void tanh(int x, int n);

    /** sum[0..width) = ((first + row at[0]) + row at[1]) + … + row at[count − 1]; at holds count i32 byte addresses. */
    @Import(module = "kernels", name = "sumRows")
    private static native void sumRows(int sum, int first, int at, int count, int width);

    /**
     * probs row i = softmax(logits row i) for i in [0, n), rows of v floats at byte addresses; at
     * out + 16·i the row's Σ_j exp(l_j − max) as an f64, then its max as an f32 (Ops.softmaxRow's).
     */
    @Import(module = "kernels", name = "softmax")
    private static native void softmax(int logits, int probs, int n, int v, int out);

    /** values[0..n) −= lr·grads[0..n), lr the f32 with these bits; byte addresses. */
    @Import(module = "kernels", name = "sgd")
    static native void sgd(int values, int grads, int n, int lrBits);

    /** The i32 at out = 1 if any of grads[0..n) is NaN or ±∞, else 0. */
    @Import(module = "kernels", name = "notFinite")
    static native void notFinite(int grads, int n, int out);

    /** x[0..n) = 0. */
    @Import(module = "kernels", name = "zero")
    static native void zero(int x, int n);

    /** dst[0..n) = src[0..n), floats at byte addresses (memory.copy). */
    @Import(module = "kernels", name = "copy")
    static native void copy(int dst, int src, int n);

    /** (dst + c·dstStride)[r] = (src + r·srcStride)[c] for r in [0, rows), c in [0, cols); strides in bytes. */
    @Import(module = "kernels", name = "transpose")
    static native void transpose(int src, int srcStride, int dst, int dstStride, int rows, int cols);

    /** As {@link #transpose}, each value added to what dst holds. */
    @Import(module = "kernels", name = "transposeAdd")
    static native void transposeAdd(int src, int srcStride, int dst, int dstStride, int rows, int cols);

    /** sums[j] = μ_j = Σ_i x_ij / m and sums[n + j] = Σ_i (x_ij − μ_j)², f64s: BatchNorm1d's forward passes over x[m × n]. */
    @Import(module = "kernels", name = "bnMoments")
    private static native void bnMoments(int x, int m, int n, int sums);

    /** xhat_ij = f32(x_ij − mean_j)·invStd_j (mean n f64s), y_ij = γ_j·xhat_ij + β_j. */
    @Import(module = "kernels", name = "bnNormalise")
    private static native void bnNormalise(int x, int m, int n, int mean, int invStd, int gamma, int beta, int xhat, int y);

    /** The same with f32 means (the running ones): xhat_ij = (x_ij − mean_j)·invStd_j. */
    @Import(module = "kernels", name = "bnNormaliseEval")
    private static native void bnNormaliseEval(int x, int m, int n, int mean, int invStd, int gamma, int beta, int xhat, int y);

    /** sums[j] = Σ_i dy_ij, sums[n + j] = Σ_i dy_ij·xhat_ij; t_ij = what dx_ij gains in training (BatchNorm1d's fused formula). t may be dy. */
    @Import(module = "kernels", name = "bnBackward")
    private static native void bnBackward(int dy, int m, int n, int xhat, int invStd, int gamma, int sums, int t);

    /** The same sums; t_ij = γ_j·invStd_j·dy_ij (eval mode). */
    @Import(module = "kernels", name = "bnBackwardEval")
    private static native void bnBackwardEval(int dy, int m, int n, int xhat, int invStd, int gamma, int sums, int t);

    /** Set by worker-wasm.js: whether kernels.wasm was instantiated (the browser has SIMD). */
    @JSBody(script = "return self.teagradSimd === true;")
    static native boolean loaded();

    /** Makes every product built from now on sum with SIMD, if the module is there; returns whether it is. */
    static boolean install() {
        if (!loaded()) return false;
        Kernels.useScratch(MemoryScratch::new);
        teagrad.train.Parameters.install(new SimdWeights());
        return true;
    }

    /** Floats in linear memory; grows (into a new buffer) when asked for more. */
    static final class Region {
        private FloatBuffer buffer;   // the memory is freed when the buffer is collected: keep it
        int address, capacity;

        int reserve(int floats) { return reserveKeeping(floats, 0); }

        /** As {@link #reserve}, and when it grows the first {@code keep} floats move along (a product's rows filled so far). */
        int reserveKeeping(int floats, int keep) {
            if (floats > capacity) {
                int old = address;   // its buffer is freed by a finalizer, which never runs in the middle of this copy
                capacity = Math.max(floats, Math.max(16, 2 * capacity));
                buffer = ByteBuffer.allocateDirect(4 * capacity).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                address = Float32Array.fromJavaBuffer(buffer).getByteOffset();
                for (int i = 0; i < keep; i++) Address.fromInt(address + 4 * i).putFloat(Address.fromInt(old + 4 * i).getFloat());
            }
            return address;
        }
    }

    /**
     * The scratches that keep an op's output where they computed it: tanh's ({@link MemoryScratch#tanhOutput}),
     * a product's or a sum of its rows ({@link MemoryScratch#keepOutput}) and batch norm's y. A product that
     * loads one of those arrays reads it where it is instead of copying it in (h·W and hᵀ·dy after each
     * Tanh: two copies of h less per layer and step), batch norm reads its input there, and tanh copies
     * it within linear memory. A ring of a few: a scratch dropped from it only costs its readers the copy
     * again, and old models' scratches are not kept alive for long.
     */
    private static final MemoryScratch[] keeping = new MemoryScratch[32];
    private static int nextKeeping;

    /** The byte address where a scratch keeps {@code src}'s first {@code floats} values, or −1. */
    private static int kept(float[] src, int floats) {
        for (MemoryScratch s : keeping) {
            if (s != null && s.kept == src && floats <= s.keptLength) return s.keptAddress;
        }
        return -1;
    }

    /** The scratch in linear memory: rows, coefficients and accumulator where kernels.wasm reads and writes them. */
    static final class MemoryScratch extends Kernels.Scratch {
        private final Region rows = new Region(), coef = new Region(), acc = new Region(), values = new Region();
        private final Region table = new Region(), first = new Region(), at = new Region(), keptAt = new Region();
        private float[] tableLoaded;   // sumCoefficients' table, copied in once
        private float[] kept;          // the op output whose values this scratch keeps at keptAddress, or null
        private int keptLength, keptAddress;
        private boolean keptIsProduct; // kept where this scratch's next product writes: forgotten when it begins
        private float[] storedTo;      // the array the last product stored whole, row after row, from storedAt (bytes); storedLength floats
        private int storedAt, storedLength;
        private final Region output = new Region();   // sumAccRows' rows
        private boolean keeping;       // in the ring
        private int rowsAt, coefAt;    // where the loaded rows and coefficients are: our regions, or another scratch's kept output
        private int accAt = -1;        // where the accumulators are when a product adds into a kept weight's gradient (else ours: −1)
        private SimdWeights.Weight coefWeight;   // the kept weight the coefficients are (else null): coefSource's first coefLength values
        private float[] coefSource;
        private int coefLength;
        private int rowStride;   // bytes
        private final Region held = new Region();   // addRowGroups' sums: out[p]'s rows from heldRow[p] on, width floats apart
        private float[][] heldOut;
        private int[] heldRow = new int[0], heldUsed = new int[0], groupStart = new int[0], groupFilled = new int[0];
        private int heldWidth;

        /**
         * Rows of {@code length} floats lie {@code padded(length)} apart, a multiple of four, in the
         * rows and the accumulators: axpy then does every element with f32x4 (h·W2's 27 outputs: 24
         * with f32x4 and 3 one at a time, ~1.15× as long in node's V8). The rows' lanes past length
         * are zeros, so the accumulators' are too (or NaN), and nothing reads them back.
         */
        static int padded(int length) { return (length + 3) & ~3; }

        @Override protected void loadRows(float[] src, int from, int count, int length, boolean transposed) {
            accAt = -1;          // a product begins: its accumulators are ours unless it loads a kept weight's gradient into them
            storedTo = null;
            if (keptIsProduct) kept = null;
            int stride = padded(length);
            rowStride = 4 * stride;
            SimdWeights.Weight weight = SimdWeights.of(src);
            if (weight != null) {
                rowsAt = weightRows(weight, src, from, count, length, transposed);
                return;
            }
            if (!transposed && stride == length) {   // a whole array kept here or by another scratch: read where it is
                int at = held(src, from + count * length);
                if (at < 0) at = kept(src, from + count * length);
                if (at >= 0) {
                    rowsAt = at + 4 * from;
                    return;
                }
            }
            int base = rowsAt = rows.reserve(count * stride);
            if (!transposed && stride == length) {
                copyIn(src, from, count * length, base);
            } else if (!transposed) {
                for (int r = 0; r < count; r++) copyIn(src, from + r * length, length, base + r * rowStride);
            } else {             // src is [length × count] from `from` on: element i of row r is src[from + i·count + r]
                for (int i = 0; i < length; i++) {
                    int o = from + i * count;
                    for (int r = 0; r < count; r++) Address.fromInt(base + r * rowStride + 4 * i).putFloat(src[o + r]);
                }
            }
            for (int r = 0; stride != length && r < count; r++) fill(base + r * rowStride + 4 * length, stride - length, 0f);
        }

        /** Rows from a weight kept in linear memory: its own rows where they are, else (transposed) copied from there into ours. */
        private int weightRows(SimdWeights.Weight weight, float[] src, int from, int count, int length, boolean transposed) {
            if (!transposed && length == weight.length && from % length == 0) return weight.address(src, from);
            int base = rows.reserve(count * padded(length));
            if (transposed && count == weight.length && from % count == 0) {   // row r is the weight's column r, from row from/count on
                Simd.transpose(weight.address(src, from), 4 * weight.stride, base, rowStride, length, count);
            } else {
                for (int r = 0; r < count; r++) {
                    for (int i = 0; i < length; i++) {
                        int e = transposed ? from + i * count + r : from + r * length + i;
                        Address.fromInt(base + r * rowStride + 4 * i).putFloat(Address.fromInt(weight.address(src, e)).getFloat());
                    }
                }
            }
            for (int r = 0; padded(length) != length && r < count; r++) fill(base + r * rowStride + 4 * length, padded(length) - length, 0f);
            return base;
        }

        /** dst[0..length) = a[offset ..] (a kept weight's values or gradient) from where the weight keeps them, out of its padding; returns dst. */
        private static int copyFromWeight(SimdWeights.Weight weight, float[] a, int offset, int length, int dst) {
            for (int i = 0; i < length; i++) Address.fromInt(dst + 4 * i).putFloat(Address.fromInt(weight.address(a, offset + i)).getFloat());
            return dst;
        }

        @Override protected void loadCoefficients(float[] src, int length) {
            coefWeight = SimdWeights.of(src);
            if (coefWeight != null) {   // read where the weight is; axpy maps the offsets onto its padded rows
                coefSource = src;
                coefLength = length;
                coefAt = coefWeight.address(src, 0);
                return;
            }
            coefAt = held(src, length);
            if (coefAt < 0) coefAt = kept(src, length);
            if (coefAt < 0) coefAt = copyIn(src, 0, length, coef.reserve(length));
        }

        /** dst[0..length) = src[offset ..]; returns dst (a byte address). Four floats a pass: 4% of a training step less than one. */
        static int copyIn(float[] src, int offset, int length, int dst) {
            int i = 0;
            for (; i + 3 < length; i += 4) {
                int a = dst + 4 * i, o = offset + i;
                float v0 = src[o], v1 = src[o + 1], v2 = src[o + 2], v3 = src[o + 3];
                Address.fromInt(a).putFloat(v0);
                Address.fromInt(a + 4).putFloat(v1);
                Address.fromInt(a + 8).putFloat(v2);
                Address.fromInt(a + 12).putFloat(v3);
            }
            for (; i < length; i++) Address.fromInt(dst + 4 * i).putFloat(src[offset + i]);
            return dst;
        }

        /** dst[0..length) += the floats at byte address src, in place: Java's {@code dst[i] += t}. */
        static void addOut(int src, float[] dst, int length) {
            int i = 0;
            for (; i + 3 < length; i += 4) {
                int a = src + 4 * i;
                dst[i] += Address.fromInt(a).getFloat();
                dst[i + 1] += Address.fromInt(a + 4).getFloat();
                dst[i + 2] += Address.fromInt(a + 8).getFloat();
                dst[i + 3] += Address.fromInt(a + 12).getFloat();
            }
            for (; i < length; i++) dst[i] += Address.fromInt(src + 4 * i).getFloat();
        }

        /** dst[offset ..][0..length) = the floats at byte address src, four a pass as {@link #copyIn}. */
        static void copyOut(int src, float[] dst, int offset, int length) {
            int i = 0;
            for (; i + 3 < length; i += 4) {
                int a = src + 4 * i, o = offset + i;
                dst[o] = Address.fromInt(a).getFloat();
                dst[o + 1] = Address.fromInt(a + 4).getFloat();
                dst[o + 2] = Address.fromInt(a + 8).getFloat();
                dst[o + 3] = Address.fromInt(a + 12).getFloat();
            }
            for (; i < length; i++) dst[offset + i] = Address.fromInt(src + 4 * i).getFloat();
        }

        /** Row r of the accumulators (rows of length floats, padded), their region grown to hold it (keeping rows 0..r−1). */
        private int accRow(int r, int length) {
            int stride = padded(length);
            return acc.reserveKeeping((r + 1) * stride, r * stride) + 4 * r * stride;
        }

        @Override protected void fillAcc(int r, int length, float value) { fill(accRow(r, length), padded(length), value); }

        /** The rows lie one after another: one memory.fill in the module (the embedding's 54 rows of 200: ~3 µs as Java stores). */
        @Override protected void zeroAcc(int r0, int count, int length) {
            if (count <= 0) return;
            accRow(r0 + count - 1, length);   // the region holds the last row (and keeps rows before it)
            Simd.zero(acc.address + 4 * r0 * padded(length), count * padded(length));
        }

        /**
         * The groups' sums by the module's sumRows, each from a row of zeros and its rows' addresses
         * in index order (a counting sort of {@code to}), into a region of this scratch that its next
         * products read when given out[p]. out is written only where its rows are not whole f32x4s:
         * such rows are loaded into padded ones, from out (4.9 µs a step less for the chapter's 200).
         */
        @Override protected void addRowGroups(float[] src, int[] to, int n, int per, int width, float[][] out, int[] used) {
            if (heldRow.length < per) {
                heldRow = new int[per];
                heldUsed = new int[per];
            }
            int groups = 0;
            for (int p = 0; p < per; p++) {
                heldRow[p] = groups;
                heldUsed[p] = used[p];
                groups += used[p];
            }
            if (groupStart.length < groups + 1) {
                groupStart = new int[groups + 1];
                groupFilled = new int[groups];
            }
            java.util.Arrays.fill(groupStart, 0, groups + 1, 0);
            for (int e = 0; e < n * per; e++) groupStart[heldRow[e % per] + to[e] + 1]++;
            for (int g = 0; g < groups; g++) {
                groupStart[g + 1] += groupStart[g];
                groupFilled[g] = 0;
            }
            int srcAt = copyIn(src, 0, n * width, values.reserve(n * width));
            int zeros = first.reserve(width);
            fill(zeros, width, 0f);
            int addresses = at.reserve(n * per);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < per; p++) {
                    int g = heldRow[p] + to[i * per + p];
                    Address.fromInt(addresses + 4 * (groupStart[g] + groupFilled[g]++)).putInt(srcAt + 4 * i * width);
                }
            }
            int sums = held.reserve(groups * width);
            for (int g = 0; g < groups; g++) {
                Simd.sumRows(sums + 4 * g * width, zeros, addresses + 4 * groupStart[g], groupStart[g + 1] - groupStart[g], width);
            }
            heldOut = out;
            heldWidth = width;
            if (padded(width) != width) {   // rows that are not whole f32x4s are loaded into padded rows, from out
                for (int p = 0; p < per; p++) copyOut(sums + 4 * heldRow[p] * width, out[p], 0, used[p] * width);
            }
        }

        /** The byte address of src's first {@code floats} values among the held sums, or −1. */
        private int held(float[] src, int floats) {
            for (int p = 0; heldOut != null && p < heldOut.length; p++) {
                if (heldOut[p] == src && floats <= heldUsed[p] * heldWidth) return held.address + 4 * heldRow[p] * heldWidth;
            }
            return -1;
        }

        @Override protected boolean holds(float[] a) { return held(a, 0) >= 0 || SimdWeights.of(a) != null; }

        /** The floats at byte address dst [0..length) = value, four a pass as {@link #copyIn}. */
        static void fill(int dst, int length, float value) {
            int i = 0;
            for (; i + 3 < length; i += 4) {
                int a = dst + 4 * i;
                Address.fromInt(a).putFloat(value);
                Address.fromInt(a + 4).putFloat(value);
                Address.fromInt(a + 8).putFloat(value);
                Address.fromInt(a + 12).putFloat(value);
            }
            for (; i < length; i++) Address.fromInt(dst + 4 * i).putFloat(value);
        }

        /** A kept weight's gradient, loaded row by row from row 0, is added into where it is: its rows are the accumulators. */
        @Override protected void loadAcc(int r, float[] src, int offset, int length) {
            SimdWeights.Weight weight = SimdWeights.of(src);
            if (weight != null && src == weight.grad && length == weight.length && offset % length == 0) {
                int at = weight.address(src, offset) - 4 * r * padded(length);
                if (r == 0) accAt = at;
                else if (at != accAt) throw new IllegalStateException("accumulator row " + r + " is not the next row of the gradient");
                return;
            }
            if (accAt >= 0) throw new IllegalStateException("accumulator row " + r + " after rows of a gradient");
            int row = accRow(r, length);
            if (weight != null) copyFromWeight(weight, src, offset, length, row);
            else copyIn(src, offset, length, row);
            fill(row + 4 * length, padded(length) - length, 0f);
        }

        /** The rows were loaded with this m: rowStride is 4·padded(m), and the padded lanes are summed too. */
        @Override protected void axpy(int r0, int count, int ao, int aoStep, int as, int k, int m) {
            int stride = padded(m);
            int coefBase = coefAt + 4 * ao, coefStep = 4 * aoStep, coefStride = 4 * as;
            if (coefWeight != null && coefWeight.stride != coefWeight.length) {   // its rows are padded: a walk by whole rows or within rows maps onto them
                int length = coefWeight.length;
                int within = (aoStep % length == 0 ? 0 : aoStep * (count - 1)) + (as % length == 0 ? 0 : as * (k - 1));
                if (ao % length == 0 && within < length) {
                    coefBase = coefWeight.address(coefSource, ao);
                    coefStep = aoStep % length == 0 ? 4 * coefWeight.stride * (aoStep / length) : 4 * aoStep;
                    coefStride = as % length == 0 ? 4 * coefWeight.stride * (as / length) : 4 * as;
                } else {     // any other walk: the coefficients copied out of the padding
                    coefBase = copyFromWeight(coefWeight, coefSource, 0, coefLength, coef.reserve(coefLength)) + 4 * ao;
                }
            }
            int accBase = accAt >= 0 ? accAt : acc.address;
            Simd.axpy(accBase + 4 * r0 * stride, 4 * stride, coefBase, coefStep, coefStride, rowsAt, rowStride, count, k, stride);
        }

        @Override protected void sumAccRows(float[] first, int[] at, int n, int per, int width, float[] out) {
            int firstAt = this.first.reserve(width);
            if (first != null) copyIn(first, 0, width, firstAt);
            else fill(firstAt, width, 0f);
            if (keptIsProduct) kept = null;
            int sums = output.reserve(n * width);
            sumRowsAt(acc.address, firstAt, at, padded(width), n, per, width, sums);
            copyOut(sums, out, 0, n * width);
            storedTo = out;
            storedAt = sums;
            storedLength = n * width;
        }

        /** Row r at {@code sums} = first + the rows at base + 4·scale·at[r·per + q] (bytes), q in [0, per), summed by the module. */
        private void sumRowsAt(int base, int firstAt, int[] at, int scale, int n, int per, int width, int sums) {
            int addresses = this.at.reserve(n * per);   // the rows' byte addresses (a float's room holds an i32)
            for (int i = 0; i < n * per; i++) Address.fromInt(addresses + 4 * i).putInt(base + 4 * scale * at[i]);
            for (int r = 0; r < n; r++) Simd.sumRows(sums + 4 * r * width, firstAt, addresses + 4 * r * per, per, width);
        }

        /** Transposing x into linear memory costs more than rows of 16 or more: the dev split took 55 ms rather than 71. */
        @Override protected boolean alongRowsOfW(int n, int k, int m) { return m >= n || m >= 16; }

        @Override protected void tanh(float[] x, float[] y, int n) { tanhIn(values, x, y, n); }

        /** y[0..n) = tanh(x[0..n)), computed by the module in {@code region}, where the values stay until its next use. */
        private static void tanhIn(Region region, float[] x, float[] y, int n) {
            int base = region.reserve(n), from = kept(x, n);
            if (from >= 0) Simd.copy(base, from, n);   // batch norm's y, where its kernel left it
            else copyIn(x, 0, n, base);
            Simd.tanh(base, n);
            copyOut(base, y, 0, n);
        }

        /** tanh into a region of its own, left there for the products that read y next (Simd's ring notes it). */
        @Override protected void tanhOutput(float[] x, float[] y, int n) {
            tanhIn(keptAt, x, y, n);
            keep(y, n, keptAt.address, false);
        }

        /** The last product stored y whole, row after row, here: later readers find y's values where they are. */
        @Override protected void keepOutput(float[] y) {
            if (storedTo == y && storedLength == y.length) keep(y, storedLength, storedAt, true);
        }

        @Override protected void forgetKept(float[] a) {
            for (MemoryScratch s : Simd.keeping) if (s != null && s.kept == a) s.kept = null;
        }

        /** Notes that y's first {@code length} values are at {@code address}, and joins the ring of scratches that keep outputs. */
        private void keep(float[] y, int length, int address, boolean product) {
            kept = y;
            keptLength = length;
            keptAddress = address;
            keptIsProduct = product;
            if (!keeping) {
                MemoryScratch dropped = Simd.keeping[nextKeeping];
                if (dropped != null) dropped.keeping = false;
                Simd.keeping[nextKeeping] = this;
                nextKeeping = (nextKeeping + 1) % Simd.keeping.length;
                keeping = true;
            }
        }

        @Override protected void sumCoefficients(float[] table, float[] first, int[] at, int n, int per, int width) {
            if (table != tableLoaded) {
                copyIn(table, 0, table.length, this.table.reserve(table.length));
                tableLoaded = table;
            }
            int firstAt = copyIn(first, 0, width, this.first.reserve(width));
            sumRowsAt(this.table.address, firstAt, at, 1, n, per, width, coefAt = coef.reserve(n * width));
        }

        @Override protected void tanhCoefficients(int length) { Simd.tanh(coef.address, length); }

        @Override protected void softmaxRows(float[] logits, float[] probs, int n, int v, double[] logSumExp) {
            int size = n * v, at = copyIn(logits, 0, size, values.reserve(2 * size + 4 * n));
            int probsAt = at + 4 * size, out = probsAt + 4 * size;
            Simd.softmax(at, probsAt, n, v, out);
            copyOut(probsAt, probs, 0, size);
            for (int i = 0; i < n; i++) {   // max + log Σ, as softmaxRow returns it
                logSumExp[i] = Address.fromInt(out + 16 * i + 8).getFloat() + FMath.logD(Address.fromInt(out + 16 * i).getDouble());
            }
        }

        // ---- BatchNorm1d's loops in the module. x̂ stays here for the backward: the layer's array is never written.

        private final Region bnX = new Region(), bnSums = new Region(), bnVectors = new Region(), bnXhat = new Region(), bnY = new Region(), bnT = new Region();
        private float[] bnXOf, bnXhatOf;   // the arrays whose values are at bnX and at bnXhat
        private double[] bnMeansOf;        // the means the moments left at bnSums, for the normalising pass after them

        @Override public boolean batchNormMoments(float[] x, int m, int n, double[] mean, double[] sq) {
            int xAt = bnIn(x, m * n), sums = bnSums.reserve(4 * n);   // 2n f64s
            Simd.bnMoments(xAt, m, n, sums);
            bnMeansOf = mean;
            for (int j = 0; j < n; j++) {
                mean[j] = Address.fromInt(sums + 8 * j).getDouble();
                sq[j] = Address.fromInt(sums + 8 * (n + j)).getDouble();
            }
            return true;
        }

        /** x's values: where the op that computed x keeps them, else copied into bnX unless they are there already (the pass after the moments). */
        private int bnIn(float[] x, int length) {
            int at = kept(x, length);
            if (at >= 0) return at;
            if (x != bnXOf) {
                copyIn(x, 0, length, bnX.reserve(length));
                bnXOf = x;
            }
            return bnX.address;
        }

        @Override public boolean batchNormNormalise(float[] x, int m, int n, double[] mean, float[] invStd, float[] gamma, float[] beta, float[] xhat, float[] y) {
            int xAt = bnIn(x, m * n), means = bnSums.reserve(2 * n);
            if (mean != bnMeansOf) for (int j = 0; j < n; j++) Address.fromInt(means + 8 * j).putDouble(mean[j]);
            int v = bnVectors(n, invStd, gamma, beta, null), xhatAt = bnXhat.reserve(m * n), yAt = bnY.reserve(m * n);
            Simd.bnNormalise(xAt, m, n, means, v, v + 4 * n, v + 8 * n, xhatAt, yAt);
            return bnOut(xhat, yAt, y, m * n);
        }

        @Override public boolean batchNormNormaliseEval(float[] x, int m, int n, float[] runningMean, float[] invStd, float[] gamma, float[] beta, float[] xhat, float[] y) {
            int xAt = bnIn(x, m * n), v = bnVectors(n, invStd, gamma, beta, runningMean), xhatAt = bnXhat.reserve(m * n), yAt = bnY.reserve(m * n);
            Simd.bnNormaliseEval(xAt, m, n, v + 12 * n, v, v + 4 * n, v + 8 * n, xhatAt, yAt);
            return bnOut(xhat, yAt, y, m * n);
        }

        /** After a normalising pass: y into its array and kept (the layer's output: nothing else writes it), x̂ held; x and μ are not kept past the forward. */
        private boolean bnOut(float[] xhat, int yAt, float[] y, int length) {
            copyOut(yAt, y, 0, length);
            keep(y, length, yAt, false);
            bnXhatOf = xhat;
            bnXOf = null;
            bnMeansOf = null;
            return true;
        }

        /** The per-feature vectors one after another in linear memory, n floats each (c and d may be null); returns the first's address. */
        private int bnVectors(int n, float[] a, float[] b, float[] c, float[] d) {
            int at = bnVectors.reserve(4 * n);
            copyIn(a, 0, n, at);
            copyIn(b, 0, n, at + 4 * n);
            if (c != null) copyIn(c, 0, n, at + 8 * n);
            if (d != null) copyIn(d, 0, n, at + 12 * n);
            return at;
        }

        @Override public boolean batchNormBackward(float[] dy, int m, int n, float[] xhat, float[] invStd, float[] gamma, boolean training,
                                                   float[] sumDy, float[] sumDyXhat, float[] dx) {
            if (xhat != bnXhatOf) {   // a forward that did not run here (never, in the worker): x̂ from the array
                copyIn(xhat, 0, m * n, bnXhat.reserve(m * n));
                bnXhatOf = xhat;
            }
            int t = copyIn(dy, 0, m * n, bnT.reserve(m * n)), v = bnVectors(n, invStd, gamma, null, null), sums = bnSums.reserve(2 * n);
            bnMeansOf = null;   // the sums below go where the means were
            if (training) Simd.bnBackward(t, m, n, bnXhat.address, v, v + 4 * n, sums, t);
            else Simd.bnBackwardEval(t, m, n, bnXhat.address, v, v + 4 * n, sums, t);
            copyOut(sums, sumDy, 0, n);
            copyOut(sums + 4 * n, sumDyXhat, 0, n);
            addOut(t, dx, m * n);
            return true;
        }

        /** Into a kept weight's gradient (dW of a layer with fewer outputs than inputs, as h·W2's): by the module's transposeAdd. */
        @Override protected void storeAccColumns(int count, float[] dst, int offset, int width, int length, boolean add) {
            SimdWeights.Weight weight = SimdWeights.of(dst);
            if (weight == null || width != weight.length || offset % width + count > width || accAt >= 0) {
                super.storeAccColumns(count, dst, offset, width, length, add);
                return;
            }
            int at = weight.address(dst, offset), stride = 4 * padded(length);
            if (add) Simd.transposeAdd(acc.address, stride, at, 4 * weight.stride, count, length);
            else Simd.transpose(acc.address, stride, at, 4 * weight.stride, count, length);
        }

        @Override protected void storeAcc(int r, float[] dst, int offset, int stride, int length, boolean add) {
            int base = (accAt >= 0 ? accAt : acc.address) + 4 * r * padded(length);
            SimdWeights.Weight weight = SimdWeights.of(dst);
            if (weight != null) {
                if (accAt >= 0 && stride == 1 && !add && weight.address(dst, offset) == base) return;   // added where it is
                for (int i = 0; i < length; i++) {   // into where the weight is (whole columns go by storeAccColumns)
                    int at = weight.address(dst, offset + i * stride);
                    float v = Address.fromInt(base + 4 * i).getFloat();
                    Address.fromInt(at).putFloat(add ? Address.fromInt(at).getFloat() + v : v);
                }
                return;
            }
            if (add) {
                for (int i = 0; i < length; i++) dst[offset + i * stride] += Address.fromInt(base + 4 * i).getFloat();
            } else if (stride == 1) {
                copyOut(base, dst, offset, length);
                boolean next = padded(length) == length && accAt < 0 && (r == 0 && offset == 0 || storedTo == dst && offset == storedLength && base == storedAt + 4 * storedLength);
                if (next && r == 0) {
                    storedTo = dst;
                    storedAt = base;
                    storedLength = 0;
                }
                storedLength += length;
                if (!next) storedTo = null;
            } else {
                for (int i = 0; i < length; i++) dst[offset + i * stride] = Address.fromInt(base + 4 * i).getFloat();
            }
        }
    }
}
