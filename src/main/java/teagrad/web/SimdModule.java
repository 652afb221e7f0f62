package teagrad.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import teagrad.autograd.FMath;

/**
 * Writes kernels.wasm, the WebAssembly SIMD module of the WASM worker (run by the Maven build,
 * so that the build needs no WebAssembly tool: this class is the module's source). It has nine
 * functions, over the linear memory it imports from TeaVM's module as {@code env.memory}:
 *
 * <pre>
 *   axpy(acc, accStride, coef, coefStep, coefStride, rows, rowStride, count, k, m)     addresses and strides in bytes
 *     for r in [0, count), with acc_r = acc + r·accStride and coef_r = coef + r·coefStep:
 *     acc_r[0..m) += Σ_{p<k} coef_r[p·coefStride] · (rows + p·rowStride)[0..m)
 *   tanh(x, n)
 *     x[0..n) = FMath.tanh(x[0..n)), in place
 *   sumRows(sum, first, at, count, width)
 *     sum[0..width) = ((first + row at[0]) + row at[1]) + … + row at[count−1]     at: count i32 addresses
 *   softmax(logits, probs, n, v, out)
 *     rows i in [0, n) of v floats: probs_i = softmax(logits_i) as Ops.softmaxRow computes it; its Σ exp and max to out + 16·i
 *   sgd(values, grads, n, lrBits)
 *     values[0..n) −= lr · grads[0..n)     lr = f32.reinterpret_i32(lrBits)
 *   notFinite(grads, n, out)
 *     the i32 at out = 1 if any of grads[0..n) is NaN or ±∞, else 0
 *   zero(x, n)
 *     x[0..n) = 0 (memory.fill)
 *   copy(dst, src, n)
 *     dst[0..n) = src[0..n) (memory.copy)
 *   transpose(src, srcStride, dst, dstStride, rows, cols)
 *     (dst + c·dstStride)[r] = (src + r·srcStride)[c] for r in [0, rows), c in [0, cols)     strides in bytes
 *   transposeAdd(src, srcStride, dst, dstStride, rows, cols)
 *     the same with +=
 *   bnMoments(x, m, n, sums)                                   x: m rows of n floats; sums: 2n f64
 *     sums[j] = μ_j = Σ_i x_ij / m, then sums[n + j] = Σ_i (x_ij − μ_j)²
 *   bnNormalise(x, m, n, mean, invStd, gamma, beta, xhat, y)   mean: n f64 (bnMoments' sums)
 *     xhat_ij = f32(x_ij − mean_j)·invStd_j, y_ij = gamma_j·xhat_ij + beta_j
 *   bnNormaliseEval(…)                                         mean: n f32 (the running means)
 *     xhat_ij = (x_ij − mean_j)·invStd_j in f32, y as above
 *   bnBackward(dy, m, n, xhat, invStd, gamma, sums, t)         sums: 2n f32 out; t: m × n out
 *     sums[j] = Σ_i dy_ij, sums[n + j] = Σ_i dy_ij·xhat_ij, t_ij = γ_j·invStd_j/m · (m·dy_ij − sums[j] − xhat_ij·sums[n + j])
 *   bnBackwardEval(…)
 *     the same sums, t_ij = γ_j·invStd_j · dy_ij
 * </pre>
 * each acc_r in exactly {@link teagrad.autograd.Kernels#axpyRows}'s order: four rows per pass, each
 * element gaining {@code ((a0·r0 + a1·r1) + a2·r2) + a3·r3}, then the remaining rows one at a
 * time. It takes two output rows r at a time, so that every value of the k rows it loads serves
 * both (in V8 1.15–1.25× the speed of one at a time on the chapter's products), then the last one. The loop over the elements j takes eight at a time (two f32x4 at
 * offsets 0 and 16 from one address: half the loop's own instructions per element, products
 * 1.06–1.2× as fast in node's V8), then four with f32x4 (the coefficient splatted to the four
 * lanes), then the last m mod 4 one at a time with f32. f32x4.mul and f32x4.add
 * round every lane as f32.mul and f32.add do (no fused multiply-add), so each element gets the
 * same bits as the Java loop. Every product of teagrad.autograd.Kernels is one axpy.
 * tanh computes {@link FMath#tanh}'s expression with f32x4 mul, add and div, four values
 * at a time, then the rest one at a time: the same operations in the same order, so the same
 * bits (NaN payloads aside, which WebAssembly does not fix). Its clamp takes f32x4.pmin and pmax
 * (b &lt; a ? b : a per lane) with x as a: for every x, NaN and ±0 included, that is Math.min and
 * Math.max's result, in one x64 instruction each where f32x4.min/max take about eight (the whole
 * tanh 1.8× as fast in node's V8). sumRows adds lane by lane in the
 * order of {@link teagrad.autograd.Kernels#sumRows}: f32x4.add is f32.add per lane.
 *
 * <p>The code below writes the bytes of the WebAssembly binary format with one method per
 * instruction, named as in the text format; the comments give the text format of each part.
 */
public final class SimdModule {
    private SimdModule() {}

    /** Writes the module to the given file (the build's target/classes/webapp/wasm/kernels.wasm). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        Files.write(out, bytes());
    }

    // Value types and the function's parameters and locals, by index.
    private static final int I32 = 0x7f, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
    private static final int ACC = 0, ACC_STRIDE = 1, COEF = 2, COEF_STEP = 3, COEF_STRIDE = 4,      // axpy's params, all i32
        ROWS = 5, ROW_STRIDE = 6, OUTPUTS = 7, K = 8, M = 9;
    private static final int P = 10, J = 11, M4 = 12, OFF = 13, R0 = 14;    // i32 locals: R0..R0+3 are the four rows' addresses
    private static final int RI = 18, OUTPUTS1 = 19, ACC_AT = 20, COEF_AT = 22;   // the output row, count − 1; per output row t < 2 its acc and coef
    private static final int M8 = 24;                                       // m & ~7: the elements done eight at a time
    private static final int A0 = 25, XF = 33;                              // f32 locals: A0 + 4t + q the coefficients, XF + q the rows' values
    private static final int V0 = 37, XS = 45;                              // v128 locals: the same, four lanes
    private static final int AXPY_LOCALS_I32 = 15, AXPY_LOCALS_F32 = 12, AXPY_LOCALS_V128 = 12;

    /** A function of the module: its export name, how many i32 parameters it takes, its body. */
    private record Function(String name, int params, Code body) {}

