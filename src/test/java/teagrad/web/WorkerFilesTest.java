package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bench/'s code stays out of the product's worker: the built worker files hold none of the texts
 * only bench code has (the baseline's, the step profile's, the SIMD self-check's), and the bench
 * worker files, which only a page opened with ?bench loads, hold them.
 */
class WorkerFilesTest {
    static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);   // the wasm's strings are bytes among bytes
    }

    @ParameterizedTest
    @ValueSource(strings = {"wasm/worker.wasm", "js/worker.js"})
    void theProductsWorkerHasNoBenchCode(String product) throws IOException {
        Path root = Browser.builtWebapp();
        String worker = text(root.resolve(product));
        String bench = text(root.resolve(product.replace("/worker.", "/bench-worker.")));
        List<String> benchOnly = product.endsWith(".wasm")
            ? List.of("baseline: ms must be", "whole step", "pause training first", "tanhs")   // the SIMD check is the WebAssembly worker's
            : List.of("baseline: ms must be", "whole step", "pause training first");
        for (String s : benchOnly) {
            assertFalse(worker.contains(s), product + " holds bench/'s \"" + s + "\"");
            assertTrue(bench.contains(s), "the bench worker holds \"" + s + "\"");
        }
        assertTrue(worker.contains("unknown message type"), "the product's worker is the real one");
    }

    /**
     * String.split, matches and replaceAll compile TeaVM's java.util.regex into the worker: 123 KB of
     * worker.wasm's 389 (42 KB of its 160 gzipped), all downloaded before the chapter's first paint
     * counts as loaded (Setting.split and a loop instead). "javaMirrored" is one of its character classes' names.
     */
    @ParameterizedTest
    @ValueSource(strings = {"wasm/worker.wasm", "js/worker.js"})
    void theProductsWorkerHasNoRegexEngine(String product) throws IOException {
        String worker = text(Browser.builtWebapp().resolve(product));
        assertTrue(worker.contains("unknown message type"), "the product's worker is the real one");
        assertFalse(worker.contains("javaMirrored"), product + " holds java.util.regex (a String.split, matches or replaceAll in the worker's code)");
    }
}
