package teagrad.web;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSByRef;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Float32Array;
import teagrad.autograd.Kernels;

/**
 * The SIMD products in the JavaScript worker: the WebAssembly GC worker's kernels.wasm (written
 * by {@link SimdModule}, used there through {@link Simd}) on a WebAssembly.Memory of its own.
 * Browsers without WebAssembly GC often have SIMD (Safari 16.4–18.1, Chrome 91–118, Firefox
 * 89–119), and in this build a Java {@code float[]} is a Float32Array, so copying a tensor into
 * the module's memory is one {@code Float32Array.set}, a memcpy, where the WebAssembly GC worker
 * copies a float at a time. worker-js.js instantiates the module while the worker's script loads
 * and leaves it in {@code self.teagradSimdKernels} ({exports, memory}); where the browser has no
 * WebAssembly SIMD, or the page was opened with {@code ?simd=off}, it leaves nothing and the
 * worker keeps the float[] scratch.
 *
 * <p>The module sums in f32, rounding each product and sum as the JVM does, where this build's
 * float[] loops compute in doubles and round only on store: the products and tanh through the
 * module give the JVM's bits (bench/'s kernels check, PageE2ETest), the rest of the step stays
 * this build's JavaScript.
 */
final class JsSimd {
    private JsSimd() {}

    // The @JSBody scripts name their variables with four letters or more: TeaVM renames the
    // parameters to one or two letters, which a local `i` or `a` would shadow (it did).

    /** Whether worker-js.js instantiated kernels.wasm. */
    @JSBody(script = "return self.teagradSimdKernels != null;")
    static native boolean loaded();

    private static MemoryScratch scratch;

    /**
     * The scratch: one for the whole worker. A product uses it only while it runs and the worker
     * runs one at a time, so one set of regions serves every product and the memory never needs
     * freeing (a scratch per product, as the float[] ones are kept, would leak a region per product
     * of every network built).
     */
    static Kernels.Scratch scratch() {
        if (scratch == null) scratch = new MemoryScratch();
        return scratch;
    }

    /** Makes every product built from now on sum with SIMD, if the module is there; returns whether it is. */
    static boolean install() {
        if (!loaded()) return false;
        Kernels.useScratch(JsSimd::scratch);
        return true;
    }

    @JSBody(script = "return self.teagradSimdKernels.exports;")
    private static native JSObject exports();

    /** The module's memory as floats, grown to hold at least {@code bytes} (growing detaches the old view: use the one returned). */
    @JSBody(params = "bytes", script = "var memory = self.teagradSimdKernels.memory, pages = Math.ceil((bytes - memory.buffer.byteLength) / 65536);"
        + "if (pages > 0) memory.grow(pages); return new Float32Array(memory.buffer);")
    private static native Float32Array memory(int bytes);

    /** heap[at ..] = src[offset .. offset + length): a memcpy. */
    @JSBody(params = {"heap", "at", "src", "offset", "length"},
        script = "heap.set(offset === 0 && length === src.length ? src : src.subarray(offset, offset + length), at);")
    private static native void copyIn(Float32Array heap, int at, @JSByRef(optional = true) float[] src, int offset, int length);

    /** dst[offset ..] = heap[at .. at + length). */
    @JSBody(params = {"heap", "at", "dst", "offset", "length"}, script = "dst.set(heap.subarray(at, at + length), offset);")
    private static native void copyOut(Float32Array heap, int at, @JSByRef(optional = true) float[] dst, int offset, int length);

    /** Row r of heap at {@code at} (rows of {@code length}) is column r of src [length × count] from {@code from} on: element i of row r is src[from + i·count + r]. */
    @JSBody(params = {"heap", "at", "src", "from", "count", "length"},
        script = "for (var elem = 0; elem < length; elem++) { var srcRow = from + elem * count;"
            + " for (var row = 0; row < count; row++) heap[at + row * length + elem] = src[srcRow + row]; }")
    private static native void transposeIn(Float32Array heap, int at, @JSByRef(optional = true) float[] src, int from, int count, int length);