    /** The whole module: (module (import "env" "memory" (memory 1)) (func (export "axpy") …) …). */
    public static byte[] bytes() {
        List<Function> functions = List.of(new Function("axpy", 10, axpy()), new Function("tanh", 2, tanh()),
            new Function("sumRows", 5, sumRows()), new Function("softmax", 5, softmax()),
            new Function("sgd", 4, sgd()), new Function("notFinite", 3, notFinite()), new Function("zero", 2, zero()),
            new Function("transpose", 6, transpose(false)), new Function("transposeAdd", 6, transpose(true)),
            new Function("copy", 3, copy()), new Function("bnMoments", 4, bnMoments()), new Function("bnNormalise", 9, bnNormalise(false)),
            new Function("bnNormaliseEval", 9, bnNormalise(true)), new Function("bnBackward", 8, bnBackward(true)),
            new Function("bnBackwardEval", 8, bnBackward(false)));
        int count = functions.size();
        Bytes module = new Bytes();
        module.raw(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);   // "\0asm", version 1

        Bytes types = new Bytes().u32(count);                        // type f: (func (param i32 × params of f))
        for (Function f : functions) {
            types.raw(0x60).u32(f.params());
            for (int i = 0; i < f.params(); i++) types.raw(I32);
            types.u32(0);
        }
        module.section(1, types);

        Bytes imports = new Bytes();                                 // (import "env" "memory" (memory 1))
        imports.u32(1).name("env").name("memory").raw(0x02, 0x00).u32(1);
        module.section(2, imports);

        Bytes typeOf = new Bytes().u32(count);                       // function f has type f
        for (int f = 0; f < count; f++) typeOf.u32(f);
        module.section(3, typeOf);

        Bytes exports = new Bytes().u32(count);                      // (export "name" (func f))
        for (int f = 0; f < count; f++) exports.name(functions.get(f).name()).raw(0x00).u32(f);
        module.section(7, exports);

        Bytes code = new Bytes().u32(count);
        for (Function f : functions) code.u32(f.body().size()).append(f.body());
        module.section(10, code);
        return module.toByteArray();
    }

    private static Code axpy() {
        Code c = new Code();
        c.u32(3).u32(AXPY_LOCALS_I32).raw(I32).u32(AXPY_LOCALS_F32).raw(F32).u32(AXPY_LOCALS_V128).raw(V128);

        c.localGet(M).i32Const(-4).i32And().localSet(M4);            // m4 = m & ~3: the elements done four at a time
        c.localGet(M).i32Const(-8).i32And().localSet(M8);
        c.localGet(OUTPUTS).i32Const(-1).i32Add().localSet(OUTPUTS1);
        c.i32Const(0).localSet(RI);
        // Two output rows per pass while r + 1 < count: each row value loaded once serves both.
        c.whileLess(RI, OUTPUTS1, 2, () -> {
            outputRow(c, 0);
            c.localGet(ACC_AT).localGet(ACC_STRIDE).i32Add().localSet(ACC_AT + 1);
            c.localGet(COEF_AT).localGet(COEF_STEP).i32Add().localSet(COEF_AT + 1);
            sums(c, 2);
        });
        // Then the last one, if count is odd.
        c.block();
        c.localGet(RI).localGet(OUTPUTS).i32GeS().brIf(0);
        outputRow(c, 0);
        sums(c, 1);
        c.end();
        return c.end();
    }

    /** Output row t's accumulator and coefficients: acc_t = acc + r·accStride, coef_t = coef + r·coefStep. */
    private static void outputRow(Code c, int t) {
        c.localGet(ACC).localGet(RI).localGet(ACC_STRIDE).i32Mul().i32Add().localSet(ACC_AT + t);
        c.localGet(COEF).localGet(RI).localGet(COEF_STEP).i32Mul().i32Add().localSet(COEF_AT + t);
    }

    /** acc_t[0..m) += Σ_{p<k} coef_t[p·coefStride] · row_p[0..m) for the {@code outputs} (1 or 2) rows t: four rows p per pass, then one. */
    private static void sums(Code c, int outputs) {
        c.i32Const(0).localSet(P);
        c.block().loop();
        c.localGet(P).i32Const(3).i32Add().localGet(K).i32GeS().brIf(1);
        for (int q = 0; q < 4; q++) {
            // r_q = rows + (p + q)·rowStride; a_tq = coef_t[(p + q)·coefStride]; v_tq = f32x4.splat(a_tq)
            c.localGet(ROWS).localGet(P).i32Const(q).i32Add().localGet(ROW_STRIDE).i32Mul().i32Add().localSet(R0 + q);
            for (int t = 0; t < outputs; t++) {
                c.localGet(COEF_AT + t).localGet(P).i32Const(q).i32Add().localGet(COEF_STRIDE).i32Mul().i32Add().f32Load().localSet(A0 + 4 * t + q);
                c.localGet(A0 + 4 * t + q).f32x4Splat().localSet(V0 + 4 * t + q);
            }
        }
        c.i32Const(0).localSet(J);
        elements(c, outputs, 4, true);
        elements(c, outputs, 4, false);
        c.localGet(P).i32Const(4).i32Add().localSet(P);
        c.br(0).end().end();
        c.whileLess(P, K, 1, () -> {
            c.localGet(ROWS).localGet(P).localGet(ROW_STRIDE).i32Mul().i32Add().localSet(R0);
            for (int t = 0; t < outputs; t++) {
                c.localGet(COEF_AT + t).localGet(P).localGet(COEF_STRIDE).i32Mul().i32Add().f32Load().localSet(A0 + 4 * t);
                c.localGet(A0 + 4 * t).f32x4Splat().localSet(V0 + 4 * t);
            }
            c.i32Const(0).localSet(J);
            elements(c, outputs, 1, true);
            elements(c, outputs, 1, false);
        });
    }

    /**
     * The loop over the elements j for {@code rowCount} rows p (4 or 1) and {@code outputs} rows t,
     * from the current j: with {@code simd}, four elements per pass while j &lt; m4; else one per
     * pass while j &lt; m. The rows' values are loaded once, then for each t:
     * <pre>
     *   acc_t[j] = acc_t[j] + (((a_t0·r0[j] + a_t1·r1[j]) + a_t2·r2[j]) + a_t3·r3[j])     (rowCount 4)
     *   acc_t[j] = acc_t[j] + a_t0·r0[j]                                                  (rowCount 1)
     * </pre>
     */
    private static void elements(Code c, int outputs, int rowCount, boolean simd) {
        if (simd) {      // eight elements per pass while j < m8: two f32x4 at offsets 0 and 16 from one address (half the loop's own instructions per element)
            c.whileLess(J, M8, 8, () -> {
                c.localGet(J).i32Const(2).i32Shl().localSet(OFF);
                elementPass(c, outputs, rowCount, true, 0);
                elementPass(c, outputs, rowCount, true, 16);
            });
        }
        c.whileLess(J, simd ? M4 : M, simd ? 4 : 1, () -> {
            c.localGet(J).i32Const(2).i32Shl().localSet(OFF);            // off = 4·j bytes
            elementPass(c, outputs, rowCount, simd, 0);
        });
    }

