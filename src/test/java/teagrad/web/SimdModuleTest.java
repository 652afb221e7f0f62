package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * kernels.wasm has no copy in the repository: the build writes it from {@link SimdModule}. The
 * file the app serves is exactly what the source writes, and it is a WebAssembly module that
 * exports every kernel {@link Simd} imports, each of which worker-wasm.js's stub for a browser
 * without SIMD also names. (That its kernels give the Java kernels' bits is PageE2ETest's, in the browser.)
 */
class SimdModuleTest {
    @Test
    void theServedModuleIsWhatTheSourceWrites() throws Exception {
        byte[] bytes = SimdModule.bytes();
        assertArrayEquals(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, java.util.Arrays.copyOf(bytes, 8), "magic and version 1");
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("\u0004axpy") && text.contains("\u0004tanh") && text.contains("\u0007sumRows") && text.contains("\u0007softmax"),
            "exports axpy, tanh, sumRows and softmax");
        assertTrue(text.contains("\u0003env\u0006memory"), "imports env.memory");
        java.util.regex.Matcher imports = java.util.regex.Pattern.compile("@Import\\(module = \"kernels\", name = \"(\\w+)\"\\)")
            .matcher(Files.readString(Path.of("src", "main", "java", "teagrad", "web", "Simd.java"), StandardCharsets.UTF_8));
        String stub = Files.readString(Path.of("webapp", "worker-wasm.js"), StandardCharsets.UTF_8);
        int kernels = 0;
        while (imports.find()) {
            String name = imports.group(1);
            kernels++;
            assertTrue(text.contains((char) name.length() + name + "\u0000"), "the module exports " + name + ", which Simd imports");
            assertTrue(stub.contains(" " + name + ": notLoaded"), "worker-wasm.js's stub names " + name);
        }
        assertTrue(kernels >= 15, "Simd imports the module's kernels: " + kernels);
        assertArrayEquals(bytes, SimdModule.bytes(), "the same bytes every time");
        Path built = Path.of("target", "classes", "webapp", "wasm", "kernels.wasm");
        if (Files.exists(built)) assertArrayEquals(bytes, Files.readAllBytes(built), "the built kernels.wasm is the source's output");
    }
}