    /** dst[offset + i·stride] = heap[at + i], or += when add, for i in [0, length). */
    @JSBody(params = {"heap", "at", "dst", "offset", "stride", "length", "add"},
        script = "if (add) { for (var elem = 0; elem < length; elem++) dst[offset + elem * stride] += heap[at + elem]; }"
            + " else { for (var elem = 0; elem < length; elem++) dst[offset + elem * stride] = heap[at + elem]; }")
    private static native void scatterOut(Float32Array heap, int at, @JSByRef(optional = true) float[] dst, int offset, int stride, int length, boolean add);

    /** heap[to .. to + length) = heap[from .. from + length). */
    @JSBody(params = {"heap", "from", "to", "length"}, script = "heap.copyWithin(to, from, from + length);")
    private static native void move(Float32Array heap, int from, int to, int length);

    @JSBody(params = {"heap", "at", "length", "value"}, script = "heap.fill(value, at, at + length);")
    private static native void fill(Float32Array heap, int at, int length, float value);

    @JSBody(params = {"k", "acc", "accStride", "coef", "coefStep", "coefStride", "rows", "rowStride", "count", "n", "m"},
        script = "k.axpy(acc, accStride, coef, coefStep, coefStride, rows, rowStride, count, n, m);")
    private static native void axpy(JSObject kernels, int acc, int accStride, int coef, int coefStep, int coefStride, int rows, int rowStride,
                                    int count, int k, int m);

    @JSBody(params = {"k", "x", "n"}, script = "k.tanh(x, n);")
    private static native void tanh(JSObject kernels, int x, int n);

    /**
     * Row r of the sums (bytes at {@code sums}, rows of width) = first + the table's rows at[r·per ..
     * r·per + per) (offsets in floats), summed by the module: their byte addresses go to {@code addresses} first.
     */
    @JSBody(params = {"k", "heap", "sums", "first", "table", "addresses", "at", "n", "per", "width"},
        script = "var ints = new Int32Array(heap.buffer), base = addresses >> 2;"
            + "for (var elem = 0; elem < n * per; elem++) ints[base + elem] = table + 4 * at[elem];"
            + "for (var row = 0; row < n; row++) k.sumRows(sums + 4 * row * width, first, addresses + 4 * row * per, per, width);")
    private static native void sumRows(JSObject kernels, Float32Array heap, int sums, int first, int table, int addresses,
                                       @JSByRef(optional = true) int[] at, int n, int per, int width);

    /** values[0 .. count) = the f64s at float index {@code at} (8-byte aligned). */
    @JSBody(params = {"heap", "at", "values", "count"}, script = "values.set(new Float64Array(heap.buffer, 4 * at, count));")
    private static native void doublesOut(Float32Array heap, int at, @JSByRef(optional = true) double[] values, int count);

    /** The f64s at float index {@code at} = values[0 .. count). */
    @JSBody(params = {"heap", "at", "values", "count"}, script = "new Float64Array(heap.buffer, 4 * at, count).set(values);")
    private static native void doublesIn(Float32Array heap, int at, @JSByRef(optional = true) double[] values, int count);

    @JSBody(params = {"k", "x", "m", "n", "sums"}, script = "k.bnMoments(x, m, n, sums);")
    private static native void bnMoments(JSObject kernels, int x, int m, int n, int sums);

    @JSBody(params = {"k", "running", "x", "m", "n", "mean", "invStd", "gamma", "beta", "xhat", "y"},
        script = "(running ? k.bnNormaliseEval : k.bnNormalise)(x, m, n, mean, invStd, gamma, beta, xhat, y);")
    private static native void bnNormalise(JSObject kernels, boolean eval, int x, int m, int n, int mean, int invStd, int gamma, int beta, int xhat, int y);

    @JSBody(params = {"k", "training", "dy", "m", "n", "xhat", "invStd", "gamma", "sums", "t"},
        script = "(training ? k.bnBackward : k.bnBackwardEval)(dy, m, n, xhat, invStd, gamma, sums, t);")
    private static native void bnBackward(JSObject kernels, boolean training, int dy, int m, int n, int xhat, int invStd, int gamma, int sums, int t);

    /** The scratch in the module's memory: regions of floats taken from the top of the memory as they grow. */
    static final class MemoryScratch extends Kernels.Scratch {
        private final JSObject kernels = exports();
        private Float32Array heap = memory(0);   // replaced when a region grows the memory: read it after reserving
        private int top;   // floats in use: regions are taken from here
        private final Region rows = new Region(), coef = new Region(), acc = new Region(), values = new Region();
        private final Region table = new Region(), first = new Region(), addresses = new Region();
        private float[] tableLoaded;   // sumCoefficients' table, copied in once
        private int rowLength;         // floats