    /** The elements at byte offset off + {@code offset} of the rows and accumulators: one f32x4 with {@code simd}, else one f32. */
    private static void elementPass(Code c, int outputs, int rowCount, boolean simd, int offset) {
        int x = simd ? XS : XF, a = simd ? V0 : A0;
        for (int q = 0; q < rowCount; q++) c.localGet(R0 + q).localGet(OFF).i32Add().load(simd, offset).localSet(x + q);   // r_q[j]
        for (int t = 0; t < outputs; t++) {
            c.localGet(ACC_AT + t).localGet(OFF).i32Add();               // the address stored to
            c.localGet(ACC_AT + t).localGet(OFF).i32Add().load(simd, offset);    // acc_t[j]
            for (int q = 0; q < rowCount; q++) {
                c.localGet(a + 4 * t + q).localGet(x + q).mul(simd);
                if (q > 0) c.add(simd);                                  // the running sum of products, left to right
            }
            c.add(simd).store(simd, offset);                             // acc_t[j] + the sum
        }
    }

    // tanh's parameters and locals.
    private static final int X = 0, N = 1;                               // params: the address, the count
    private static final int I = 2, N4 = 3, AT = 4;                      // i32 locals
    private static final int XV = 5, X2 = 6, PV = 7, QV = 8;             // v128 locals (f32 ones at +4)

    private static Code tanh() {
        Code c = new Code();
        c.u32(3).u32(3).raw(I32).u32(4).raw(V128).u32(4).raw(F32);   // locals: 3 i32, 4 v128, 4 f32
        return fourThenOne(c, N, N4, I, simd -> tanhElements(c, simd));
    }

    /** The rest of a function over elements [0, n): n4 = n &amp; ~3, i = 0, the passes with f32x4 while i &lt; n4, then with f32. */
    private static Code fourThenOne(Code c, int n, int n4, int i, java.util.function.Consumer<Boolean> passes) {
        c.localGet(n).i32Const(-4).i32And().localSet(n4);
        c.i32Const(0).localSet(i);
        passes.accept(true);
        passes.accept(false);
        return c.end();
    }

    /**
     * With {@code simd}, four values per pass while i &lt; n4, else one per pass while i &lt; n:
     * <pre>
     *   x  = max(−clamp, min(clamp, x[i]));  x2 = x·x
     *   p  = x2·P0 + P1;  p = p·x2 + P2;  …  p = p·x2 + P6
     *   q  = x2·Q0 + Q1;  q = q·x2 + Q2;  q = q·x2 + Q3
     *   x[i] = x·(p / q)
     * </pre>
     */
    private static void tanhElements(Code c, boolean simd) {
        int x = simd ? XV : XV + 4, x2 = simd ? X2 : X2 + 4, p = simd ? PV : PV + 4, q = simd ? QV : QV + 4;
        c.whileLess(I, simd ? N4 : N, simd ? 4 : 1, () -> {
            c.localGet(X).localGet(I).i32Const(2).i32Shl().i32Add().localSet(AT);
            if (simd) {     // min(clamp, x) as pmin(x, clamp), max(−clamp, ·) as pmax(·, −clamp): the same values, NaN kept
                c.localGet(AT).load(true).constant(FMath.TANH_CLAMP, true).pmin().constant(-FMath.TANH_CLAMP, true).pmax().localSet(x);
            } else {
                c.constant(-FMath.TANH_CLAMP, false).constant(FMath.TANH_CLAMP, false).localGet(AT).load(false).min(false).max(false).localSet(x);
            }
            c.localGet(x).localGet(x).mul(simd).localSet(x2);
            c.localGet(x2).constant(FMath.TANH_P0, simd).mul(simd).constant(FMath.TANH_P1, simd).add(simd).localSet(p);
            for (float coefficient : new float[] {FMath.TANH_P2, FMath.TANH_P3, FMath.TANH_P4, FMath.TANH_P5, FMath.TANH_P6}) {
                c.localGet(p).localGet(x2).mul(simd).constant(coefficient, simd).add(simd).localSet(p);
            }
            c.localGet(x2).constant(FMath.TANH_Q0, simd).mul(simd).constant(FMath.TANH_Q1, simd).add(simd).localSet(q);
            for (float coefficient : new float[] {FMath.TANH_Q2, FMath.TANH_Q3}) {
                c.localGet(q).localGet(x2).mul(simd).constant(coefficient, simd).add(simd).localSet(q);
            }
            c.localGet(AT).localGet(x).localGet(p).localGet(q).div(simd).mul(simd).store(simd);
        });
    }

    // sumRows' parameters and locals.
    private static final int SUM = 0, FIRST = 1, ROWS_AT = 2, COUNT = 3, WIDTH = 4;   // params, all i32
    private static final int SJ = 5, SW4 = 6, SOFF = 7, Q = 8;                   // i32 locals
    private static final int SV = 9;                                              // v128 local (the f32 one at +1)

    private static Code sumRows() {
        Code c = new Code();
        c.u32(3).u32(4).raw(I32).u32(1).raw(V128).u32(1).raw(F32);   // locals: 4 i32, 1 v128, 1 f32
        return fourThenOne(c, WIDTH, SW4, SJ, simd -> sumElements(c, simd));
    }

    /**
     * With {@code simd}, four elements per pass while j &lt; width4, else one per pass while j &lt; width:
     * <pre>
     *   v = first[j];  for q in [0, count): v = v + (at[q])[j];  sum[j] = v
     * </pre>
     */
    private static void sumElements(Code c, boolean simd) {
        int v = simd ? SV : SV + 1;
        c.whileLess(SJ, simd ? SW4 : WIDTH, simd ? 4 : 1, () -> {
            c.localGet(SJ).i32Const(2).i32Shl().localSet(SOFF);          // off = 4·j bytes
            c.localGet(FIRST).localGet(SOFF).i32Add().load(simd).localSet(v);
            c.i32Const(0).localSet(Q);
            c.whileLess(Q, COUNT, 1, () -> {
                c.localGet(v);
                c.localGet(ROWS_AT).localGet(Q).i32Const(2).i32Shl().i32Add().i32Load();   // at[q]: the row's address
                c.localGet(SOFF).i32Add().load(simd);
                c.add(simd).localSet(v);
            });
            c.localGet(SUM).localGet(SOFF).i32Add().localGet(v).store(simd);
        });
    }

    // sgd's parameters and locals.
    private static final int VALUES = 0, GRADS = 1, SGD_N = 2, LR_BITS = 3;      // params, all i32 (the learning rate's f32 bits)
    private static final int GI = 4, GN4 = 5, GOFF = 6;                          // i32 locals
    private static final int LR = 7;                                             // v128 local (the f32 one at +1)

    /**
     * The SGD update, four values per pass, then one: {@code v[i] = v[i] − lr·g[i]} for i in [0, n),
     * f32x4.mul then f32x4.sub, which round each lane as Java's {@code d[i] -= lr * g[i]} does.
     */
    private static Code sgd() {
        Code c = new Code();
        c.u32(3).u32(3).raw(I32).u32(1).raw(V128).u32(1).raw(F32);   // locals: 3 i32, 1 v128, 1 f32
        c.localGet(LR_BITS).f32ReinterpretI32().localSet(LR + 1);
        c.localGet(LR + 1).f32x4Splat().localSet(LR);
        return fourThenOne(c, SGD_N, GN4, GI, simd -> c.whileLess(GI, simd ? GN4 : SGD_N, simd ? 4 : 1, () -> {
            c.localGet(GI).i32Const(2).i32Shl().localSet(GOFF);                                  // off = 4·i bytes
            c.localGet(VALUES).localGet(GOFF).i32Add();                                          // the address stored to
            c.localGet(VALUES).localGet(GOFF).i32Add().load(simd);                               // v[i]
            c.localGet(simd ? LR : LR + 1).localGet(GRADS).localGet(GOFF).i32Add().load(simd).mul(simd);   // lr·g[i]
            c.sub(simd).store(simd);
        }));
    }

