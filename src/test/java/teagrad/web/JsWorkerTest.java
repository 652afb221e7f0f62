package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.autograd.Kernels;
import teagrad.train.Trainer;

/**
 * The JavaScript worker, the fallback for browsers without WebAssembly GC, with the SIMD module
 * where the browser has WebAssembly SIMD (JsSimd) and without it ({@code ?simd=off}, as in a
 * browser without SIMD).
 */
class JsWorkerTest extends PageTest {

    /**
     * Every product layout, eval's table rows summed, tanh'd and multiplied, tanh, and a batch-norm layer's
     * training step, on 300 random shapes (bench/'s kernels check): through the module they have the JVM's bits (a checksum of
     * all results, the JVM's computed here with its float[] scratch); this build's float[] products,
     * which compute in doubles and round once per sum, do not.
     */
    @Test
    void theModulesProductsHaveTheJvmsBits() {
        Map<String, Object> jvm = parse(SimdCheck.check(300, 2024, Kernels.ArrayScratch::new));
        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=js&bench");
            assertEquals("js", driver.findElement(By.id("engine")).getText().trim());
            assertEquals("(JavaScript + SIMD)", driver.findElement(By.id("engine-name")).getText().trim());
            assertEquals(Boolean.TRUE, js.executeScript("return window.teagradState.simd"), "the worker says it sums with the module");
            Map<String, Object> r = kernels(js, 300, 2024);
            assertEquals(Boolean.TRUE, r.get("simd"), "Chromium has WebAssembly SIMD: " + r);
            assertEquals(3000L, ((Number) r.get("products")).longValue(), "ten products per shape: " + r);
            assertEquals(jvm.get("floatBits"), r.get("simdBits"), "the module's results have the JVM's bits: " + r);
            assertEquals(jvm.get("batchNormBits"), r.get("batchNormBits"), "and so do batch norm's training steps through the module: " + r);
            assertNotEquals(jvm.get("floatBits"), r.get("floatBits"), "while the JavaScript float[] ones differ: " + r);
            assertTrue(((Number) r.get("differ")).longValue() > 0, "so the two scratches differ here: " + r);

            openReady(driver, wait, "/?engine=js&bench&simd=off");
            assertEquals("(JavaScript)", driver.findElement(By.id("engine-name")).getText().trim());
            assertEquals(Boolean.FALSE, js.executeScript("return window.teagradState.simd"), "?simd=off: no module");
            assertEquals(Boolean.FALSE, kernels(js, 1, 1).get("simd"), "?simd=off keeps the float[] products");
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    /**
     * The first 200 batch losses of the default network equal the JVM's to 1e-5, with the module and
     * without: this build computes float expressions in doubles (rounding on store), so they are
     * not all bit-equal (183 of 200 without the module, 187 with it, on 2026-12-05). Then the dev
     * loss, shown to four decimals, as the JVM computes it.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void trainsAsTheJvmDoes(boolean simd) {
        int seed = 123, steps = 200;
        Trainer t = jvmTrainer(seed, steps);
        float[] jvm = new float[steps];
        for (int i = 0; i < steps; i++) jvm[i] = t.trainStep();
        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=js" + (simd ? "" : "&simd=off") + "#steps=" + steps + "&seed=" + seed + "&every=100");
            assertEquals(simd, js.executeScript("return window.teagradState.simd"));
            driver.findElement(By.id("start")).click();
            wait.until(dr -> number(js, "window.teagradState.step") >= steps);
            float[] browser = losses(js);
            int same = 0;
            for (int i = 0; i < steps; i++) {
                if (Float.floatToIntBits(jvm[i]) == Float.floatToIntBits(browser[i])) same++;
                assertEquals(jvm[i], browser[i], 1e-5f, "step " + (i + 1) + " (" + same + " bit-equal so far)");
            }
            // And the dev split's loss (eval's lookup table, summed and tanh'd in the module), as the page shows it.
            driver.findElement(By.id("evaluate")).click();
            wait.until(dr -> dr.findElement(By.id("loss-val")).getText().matches("\\d\\.\\d{4}"));
            assertEquals(new teagrad.inference.Inference(t.model).loss(t.data.val), Double.parseDouble(driver.findElement(By.id("loss-val")).getText()),
                1.5e-4, "the dev loss after " + steps + " steps");
        } finally {
            driver.quit();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kernels(JavascriptExecutor js, int cases, long seed) {
        return (Map<String, Object>) js.executeAsyncScript(
            "const done = arguments[2]; window.teagradKernels(arguments[0], arguments[1]).then(done, e => done({ error: e.message }));", cases, seed);
    }

    /** The check's JSON as the browser would give it (numbers as Long where whole). */
    private static Map<String, Object> parse(String json) {
        Map<String, Object> m = new java.util.HashMap<>();
        java.util.regex.Matcher e = java.util.regex.Pattern.compile("\"(\\w+)\": (-?\\d+|true|false|\"[^\"]*\")").matcher(json);
        while (e.find()) {
            String v = e.group(2);
            m.put(e.group(1), v.equals("true") || v.equals("false") ? (Object) Boolean.valueOf(v) : v.startsWith("\"") ? v.substring(1, v.length() - 1) : (Object) Long.valueOf(v));
        }
        return m;
    }
}