        /** Where some floats live in the memory (a float index); grows into a new place, twice as large, when asked for more. */
        private final class Region {
            int at, capacity;

            int reserve(int floats) { return reserveKeeping(floats, 0); }

            /** As {@link #reserve}, and when it grows the first {@code keep} floats move along (a product's rows filled so far). */
            int reserveKeeping(int floats, int keep) {
                if (floats > capacity) {
                    int old = at;
                    capacity = (Math.max(floats, 2 * capacity) + 3) & ~3;   // whole 16 bytes: v128 loads stay aligned
                    at = top;
                    top += capacity;
                    heap = memory(4 * top);
                    if (keep > 0) move(heap, old, at, keep);
                    if (this == table) tableLoaded = null;
                }
                return at;
            }

            int bytes() { return 4 * at; }
        }

        @Override protected void loadRows(float[] src, int from, int count, int length, boolean transposed) {
            int at = rows.reserve(count * length);
            rowLength = length;
            if (transposed) transposeIn(heap, at, src, from, count, length);
            else copyIn(heap, at, src, from, count * length);
        }

        @Override protected void loadCoefficients(float[] src, int length) {
            int at = coef.reserve(length);
            copyIn(heap, at, src, 0, length);
        }

        /** Row r of the accumulators (rows of length floats), their region grown to hold it (keeping rows 0..r−1). */
        private int accRow(int r, int length) { return acc.reserveKeeping((r + 1) * length, r * length) + r * length; }

        @Override protected void fillAcc(int r, int length, float value) {
            int at = accRow(r, length);
            fill(heap, at, length, value);
        }

        @Override protected void loadAcc(int r, float[] src, int offset, int length) {
            int at = accRow(r, length);
            copyIn(heap, at, src, offset, length);
        }

        @Override protected void axpy(int r0, int count, int ao, int aoStep, int as, int k, int m) {
            JsSimd.axpy(kernels, acc.bytes() + 4 * r0 * m, 4 * m, coef.bytes() + 4 * ao, 4 * aoStep, 4 * as, rows.bytes(), 4 * rowLength, count, k, m);
        }

        private int[] accOffsets = new int[0];   // sumAccRows' rows as float offsets into the accumulators

        @Override protected void sumAccRows(float[] first, int[] at, int n, int per, int width, float[] out) {
            if (accOffsets.length < n * per) accOffsets = new int[n * per];   // grows only
            for (int i = 0; i < n * per; i++) accOffsets[i] = at[i] * width;
            values.reserve(n * width);
            this.first.reserve(width);
            addresses.reserve(n * per);
            if (first != null) copyIn(heap, this.first.at, first, 0, width);
            else fill(heap, this.first.at, width, 0f);
            sumRows(kernels, heap, values.bytes(), this.first.bytes(), acc.bytes(), addresses.bytes(), accOffsets, n, per, width);
            copyOut(heap, values.at, out, 0, n * width);
        }

        @Override protected void storeAcc(int r, float[] dst, int offset, int stride, int length, boolean add) {
            int at = acc.at + r * length;
            if (stride == 1 && !add) copyOut(heap, at, dst, offset, length);
            else scatterOut(heap, at, dst, offset, stride, length, add);
        }

        @Override protected void tanh(float[] x, float[] y, int n) {
            int at = values.reserve(n);
            copyIn(heap, at, x, 0, n);
            JsSimd.tanh(kernels, values.bytes(), n);
            copyOut(heap, at, y, 0, n);
        }

        @Override protected void tanhCoefficients(int length) { JsSimd.tanh(kernels, coef.bytes(), length); }

        @Override protected void sumCoefficients(float[] table, float[] first, int[] at, int n, int per, int width) {
            coef.reserve(n * width);
            this.first.reserve(width);
            addresses.reserve(n * per);
            if (table != tableLoaded) {
                int to = this.table.reserve(table.length);
                copyIn(heap, to, table, 0, table.length);
                tableLoaded = table;
            }
            copyIn(heap, this.first.at, first, 0, width);
            sumRows(kernels, heap, coef.bytes(), this.first.bytes(), this.table.bytes(), addresses.bytes(), at, n, per, width);
        }