    // notFinite's parameters and locals.
    private static final int NF_GRADS = 0, NF_N = 1, NF_OUT = 2;                 // params, all i32
    private static final int NI = 3, NN4 = 4, NOFF = 5, NANY = 6;                // i32 locals
    private static final int NV = 7, NMASK = 8;                                   // v128 locals
    private static final int EXPONENT = 0x7f800000;

    /**
     * out (an i32) = 1 if any of g[0..n) is NaN or ±∞, else 0: its exponent's bits all ones, the
     * test of Trainer.allFinite, four values a pass (their lanes or'ed together), then one.
     */
    private static Code notFinite() {
        Code c = new Code();
        c.u32(2).u32(4).raw(I32).u32(2).raw(V128);                   // locals: 4 i32, 2 v128
        c.i32Const(EXPONENT).i32x4Splat().localSet(NMASK);
        c.i32Const(0).i32x4Splat().localSet(NV);
        c.i32Const(0).localSet(NANY);
        c.localGet(NF_N).i32Const(-4).i32And().localSet(NN4);
        c.i32Const(0).localSet(NI);
        c.whileLess(NI, NN4, 4, () -> {          // nv |= ((g & mask) == mask) per lane
            c.localGet(NV);
            c.localGet(NF_GRADS).localGet(NI).i32Const(2).i32Shl().i32Add().load(true).localGet(NMASK).v128And().localGet(NMASK).i32x4Eq();
            c.v128Or().localSet(NV);
        });
        c.whileLess(NI, NF_N, 1, () -> {         // any |= ((g & mask) == mask)
            c.localGet(NANY);
            c.localGet(NF_GRADS).localGet(NI).i32Const(2).i32Shl().i32Add().i32Load().i32Const(EXPONENT).i32And().i32Const(EXPONENT).i32Eq();
            c.i32Or().localSet(NANY);
        });
        c.localGet(NF_OUT).localGet(NANY).localGet(NV).v128AnyTrue().i32Or().i32Store();
        return c.end();
    }

    /** dst[0..n) = src[0..n): (memory.copy dst src (4·n)), the bulk operation. */
    private static Code copy() {
        Code c = new Code();
        c.u32(0);                                                    // no locals
        c.localGet(0).localGet(1).localGet(2).i32Const(2).i32Shl().memoryCopy();
        return c.end();
    }

    /** x[0..n) = +0: (memory.fill x 0 (4·n)), the bulk operation (no loop). */
    private static Code zero() {
        Code c = new Code();
        c.u32(0);                                                    // no locals
        c.localGet(0).i32Const(0).localGet(1).i32Const(2).i32Shl().memoryFill();
        return c.end();
    }

    // transpose's parameters and locals.
    private static final int T_SRC = 0, T_SRC_STRIDE = 1, T_DST = 2, T_DST_STRIDE = 3, T_ROWS = 4, T_COLS = 5;   // params, all i32
    private static final int TR = 6, TC = 7, TR4 = 8, TC4 = 9, TSA = 10, TDA = 11;                               // i32 locals
    private static final int TV = 12;                                                                           // v128 locals TV .. TV + 7

    /**
     * A matrix's transpose, four by four with i8x16.shuffle (two rounds of interleaving), the last
     * rows and columns one value at a time: what loading a weight's columns as rows takes (dx = dy·Wᵀ),
     * ~3× as fast as a loop of single loads and stores. With {@code add} each value is added to what
     * dst holds (f32x4.add rounds each lane as Java's {@code +=}): accumulators that are a gradient's
     * columns, added into it.
     * <pre>
     *   a b c d = four rows' four values;  t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 d0 c1 d1, t3 = c2 d2 c3 d3
     *   column q of the block (a_q b_q c_q d_q) = the low or high halves of t0/t2 or t1/t3
     * </pre>
     */
    private static Code transpose(boolean add) {
        Code c = new Code();
        c.u32(2).u32(6).raw(I32).u32(8).raw(V128);                   // locals: 6 i32, 8 v128
        c.localGet(T_ROWS).i32Const(-4).i32And().localSet(TR4);
        c.localGet(T_COLS).i32Const(-4).i32And().localSet(TC4);
        c.i32Const(0).localSet(TR);
        c.whileLess(TR, TR4, 4, () -> {
            c.i32Const(0).localSet(TC);
            c.whileLess(TC, TC4, 4, () -> {
                c.localGet(T_SRC).localGet(TR).localGet(T_SRC_STRIDE).i32Mul().i32Add().localGet(TC).i32Const(2).i32Shl().i32Add().localSet(TSA);
                for (int q = 0; q < 4; q++) {                              // the block's four rows
                    c.localGet(TSA);
                    if (q > 0) c.localGet(T_SRC_STRIDE).i32Const(q).i32Mul().i32Add();
                    c.load(true).localSet(TV + q);
                }
                int[][] first = {{0, 4, 1, 5}, {2, 6, 3, 7}}, second = {{0, 1, 4, 5}, {2, 3, 6, 7}};
                c.localGet(TV).localGet(TV + 1).shuffle32(first[0]).localSet(TV + 4);        // a0 b0 a1 b1
                c.localGet(TV).localGet(TV + 1).shuffle32(first[1]).localSet(TV + 5);        // a2 b2 a3 b3
                c.localGet(TV + 2).localGet(TV + 3).shuffle32(first[0]).localSet(TV + 6);    // c0 d0 c1 d1
                c.localGet(TV + 2).localGet(TV + 3).shuffle32(first[1]).localSet(TV + 7);    // c2 d2 c3 d3
                c.localGet(T_DST).localGet(TC).localGet(T_DST_STRIDE).i32Mul().i32Add().localGet(TR).i32Const(2).i32Shl().i32Add().localSet(TDA);
                for (int q = 0; q < 4; q++) {                              // column q of the block is row q of dst's block
                    c.localGet(TDA);
                    if (q > 0) c.localGet(T_DST_STRIDE).i32Const(q).i32Mul().i32Add();
                    int t = q < 2 ? TV + 4 : TV + 5;
                    c.localGet(t).localGet(t + 2).shuffle32(second[q % 2]);
                    if (add) {
                        c.localGet(TDA);
                        if (q > 0) c.localGet(T_DST_STRIDE).i32Const(q).i32Mul().i32Add();
                        c.load(true).add(true);
                    }
                    c.store(true);
                }
            });
            c.whileLess(TC, T_COLS, 1, () -> {                              // the last columns of these four rows
                for (int q = 0; q < 4; q++) transposeOne(c, q, add);
            });
        });
        c.whileLess(TR, T_ROWS, 1, () -> {                                  // the last rows
            c.i32Const(0).localSet(TC);
            c.whileLess(TC, T_COLS, 1, () -> transposeOne(c, 0, add));
        });
        return c.end();
    }

