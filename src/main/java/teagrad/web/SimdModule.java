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
 * so that the build needs no WebAssembly tool: this class is the module's source). It has three
 * functions, over the linear memory it imports from TeaVM's module as {@code env.memory}:
 *
 * <pre>
 *   axpy(acc, coef, coefStride, rows, rowStride, k, m)          all addresses and strides in bytes
 *     acc[0..m) += Σ_{p<k} coef[p·coefStride] · (rows + p·rowStride)[0..m)
 *   tanh(x, n)
 *     x[0..n) = FMath.tanh(x[0..n)), in place
 *   sumRows(sum, first, at, count, width)
 *     sum[0..width) = ((first + row at[0]) + row at[1]) + … + row at[count−1]     at: count i32 addresses
 * </pre>
 * in exactly {@link teagrad.autograd.Kernels#axpyRows}'s order: four rows per pass, each
 * element gaining {@code ((a0·r0 + a1·r1) + a2·r2) + a3·r3}, then the remaining rows one at a
 * time. The loop over the elements j takes four at a time with f32x4 (the coefficient splatted
 * to the four lanes), then the last m mod 4 one at a time with f32. f32x4.mul and f32x4.add
 * round every lane as f32.mul and f32.add do (no fused multiply-add), so each element gets the
 * same bits as the Java loop. Every product of teagrad.autograd.Kernels is a sequence of axpys.
 * tanh computes {@link FMath#tanh}'s expression with f32x4 min, max, mul, add and div, four values
 * at a time, then the rest one at a time: the same operations in the same order, so the same
 * bits (NaN payloads aside, which WebAssembly does not fix). sumRows adds lane by lane in the
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
    private static final int I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
    private static final int ACC = 0, COEF = 1, COEF_STRIDE = 2, ROWS = 3, ROW_STRIDE = 4, K = 5, M = 6;   // params, all i32
    private static final int P = 7, J = 8, M4 = 9, OFF = 10, R0 = 11;    // i32 locals: R0..R0+3 are the four rows' addresses
    private static final int A0 = 15;                                    // f32 locals: A0..A0+3, the four coefficients
    private static final int V0 = 19;                                    // v128 locals: V0..V0+3, the coefficients splatted

    /** A function of the module: its export name, how many i32 parameters it takes, its body. */
    private record Function(String name, int params, Code body) {}

    /** The whole module: (module (import "env" "memory" (memory 1)) (func (export "axpy") …) …). */
    public static byte[] bytes() {
        List<Function> functions = List.of(new Function("axpy", 7, axpy()), new Function("tanh", 2, tanh()),
            new Function("sumRows", 5, sumRows()));
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
        c.u32(3).u32(8).raw(I32).u32(4).raw(F32).u32(4).raw(V128);   // locals: 8 i32, 4 f32, 4 v128

        c.localGet(M).i32Const(-4).i32And().localSet(M4);            // m4 = m & ~3: the elements done four at a time
        c.i32Const(0).localSet(P);
        // Four rows per pass while p + 3 < k.
        c.block().loop();
        c.localGet(P).i32Const(3).i32Add().localGet(K).i32GeS().brIf(1);
        for (int q = 0; q < 4; q++) {
            // a_q = coef[(p + q)·coefStride]; v_q = f32x4.splat(a_q); r_q = rows + (p + q)·rowStride
            c.localGet(COEF).localGet(P).i32Const(q).i32Add().localGet(COEF_STRIDE).i32Mul().i32Add().f32Load().localSet(A0 + q);
            c.localGet(A0 + q).f32x4Splat().localSet(V0 + q);
            c.localGet(ROWS).localGet(P).i32Const(q).i32Add().localGet(ROW_STRIDE).i32Mul().i32Add().localSet(R0 + q);
        }
        c.i32Const(0).localSet(J);
        elements(c, 4, true);
        elements(c, 4, false);
        c.localGet(P).i32Const(4).i32Add().localSet(P);
        c.br(0).end().end();
        // Then one row per pass while p < k.
        c.whileLess(P, K, 1, () -> {
            c.localGet(COEF).localGet(P).localGet(COEF_STRIDE).i32Mul().i32Add().f32Load().localSet(A0);
            c.localGet(A0).f32x4Splat().localSet(V0);
            c.localGet(ROWS).localGet(P).localGet(ROW_STRIDE).i32Mul().i32Add().localSet(R0);
            c.i32Const(0).localSet(J);
            elements(c, 1, true);
            elements(c, 1, false);
        });
        return c.end();
    }

    /**
     * The loop over the elements j for {@code rowCount} rows (4 or 1), from the current j:
     * with {@code simd}, four elements per pass while j &lt; m4; else one per pass while j &lt; m.
     * <pre>
     *   acc[j] = acc[j] + (((a0·r0[j] + a1·r1[j]) + a2·r2[j]) + a3·r3[j])     (rowCount 4)
     *   acc[j] = acc[j] + a0·r0[j]                                            (rowCount 1)
     * </pre>
     */
    private static void elements(Code c, int rowCount, boolean simd) {
        c.whileLess(J, simd ? M4 : M, simd ? 4 : 1, () -> {
            c.localGet(J).i32Const(2).i32Shl().localSet(OFF);            // off = 4·j bytes
            c.localGet(ACC).localGet(OFF).i32Add();                      // the address stored to
            c.localGet(ACC).localGet(OFF).i32Add().load(simd);           // acc[j]
            for (int q = 0; q < rowCount; q++) {
                c.localGet(simd ? V0 + q : A0 + q);
                c.localGet(R0 + q).localGet(OFF).i32Add().load(simd);    // r_q[j]
                c.mul(simd);
                if (q > 0) c.add(simd);                                  // the running sum of products, left to right
            }
            c.add(simd).store(simd);                                     // acc[j] + the sum
        });
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
            c.constant(-FMath.TANH_CLAMP, simd).constant(FMath.TANH_CLAMP, simd).localGet(AT).load(simd).min(simd).max(simd).localSet(x);
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
        Code block() { raw(0x02, 0x40); return this; }                       // block with no result
        Code loop() { raw(0x03, 0x40); return this; }
        Code br(int depth) { raw(0x0c).u32(depth); return this; }
        Code brIf(int depth) { raw(0x0d).u32(depth); return this; }
        Code end() { raw(0x0b); return this; }

        /**
         * {@code while (i < limit) { body; i += step; }} with i and limit locals:
         * (block (loop (br_if 1 (i32.ge_s i limit)) body (local.set i (i + step)) (br 0))).
         */
        Code whileLess(int i, int limit, int step, Runnable body) {
            block().loop();
            localGet(i).localGet(limit).i32GeS().brIf(1);
            body.run();
            localGet(i).i32Const(step).i32Add().localSet(i);
            br(0).end().end();
            return this;
        }

        /** f32.load or v128.load (align 2^2: rows need not be 16-byte aligned). */
        Code load(boolean simd) { if (simd) raw(0xfd).u32(0); else raw(0x2a); u32(2).u32(0); return this; }

        /** f32.store or v128.store. */
        Code store(boolean simd) { if (simd) raw(0xfd).u32(11); else raw(0x38); u32(2).u32(0); return this; }

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

        /** f32.const v, splatted to the four lanes with {@code simd}. */
        Code constant(float v, boolean simd) {
            int bits = Float.floatToRawIntBits(v);
            raw(0x43, bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, bits >>> 24);
            return simd ? f32x4Splat() : this;
        }
    }
}