        // ---- BatchNorm1d's loops in the module (the same f32 and f64 operations as the JVM's, where this build's
        // loops compute in doubles). One scratch serves every layer here, so nothing is kept between calls:
        // x̂ goes back to the layer's array, and each call copies in what it reads (a memcpy each).

        private final Region bnX = new Region(), bnSums = new Region(), bnVectors = new Region(), bnXhat = new Region(), bnY = new Region();
        private float[] bnXOf;     // the x and the means whose values the moments left at bnX and bnSums,
        private double[] bnMeansOf;  // for the pass after them (nothing else runs between)

        @Override public boolean batchNormMoments(float[] x, int m, int n, double[] mean, double[] sq) {
            int at = bnX.reserve(m * n), sums = bnSums.reserve(4 * n);   // 2n f64s; every reserve before the heap is read
            copyIn(heap, at, x, 0, m * n);
            bnXOf = x;
            bnMoments(kernels, 4 * at, m, n, 4 * sums);
            doublesOut(heap, sums, mean, n);
            bnMeansOf = mean;
            doublesOut(heap, sums + 2 * n, sq, n);
            return true;
        }

        @Override public boolean batchNormNormalise(float[] x, int m, int n, double[] mean, float[] invStd, float[] gamma, float[] beta, float[] xhat, float[] y) {
            return normalise(false, x, m, n, mean, null, invStd, gamma, beta, xhat, y);
        }

        @Override public boolean batchNormNormaliseEval(float[] x, int m, int n, float[] runningMean, float[] invStd, float[] gamma, float[] beta, float[] xhat, float[] y) {
            return normalise(true, x, m, n, null, runningMean, invStd, gamma, beta, xhat, y);
        }

        /** The normalising pass with the batch's means (f64) or, in eval, the running ones (f32). */
        private boolean normalise(boolean eval, float[] x, int m, int n, double[] mean, float[] runningMean, float[] invStd, float[] gamma, float[] beta,
                                  float[] xhat, float[] y) {
            int at = bnX.reserve(m * n), sums = bnSums.reserve(4 * n), v = bnVectors.reserve(4 * n), xh = bnXhat.reserve(m * n), out = bnY.reserve(m * n);
            if (x != bnXOf) copyIn(heap, at, x, 0, m * n);
            if (eval) copyIn(heap, v + 3 * n, runningMean, 0, n);
            else if (mean != bnMeansOf) doublesIn(heap, sums, mean, n);
            bnXOf = null;
            bnMeansOf = null;
            copyIn(heap, v, invStd, 0, n);
            copyIn(heap, v + n, gamma, 0, n);
            copyIn(heap, v + 2 * n, beta, 0, n);
            bnNormalise(kernels, eval, 4 * at, m, n, 4 * (eval ? v + 3 * n : sums), 4 * v, 4 * (v + n), 4 * (v + 2 * n), 4 * xh, 4 * out);
            copyOut(heap, xh, xhat, 0, m * n);
            copyOut(heap, out, y, 0, m * n);
            return true;
        }

        @Override public boolean batchNormBackward(float[] dy, int m, int n, float[] xhat, float[] invStd, float[] gamma, boolean training,
                                                   float[] sumDy, float[] sumDyXhat, float[] dx) {
            int t = bnY.reserve(m * n), xh = bnXhat.reserve(m * n), v = bnVectors.reserve(4 * n), sums = bnSums.reserve(4 * n);
            copyIn(heap, t, dy, 0, m * n);
            copyIn(heap, xh, xhat, 0, m * n);
            copyIn(heap, v, invStd, 0, n);
            copyIn(heap, v + n, gamma, 0, n);
            bnBackward(kernels, training, 4 * t, m, n, 4 * xh, 4 * v, 4 * (v + n), 4 * sums, 4 * t);   // t over dy
            copyOut(heap, sums, sumDy, 0, n);
            copyOut(heap, sums + n, sumDyXhat, 0, n);
            scatterOut(heap, t, dx, 0, 1, m * n, true);   // dx += t: a float sum, rounded once as the JVM's
            return true;
        }

        /** Along the rows of w from 16 outputs on, as {@link Simd.MemoryScratch}: the module's loop is over a row's length. */
        @Override protected boolean alongRowsOfW(int n, int k, int m) { return m >= n || m >= 16; }
    }
}