    /** (dst + c·dstStride)[r + q] = (src + (r + q)·srcStride)[c] (+= with add), one f32. */
    private static void transposeOne(Code c, int q, boolean add) {
        c.localGet(T_DST).localGet(TC).localGet(T_DST_STRIDE).i32Mul().i32Add().localGet(TR).i32Const(q).i32Add().i32Const(2).i32Shl().i32Add().localSet(TDA);
        c.localGet(TDA);
        c.localGet(T_SRC).localGet(TR).i32Const(q).i32Add().localGet(T_SRC_STRIDE).i32Mul().i32Add().localGet(TC).i32Const(2).i32Shl().i32Add();
        c.load(false);
        if (add) c.localGet(TDA).load(false).add(false);
        c.store(false);
    }

    // The batch-norm kernels' parameters (all i32) and locals: one set for the three.
    private static final int BX = 0, BM = 1, BN = 2, BSUMS = 3;                         // bnMoments' params; bnNormalise's x, m, n, mean
    private static final int B_INV = 4, B_GAMMA = 5, B_BETA = 6, B_XHAT = 7, B_Y = 8;   // bnNormalise's other params
    private static final int BD_XHAT = 3, BD_INV = 4, BD_GAMMA = 5, BD_SUMS = 6, BD_T = 7;   // bnBackward's (dy, m and n as x's)
    private static final int BL = 9;                                    // the locals start here (after the most params, bnNormalise's 9)
    private static final int BJ = BL, BI = BL + 1, BN4 = BL + 2, BAT = BL + 3, BROW = BL + 4, BEND = BL + 5;   // i32 locals
    private static final int BMD = BL + 6;                                            // f64 local: m; then f32: m
    private static final int BMF = BL + 7;
    private static final int BA = BL + 8, BB = BL + 9, BC = BL + 10, BD = BL + 11, BE = BL + 12, BV = BL + 13;   // v128 locals
    private static final int BA1 = BL + 14, BB1 = BL + 15, BV1 = BL + 16;            // f64 locals (scalar columns' sums)
    private static final int BF = BL + 17, BG = BL + 18, BH = BL + 19, BK = BL + 20;   // f32 locals (scalar columns)

    /** The locals every batch-norm kernel declares, from index {@link #BL} on (after padding the params to nine). */
    private static Code bnLocals(int params) {
        Code c = new Code();
        c.u32(6).u32(6 + BL - params).raw(I32).u32(1).raw(F64).u32(1).raw(F32).u32(6).raw(V128).u32(3).raw(F64).u32(4).raw(F32);
        c.localGet(BN).i32Const(-4).i32And().localSet(BN4);
        c.localGet(BM).f64ConvertI32S().localSet(BMD);
        c.localGet(BM).f32ConvertI32S().localSet(BMF);
        c.localGet(BN).i32Const(2).i32Shl().localSet(BROW);                   // a row's bytes
        c.localGet(BM).localGet(BROW).i32Mul().localSet(BEND);                // the matrix's bytes
        return c;
    }

    /**
     * {@code for (at = 4·j; at < end; at += row) body}: down the column j (or four columns from j),
     * in the order of the rows, as BatchNorm1d's loops add each column's values.
     */
    private static void downColumns(Code c, Runnable body) {
        c.localGet(BJ).i32Const(2).i32Shl().localSet(BAT);
        c.whileLessBy(BAT, BEND, BROW, body);
    }

    /**
     * BatchNorm1d's two forward passes, in f64 as its sums are, four columns a pass (two f64x2
     * each: lanes j, j+1 promoted from the low half, j+2, j+3 from the high half), then one:
     * <pre>
     *   s = 0;  for i: s = s + f64(x_ij);          μ_j = s / f64(m)
     *   q = 0;  for i: d = f64(x_ij) − μ_j;  q = q + d·d
     * </pre>
     */
    private static Code bnMoments() {
        Code c = bnLocals(4);
        c.i32Const(0).localSet(BJ);
        c.whileLess(BJ, BN4, 4, () -> {
            c.f64Const(0).f64x2Splat().localSet(BA);
            c.f64Const(0).f64x2Splat().localSet(BB);
            downColumns(c, () -> {
                c.localGet(BX).localGet(BAT).i32Add().load(true).localSet(BV);
                c.localGet(BA).localGet(BV).f64x2PromoteLow().f64x2Add().localSet(BA);
                c.localGet(BB).localGet(BV).localGet(BV).shuffle32(HIGH).f64x2PromoteLow().f64x2Add().localSet(BB);
            });
            c.localGet(BA).localGet(BMD).f64x2Splat().f64x2Div().localSet(BC);         // μ, lanes j, j+1
            c.localGet(BB).localGet(BMD).f64x2Splat().f64x2Div().localSet(BD);         // lanes j+2, j+3
            c.localGet(BSUMS).localGet(BJ).i32Const(3).i32Shl().i32Add().localGet(BC).store(true);
            c.localGet(BSUMS).localGet(BJ).i32Const(3).i32Shl().i32Add().localGet(BD).store(true, 16);
            c.f64Const(0).f64x2Splat().localSet(BA);
            c.f64Const(0).f64x2Splat().localSet(BB);
            downColumns(c, () -> {
                c.localGet(BX).localGet(BAT).i32Add().load(true).localSet(BV);
                c.localGet(BV).f64x2PromoteLow().localGet(BC).f64x2Sub().localSet(BE);
                c.localGet(BA).localGet(BE).localGet(BE).f64x2Mul().f64x2Add().localSet(BA);
                c.localGet(BV).localGet(BV).shuffle32(HIGH).f64x2PromoteLow().localGet(BD).f64x2Sub().localSet(BE);
                c.localGet(BB).localGet(BE).localGet(BE).f64x2Mul().f64x2Add().localSet(BB);
            });
            c.localGet(BSUMS).localGet(BN).localGet(BJ).i32Add().i32Const(3).i32Shl().i32Add().localGet(BA).store(true);
            c.localGet(BSUMS).localGet(BN).localGet(BJ).i32Add().i32Const(3).i32Shl().i32Add().localGet(BB).store(true, 16);
        });
        c.whileLess(BJ, BN, 1, () -> {
            c.f64Const(0).localSet(BA1);
            downColumns(c, () -> c.localGet(BA1).localGet(BX).localGet(BAT).i32Add().load(false).f64PromoteF32().f64Add().localSet(BA1));
            c.localGet(BA1).localGet(BMD).f64Div().localSet(BB1);
            c.localGet(BSUMS).localGet(BJ).i32Const(3).i32Shl().i32Add().localGet(BB1).f64Store();
            c.f64Const(0).localSet(BA1);
            downColumns(c, () -> {
                c.localGet(BX).localGet(BAT).i32Add().load(false).f64PromoteF32().localGet(BB1).f64Sub().localSet(BV1);
                c.localGet(BA1).localGet(BV1).localGet(BV1).f64Mul().f64Add().localSet(BA1);
            });
            c.localGet(BSUMS).localGet(BN).localGet(BJ).i32Add().i32Const(3).i32Shl().i32Add().localGet(BA1).f64Store();
        });
        return c.end();
    }

    /** i8x16.shuffle lanes: a vector's high two floats into its low two. */
    private static final int[] HIGH = {2, 3, 2, 3};

    /**
     * BatchNorm1d's normalising pass, row by row, four features a pass, then one; with {@code eval}
     * the running means (f32) stand in for the batch's (f64):
     * <pre>
     *   x̂ = f32(f64(x) − μ)·invStd     (eval: (x − μ)·invStd, all f32)       y = γ·x̂ + β
     * </pre>
     * f64x2 for the two halves, each demoted into the low lanes of an f32x4 and the two joined.
     */
    private static Code bnNormalise(boolean eval) {
        Code c = bnLocals(9);
        c.i32Const(0).localSet(BI);
        c.whileLessBy(BI, BEND, BROW, () -> {                                 // bi: the row's byte offset
            c.i32Const(0).localSet(BJ);
            c.whileLess(BJ, BN4, 4, () -> normaliseElements(c, eval, true));
            c.whileLess(BJ, BN, 1, () -> normaliseElements(c, eval, false));
        });
        return c.end();
    }

    /** x̂ and y at row offset bi and column j: four values with {@code simd}, else one. */
    private static void normaliseElements(Code c, boolean eval, boolean simd) {
        c.localGet(BJ).i32Const(2).i32Shl().localSet(BAT);                    // 4·j
        c.localGet(BX).localGet(BI).i32Add().localGet(BAT).i32Add().load(simd).localSet(simd ? BV : BF);
        if (eval) {
            c.localGet(simd ? BV : BF).localGet(BSUMS).localGet(BAT).i32Add().load(simd).sub(simd);
        } else if (simd) {
            c.localGet(BV).f64x2PromoteLow().localGet(BSUMS).localGet(BJ).i32Const(3).i32Shl().i32Add().load(true).f64x2Sub().f32x4DemoteZero();
            c.localGet(BV).localGet(BV).shuffle32(HIGH).f64x2PromoteLow().localGet(BSUMS).localGet(BJ).i32Const(3).i32Shl().i32Add().load(true, 16).f64x2Sub().f32x4DemoteZero();
            c.shuffle32(new int[] {0, 1, 4, 5});
        } else {
            c.localGet(BF).f64PromoteF32().localGet(BSUMS).localGet(BJ).i32Const(3).i32Shl().i32Add().f64Load().f64Sub().f32DemoteF64();
        }
        c.localGet(B_INV).localGet(BAT).i32Add().load(simd).mul(simd).localSet(simd ? BA : BG);   // x̂
        c.localGet(B_XHAT).localGet(BI).i32Add().localGet(BAT).i32Add().localGet(simd ? BA : BG).store(simd);
        c.localGet(B_Y).localGet(BI).i32Add().localGet(BAT).i32Add();
        c.localGet(B_GAMMA).localGet(BAT).i32Add().load(simd).localGet(simd ? BA : BG).mul(simd);
        c.localGet(B_BETA).localGet(BAT).i32Add().load(simd).add(simd).store(simd);
    }

    /**
     * BatchNorm1d's fused backward, a column (or four) at a time: both sums down it, then the
     * term each dx gains (the caller adds t to dx, which is Java's {@code dx += t}: the same rounding).
     * <pre>
     *   s_dy = 0, s_dyx = 0;  for i: s_dy = s_dy + dy;  s_dyx = s_dyx + dy·x̂
     *   training: s = γ·invStd / f32(m);  t = s·((f32(m)·dy − s_dy) − x̂·s_dyx)
     *   eval:     s = γ·invStd;           t = s·dy
     * </pre>
     */
    private static Code bnBackward(boolean training) {
        Code c = bnLocals(8);
        c.i32Const(0).localSet(BJ);
        c.whileLess(BJ, BN4, 4, () -> backwardColumns(c, training, true));
        c.whileLess(BJ, BN, 1, () -> backwardColumns(c, training, false));
        return c.end();
    }

    private static void backwardColumns(Code c, boolean training, boolean simd) {
        int sDy = simd ? BA : BF, sDyX = simd ? BB : BG, s = simd ? BC : BH, d = simd ? BV : BK, mf = simd ? BD : BMF;
        c.constant(0, simd).localSet(sDy);
        c.constant(0, simd).localSet(sDyX);
        downColumns(c, () -> {
            c.localGet(BX).localGet(BAT).i32Add().load(simd).localSet(d);
            c.localGet(sDy).localGet(d).add(simd).localSet(sDy);
            c.localGet(sDyX).localGet(d).localGet(BD_XHAT).localGet(BAT).i32Add().load(simd).mul(simd).add(simd).localSet(sDyX);
        });
        c.localGet(BJ).i32Const(2).i32Shl().localSet(BAT);
        c.localGet(BD_SUMS).localGet(BAT).i32Add().localGet(sDy).store(simd);
        c.localGet(BD_SUMS).localGet(BROW).i32Add().localGet(BAT).i32Add().localGet(sDyX).store(simd);
        if (simd) c.localGet(BMF).f32x4Splat().localSet(BD);
        c.localGet(BD_GAMMA).localGet(BAT).i32Add().load(simd).localGet(BD_INV).localGet(BAT).i32Add().load(simd).mul(simd);
        if (training) c.localGet(mf).div(simd);
        c.localSet(s);
        downColumns(c, () -> {
            c.localGet(BD_T).localGet(BAT).i32Add();
            c.localGet(s);
            if (training) {
                c.localGet(mf).localGet(BX).localGet(BAT).i32Add().load(simd).mul(simd).localGet(sDy).sub(simd);
                c.localGet(BD_XHAT).localGet(BAT).i32Add().load(simd).localGet(sDyX).mul(simd).sub(simd);
            } else {
                c.localGet(BX).localGet(BAT).i32Add().load(simd);
            }
            c.mul(simd).store(simd);
        });
    }

    // softmax's parameters and locals.
    private static final int LOGITS = 0, PROBS = 1, SM_ROWS = 2, V = 3, OUT = 4;                 // params, all i32
    private static final int SI = 5, SMJ = 6, ROW = 7, PROW = 8, ROW_END = 9;                     // i32 locals
    private static final int MAX = 10, E = 11, INV = 12;                                          // f32 locals
    private static final int SX = 13, SUMD = 14, KD = 15, RD = 16, TD = 17;                       // f64 locals
    private static final double LN2 = 0.6931471805599453, INV_LN2 = 1.4426950408889634;        // FMath's

    /**
     * {@link teagrad.autograd.Ops#softmaxRow} for rows i in [0, n), scalar (its exps are in double):
     * <pre>
     *   max = fold f32.max over the row from −∞
     *   e_j = f32(expD(f64(l_j − max)));  probs_j = e_j;  sum = sum + f64(e_j)     (sum from 0, j in order)
     *   inv = f32(1 / sum);  probs_j = probs_j · inv
     *   out + 16·i: sum as f64, then max as f32
     * </pre>
     * expD is {@link FMath}'s, operation for operation: NaN stays, x &gt; 100 is +∞, x &lt; −110 is 0,
     * else k = floor(x·(1/ln2) + 0.5) (f64.floor: TeaVM's WebAssembly floors with a cast, a compare and a
     * branch, and calls out to JavaScript for Math.floor), r = x − k·ln2, the degree-8 Taylor polynomial of e^r
     * by Horner, times 2^k built from its exponent bits (k is in [−159, 145]: POW2's exact powers).
     */
    private static Code softmax() {
        Code c = new Code();
        c.u32(3).u32(5).raw(I32).u32(3).raw(F32).u32(5).raw(F64);   // locals: 5 i32, 3 f32, 5 f64
        c.i32Const(0).localSet(SI);
        c.whileLess(SI, SM_ROWS, 1, () -> {
            c.localGet(SI).localGet(V).i32Mul().i32Const(2).i32Shl().localSet(ROW);
            c.localGet(ROW).localGet(PROBS).i32Add().localSet(PROW);
            c.localGet(ROW).localGet(LOGITS).i32Add().localSet(ROW);
            c.constant(Float.NEGATIVE_INFINITY, false).localSet(MAX);
            overRow(c, () -> c.localGet(MAX).localGet(ROW).localGet(SMJ).i32Add().load(false).max(false).localSet(MAX));
            c.f64Const(0).localSet(SUMD);
            overRow(c, () -> {
                c.localGet(ROW).localGet(SMJ).i32Add().load(false).localGet(MAX).f32Sub().f64PromoteF32().localSet(SX);
                expD(c);
                c.f32DemoteF64().localSet(E);
                c.localGet(PROW).localGet(SMJ).i32Add().localGet(E).store(false);
                c.localGet(SUMD).localGet(E).f64PromoteF32().f64Add().localSet(SUMD);
            });
            c.f64Const(1).localGet(SUMD).f64Div().f32DemoteF64().localSet(INV);
            overRow(c, () -> c.localGet(PROW).localGet(SMJ).i32Add().localGet(PROW).localGet(SMJ).i32Add().load(false).localGet(INV).mul(false).store(false));
            c.localGet(OUT).localGet(SI).i32Const(4).i32Shl().i32Add().localGet(SUMD).f64Store();
            c.localGet(OUT).localGet(SI).i32Const(4).i32Shl().i32Add().i32Const(8).i32Add().localGet(MAX).store(false);
        });
        return c.end();
    }

    /** for j in [0, v): body, with smj = 4·j (the byte offset in the row). */
    private static void overRow(Code c, Runnable body) {
        c.i32Const(0).localSet(SMJ);
        c.localGet(V).i32Const(2).i32Shl().localSet(ROW_END);
        c.whileLess(SMJ, ROW_END, 4, body);
    }

    /**
     * Leaves FMath.expD(x) on the stack, x in local SX (see {@link #softmax}): the polynomial always,
     * then the special cases chosen with select (cmov, not branches: the loop's exps then overlap in
     * the CPU; k saturates rather than traps where x is NaN or out of range, and is not used there).
     */
    private static void expD(Code c) {
        c.localGet(SX);                                                                             // for x != x
        c.f64Const(Double.POSITIVE_INFINITY);                                                       // for x > 100
        c.f64Const(0.0);                                                                            // for x < −110
        c.localGet(SX).f64Const(INV_LN2).f64Mul().f64Const(0.5).f64Add().f64Floor().localSet(KD);   // k = floor(x/ln2 + ½)
        c.localGet(SX).localGet(KD).f64Const(LN2).f64Mul().f64Sub().localSet(RD);                  // r = x − k·ln2
        c.localGet(RD).f64Const(1.0 / 40320).f64Mul().localSet(TD);
        for (double coefficient : new double[] {1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 1.0 / 2, 1}) {
            c.f64Const(coefficient).localGet(TD).f64Add().localGet(RD).f64Mul().localSet(TD);      // t = r·(c + t)
        }
        c.f64Const(1).localGet(TD).f64Add();                                                        // p = 1 + t
        c.localGet(KD).i64TruncSatF64S().i64Const(1023).i64Add().i64Const(52).i64Shl().f64ReinterpretI64().f64Mul();   // p · 2^k
        c.localGet(SX).f64Const(-110.0).f64Lt().select();
        c.localGet(SX).f64Const(100.0).f64Gt().select();
        c.localGet(SX).localGet(SX).f64Ne().select();
    }

    /** Bytes with the binary format's encodings: LEB128 numbers, names, sections. */
    private static class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes raw(int... bytes) {
            for (int b : bytes) out.write(b);
            return this;
        }

        Bytes u32(int value) {             // unsigned LEB128
            long v = value & 0xffffffffL;
            do {
                int b = (int) (v & 0x7f);
                v >>>= 7;
                out.write(v != 0 ? b | 0x80 : b);
            } while (v != 0);
            return this;
        }

        Bytes s32(int value) {             // signed LEB128
            int v = value;
            while (true) {
                int b = v & 0x7f;
                v >>= 7;
                boolean last = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
                out.write(last ? b : b | 0x80);
                if (last) return this;
            }
        }

        Bytes name(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        Bytes append(Bytes b) {
            out.writeBytes(b.toByteArray());
            return this;
        }

        Bytes section(int id, Bytes body) {
            return raw(id).u32(body.size()).append(body);
        }

        int size() { return out.size(); }

        byte[] toByteArray() { return out.toByteArray(); }
    }

    /** A function body: one method per instruction, named as in the text format. */
    private static final class Code extends Bytes {
        Code localGet(int i) { raw(0x20).u32(i); return this; }
        Code localSet(int i) { raw(0x21).u32(i); return this; }
        Code i32Const(int v) { raw(0x41).s32(v); return this; }
        Code i32Add() { raw(0x6a); return this; }
        Code i32Mul() { raw(0x6c); return this; }
        Code i32And() { raw(0x71); return this; }
        Code i32Shl() { raw(0x74); return this; }
        Code i32GeS() { raw(0x4e); return this; }
        Code i32Load() { raw(0x28).u32(2).u32(0); return this; }             // align 2^2, offset 0
        Code f32Load() { raw(0x2a).u32(2).u32(0); return this; }             // align 2^2, offset 0
        Code f32x4Splat() { raw(0xfd).u32(19); return this; }
        Code f32Sub() { raw(0x93); return this; }
        Code f32ReinterpretI32() { raw(0xbe); return this; }
        Code i32Eq() { raw(0x46); return this; }
        Code i32Or() { raw(0x72); return this; }
        Code i32Store() { raw(0x36).u32(2).u32(0); return this; }            // align 2^2, offset 0
        Code i32x4Splat() { raw(0xfd).u32(17); return this; }
        Code memoryFill() { raw(0xfc).u32(11).raw(0x00); return this; }   // dest value size: the bytes set to value
        Code memoryCopy() { raw(0xfc).u32(10).raw(0x00, 0x00); return this; }   // dest src size, in bytes

        /** i8x16.shuffle picking four 32-bit lanes of (a ‖ b): lane indices 0–3 are a's, 4–7 b's. */
        Code shuffle32(int[] lanes) {
            raw(0xfd).u32(13);
            for (int lane : lanes) for (int b = 0; b < 4; b++) raw(4 * lane + b);
            return this;
        }
        Code i32x4Eq() { raw(0xfd).u32(55); return this; }
        Code v128And() { raw(0xfd).u32(78); return this; }
        Code v128Or() { raw(0xfd).u32(80); return this; }
        Code v128AnyTrue() { raw(0xfd).u32(83); return this; }

        /** f32.sub or f32x4.sub. */
        Code sub(boolean simd) { if (simd) raw(0xfd).u32(229); else raw(0x93); return this; }
        Code f64Const(double v) {
            long bits = Double.doubleToRawLongBits(v);
            raw(0x44);
            for (int i = 0; i < 8; i++) raw((int) (bits >>> (8 * i)) & 0xff);
            return this;
        }
        Code f64Add() { raw(0xa0); return this; }
        Code f64Sub() { raw(0xa1); return this; }
        Code f64Mul() { raw(0xa2); return this; }
        Code f64Div() { raw(0xa3); return this; }
        Code f64Floor() { raw(0x9c); return this; }
        Code f64Ne() { raw(0x62); return this; }
        Code f64Lt() { raw(0x63); return this; }
        Code f64Gt() { raw(0x64); return this; }
        Code f64PromoteF32() { raw(0xbb); return this; }
        Code f32DemoteF64() { raw(0xb6); return this; }
        Code f64Store() { raw(0x39).u32(2).u32(0); return this; }           // align 2^2 (a hint), offset 0
        Code f64Load() { raw(0x2b).u32(2).u32(0); return this; }            // align 2^2 (a hint), offset 0
        Code f64ConvertI32S() { raw(0xb7); return this; }
        Code f32ConvertI32S() { raw(0xb2); return this; }
        Code f64x2Splat() { raw(0xfd).u32(20); return this; }
        Code f64x2PromoteLow() { raw(0xfd).u32(95); return this; }         // f64x2.promote_low_f32x4: lanes 0 and 1
        Code f32x4DemoteZero() { raw(0xfd).u32(94); return this; }         // f32x4.demote_f64x2_zero: into lanes 0 and 1, zeros above
        Code f64x2Add() { raw(0xfd).u32(240); return this; }
        Code f64x2Sub() { raw(0xfd).u32(241); return this; }
        Code f64x2Mul() { raw(0xfd).u32(242); return this; }
        Code f64x2Div() { raw(0xfd).u32(243); return this; }
        Code i64Const(int v) { raw(0x42).s32(v); return this; }              // small values: the same LEB128 as i32's
        Code i64Add() { raw(0x7c); return this; }
        Code i64Shl() { raw(0x86); return this; }
        Code i64TruncSatF64S() { raw(0xfc).u32(6); return this; }          // saturating: NaN is 0, never a trap
        Code select() { raw(0x1b); return this; }                            // a b cond → cond ? a : b
        Code f64ReinterpretI64() { raw(0xbf); return this; }

        Code block() { raw(0x02, 0x40); return this; }                       // block with no result
        Code loop() { raw(0x03, 0x40); return this; }
        Code br(int depth) { raw(0x0c).u32(depth); return this; }
        Code brIf(int depth) { raw(0x0d).u32(depth); return this; }
        Code end() { raw(0x0b); return this; }

        /**
         * {@code while (i < limit) { body; i += step; }} with i and limit locals:
         * (block (loop (br_if 1 (i32.ge_s i limit)) body (local.set i (i + step)) (br 0))).
         */
        Code whileLess(int i, int limit, int step, Runnable body) { return whileLess(i, limit, () -> i32Const(step), body); }

        /** As {@link #whileLess}, the step a local's value: {@code while (i < limit) { body; i += step; }}. */
        Code whileLessBy(int i, int limit, int stepLocal, Runnable body) { return whileLess(i, limit, () -> localGet(stepLocal), body); }

        private Code whileLess(int i, int limit, Runnable pushStep, Runnable body) {
            block().loop();
            localGet(i).localGet(limit).i32GeS().brIf(1);
            body.run();
            localGet(i);
            pushStep.run();
            i32Add().localSet(i);
            br(0).end().end();
            return this;
        }

        /** f32.load or v128.load (align 2^2: rows need not be 16-byte aligned). */
        Code load(boolean simd) { return load(simd, 0); }

        /** The same, at a constant byte offset from the address. */
        Code load(boolean simd, int offset) { if (simd) raw(0xfd).u32(0); else raw(0x2a); u32(2).u32(offset); return this; }

        /** f32.store or v128.store. */
        Code store(boolean simd) { return store(simd, 0); }

        /** The same, at a constant byte offset from the address. */
        Code store(boolean simd, int offset) { if (simd) raw(0xfd).u32(11); else raw(0x38); u32(2).u32(offset); return this; }

        /** f32.mul or f32x4.mul. */
        Code mul(boolean simd) { if (simd) raw(0xfd).u32(230); else raw(0x94); return this; }

        /** f32.add or f32x4.add. */
        Code add(boolean simd) { if (simd) raw(0xfd).u32(228); else raw(0x92); return this; }

        /** f32.div or f32x4.div. */
        Code div(boolean simd) { if (simd) raw(0xfd).u32(231); else raw(0x95); return this; }

        /** f32.min or f32x4.min (NaN if either is; −0 below +0, as Java's Math.min). */
        Code min(boolean simd) { if (simd) raw(0xfd).u32(232); else raw(0x96); return this; }

        /** f32.max or f32x4.max. */
        Code max(boolean simd) { if (simd) raw(0xfd).u32(233); else raw(0x97); return this; }

        /** f32x4.pmin a b = b &lt; a ? b : a per lane (a NaN a stays, as Math.min keeps it; ±0 as Math.min where b is not 0). */
        Code pmin() { raw(0xfd).u32(234); return this; }

        /** f32x4.pmax a b = a &lt; b ? b : a per lane. */
        Code pmax() { raw(0xfd).u32(235); return this; }

        /** f32.const v, splatted to the four lanes with {@code simd}. */
        Code constant(float v, boolean simd) {
            int bits = Float.floatToRawIntBits(v);
            raw(0x43, bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, bits >>> 24);
            return simd ? f32x4Splat() : this;
        }
    }
}
