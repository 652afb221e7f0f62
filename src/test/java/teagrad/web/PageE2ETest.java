package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.train.Trainer;
import teagrad.TestData;

/**
 * The page as a learner uses it, in headless Chromium, once with the WebAssembly GC worker and
 * once with the JavaScript fallback: it loads names.txt, trains, charts, evaluates, samples,
 * renders a hostile word list as text, logs no error and asks no other host for anything.
 */
class PageE2ETest extends PageTest {
    static List<String> names;

    @BeforeAll
    static void names() {
        PageE2ETest.names = TestData.names();
    }


    @ParameterizedTest
    @ValueSource(strings = {"wasm", "js"})
    void learnerTrainsSamplesAndLoadsOwnWords(String engine, @TempDir Path tmp) throws Exception {
        RecordingProxy proxy = new RecordingProxy(origin);
        ChromeDriver driver = Browser.start(proxy.address());
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            recordWorkerMessages(driver);
            // 30,000 steps: the wait below polls every 500 ms, in which the WASM worker takes ~2,300 steps, so a
            // shorter run could end before Pause is clicked (a fresh-clone CI run did, at 3,000).
            openReady(driver, wait, "/?engine=" + engine + "#steps=30000&every=500&seed=7");
            assertEquals(engine, driver.findElement(By.id("engine")).getText().trim(), "the page runs the engine it was asked for");
            assertEquals((double) Config.MAX_HIDDEN, number(js, "window.workerMessages.find(m => m.type === 'ready').settings.find(s => s.name === 'widths').max"),
                "the worker sends the settings table");
            assertEquals("0.1", driver.findElement(By.id("lr")).getText().trim(), "the configured learning rate before any step");
            assertEquals(1L, js.executeScript("return document.getElementById('wordlist-file').labels.length"), "the file input has a label");
            String status = driver.findElement(By.id("status")).getText();
            assertTrue(status.replace(",", "").contains(names.size() + " words"), "the status shows names.txt's " + names.size() + " words: " + status);

            // Train until at least 1,000 steps; the loss falls from ln 27 ≈ 3.3.
            driver.findElement(By.id("start")).click();
            wait.until(d -> number(js, "window.teagradState.step") >= 1000);
            driver.findElement(By.id("pause")).click();
            wait.until(d -> Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
            wait.until(d -> d.findElement(By.id("pause")).getAttribute("disabled") != null);
            // The label is drawn in the panel's frame after the controls come back: wait for that frame, not a fixed order.
            wait.until(d -> "Continue".equals(d.findElement(By.id("start")).getText().trim()) || !"Start".equals(d.findElement(By.id("start")).getText().trim()));
            assertEquals("Continue", driver.findElement(By.id("start")).getText().trim(), "one button resumes");
            assertEquals("Pause", driver.findElement(By.id("pause")).getText().trim(), "and it is not the Pause button");
            assertEquals(Boolean.FALSE, js.executeScript("return window.workerMessages.some(m => m.type === 'dev' && 'ms' in m)"),
                "bench/'s timing stays out of a learner's page");
            // Single batches are noisy (±0.3): compare the mean of the first 10 and the last 100 steps.
            double first = number(js, "(l => l.slice(0, 10).reduce((a, b) => a + b) / 10)(window.teagradLosses())");
            double last = number(js, "(l => l.slice(l.length - 100).reduce((a, b) => a + b) / 100)(window.teagradLosses())");
            assertTrue(first > 2.9 && last < first - 0.4, "batch loss fell: first 10 steps " + first + ", last 100 " + last);
            assertTrue(number(js, "window.teagradState.devPoints") >= 1, "dev loss points were charted");
            assertTrue(drawnPixels(js) > 2000, "the loss chart drew pixels");

            // Evaluate: train/dev/test losses in eval mode.
            driver.findElement(By.id("evaluate")).click();
            wait.until(d -> !d.findElement(By.id("loss-val")).getText().isBlank() && !d.findElement(By.id("loss-val")).getText().contains("—"));
            double val = Double.parseDouble(driver.findElement(By.id("loss-val")).getText().trim());
            // The JVM reaches 2.46 after 1,000 steps (2.39 after 2,000); untrained is ln 27 = 3.30.
            assertTrue(val > 2.0 && val < 2.65, "dev loss after ~1,000 steps: " + val);

            // bench/'s hooks exist only in a page opened with ?bench.
            assertEquals(null, js.executeScript("return window.teagradProfile || window.teagradBaseline || null"), "no bench hooks");

            // Sampling, paused: names as text, each marked new or known.
            driver.findElement(By.id("sample-count")).clear();
            driver.findElement(By.id("sample-count")).sendKeys("12");
            driver.findElement(By.id("sample")).click();
            wait.until(d -> d.findElements(By.cssSelector("#samples li")).size() == 12);

            // A word list with markup renders as text and runs no script.
            Path hostile = tmp.resolve("hostile.txt");
            List<String> words = new ArrayList<>(names.subList(0, 300));
            words.add("<img src=x onerror=pwned=1>");
            words.add("<b>bold</b>");
            words.add("new york");
            Files.writeString(hostile, String.join("\n", words) + "\n", StandardCharsets.UTF_8);
            driver.findElement(By.id("wordlist-file")).sendKeys(hostile.toAbsolutePath().toString());
            wait.until(d -> d.findElement(By.id("status")).getText().contains("303"));
            assertTrue(driver.findElement(By.id("status")).getText().contains(".␣"), "the space in the vocabulary is shown as ␣");
            // The new data set cleared names.txt's samples, so these 12 come from the hostile list.
            assertEquals(0, driver.findElements(By.cssSelector("#samples li")).size(), "old samples cleared");
            driver.findElement(By.id("step")).click();
            driver.findElement(By.id("sample")).click();
            wait.until(d -> d.findElements(By.cssSelector("#samples li")).size() == 12);
            String sampled = String.valueOf(js.executeScript(
                "return Array.from(document.querySelectorAll('#samples li'), li => li.textContent).join('\\n')"));
            assertTrue(sampled.chars().anyMatch(c -> "<>=/".indexOf(c) >= 0),
                "after one step the model samples the hostile characters, shown as text:\n" + sampled);
            assertEquals(0L, js.executeScript("return document.querySelectorAll('#samples li *').length"), "each sample is plain text");
            assertEquals(0L, js.executeScript("return document.querySelectorAll('img, b').length"), "no element came from the word list");
            assertEquals(null, js.executeScript("return window.pwned === undefined ? null : window.pwned"), "no script ran");

            assertTrue(driver.findElements(By.cssSelector("#messages .msg")).size() <= 2, "at most two messages");
            assertNoConsoleErrors(driver);
            assertOnlySameOrigin(proxy.requests, js, engine);
            // The engine's worker downloaded the word list itself as it booted (boot.js; worker-*.js ?names).
            String booted = "/worker-" + engine + ".js?names";
            assertTrue(proxy.requests.stream().anyMatch(r -> r.url().endsWith("/data/names.txt") && r.bytes() > 0
                && r.referer() != null && r.referer().endsWith(booted)), "the worker downloaded names.txt: " + proxy.requests);
        } finally {
            driver.quit();
            proxy.close();
        }
    }

    /**
     * WebAssembly GC computes in true f32 like the JVM and teagrad's exp/log/tanh use only
     * + − × ÷, so the browser's first 200 batch losses equal the JVM's bit for bit: with the SIMD
     * products, and on the float[] path a browser without WebAssembly SIMD takes (?simd=off).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void wasmWorkerReproducesTheJvmBitForBit(boolean simd) throws Exception {
        int seed = 123, steps = 200;
        Trainer t = jvmTrainer(seed, steps);
        float[] jvm = new float[steps];
        for (int i = 0; i < steps; i++) jvm[i] = t.trainStep();

        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=wasm" + (simd ? "" : "&simd=off") + "#steps=" + steps + "&seed=" + seed + "&every=100");
            assertEquals(simd, js.executeScript("return window.teagradState.simd"), "the products sum with SIMD: " + simd);
            assertEquals(simd ? "(WebAssembly GC + SIMD)" : "(WebAssembly GC)", driver.findElement(By.id("engine-name")).getText().trim());
            driver.findElement(By.id("start")).click();
            wait.until(dr -> number(js, "window.teagradState.step") >= steps);
            @SuppressWarnings("unchecked")
            List<Object> browser = (List<Object>) js.executeScript("return Array.from(window.teagradLosses().slice(0, " + steps + "))");
            assertEquals(steps, browser.size());
            for (int i = 0; i < steps; i++) {
                float b = ((Number) browser.get(i)).floatValue();
                assertEquals(Float.floatToIntBits(jvm[i]), Float.floatToIntBits(b), "step " + (i + 1) + ": JVM " + jvm[i] + " vs WASM " + b);
            }
        } finally {
            driver.quit();
        }
    }

    /** A model trained on the JVM, imported into the page, samples the same names for the same seed. */
    @org.junit.jupiter.api.Test
    void aJvmModelImportedIntoTheWasmPageSamplesTheSameNames(@TempDir Path tmp) throws Exception {
        Trainer t = jvmTrainer(3, 300);
        while (!t.finished()) t.trainStep();
        Model model = t.model;
        Path file = tmp.resolve("model.json");
        Files.writeString(file, teagrad.modelfile.ModelFile.write(model, t.stepsDone()), StandardCharsets.UTF_8);
        teagrad.inference.Sampler sampler = new teagrad.inference.Sampler(model, 11);
        List<String> jvm = new ArrayList<>();
        for (int i = 0; i < 15; i++) jvm.add(sampler.next());

        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=wasm");
            driver.findElement(By.id("model-import")).sendKeys(file.toAbsolutePath().toString());
            wait.until(dr -> dr.findElement(By.id("step-count")).getText().replace(",", "").trim().equals("300"));
            // The import has no curve: the page asks for the model's losses at once.
            wait.until(dr -> dr.findElement(By.id("loss-val")).getText().matches("\\d\\.\\d{4}"));
            assertEquals(new teagrad.inference.Inference(model).loss(jvmTrainer(3, 300).data.val),
                Double.parseDouble(driver.findElement(By.id("loss-val")).getText()), 1e-4, "the imported model's dev loss");
            driver.findElement(By.id("sample-count")).clear();
            driver.findElement(By.id("sample-count")).sendKeys("15");
            driver.findElement(By.id("sample-seed")).clear();
            driver.findElement(By.id("sample-seed")).sendKeys("11");
            driver.findElement(By.id("sample")).click();
            wait.until(dr -> dr.findElements(By.cssSelector("#samples li")).size() == 15);
            @SuppressWarnings("unchecked")
            List<String> browser = (List<String>) js.executeScript(
                "return Array.from(document.querySelectorAll('#samples li'), li => li.textContent)");
            assertEquals(jvm, browser);
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    /**
     * Export from the WASM page after 300 steps gives the very file the JVM writes after the same
     * 300 steps: same parameters, same running statistics, same float formatting.
     */
    @org.junit.jupiter.api.Test
    void aModelExportedFromTheWasmPageIsTheJvmsFileByteForByte() throws Exception {
        int seed = 5, steps = 300;
        String jvm = jvmExport(config(seed, steps));

        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=wasm#steps=" + steps + "&seed=" + seed);
            driver.findElement(By.id("start")).click();
            wait.until(dr -> number(js, "window.teagradState.step") >= steps);
            assertEquals(jvm, export(driver, wait));
        } finally {
            driver.quit();
        }
    }

    /**
     * Every SIMD kernel (each of Kernels' six product layouts: both branches of the three products; eval's
     * table rows summed in the module, tanh'd and multiplied; embeddingLinear's products summed where they are, and its backward's rows summed by group for both products that read them there; the products reading an op's tanh output where its scratch kept it; tanh; softmax; a step of a weight kept in linear memory, its products, check, update and zeroing; a BatchNorm1d layer's
     * training and eval steps through the module's batch-norm kernels against its own loops) against
     * the float[] one on random shapes, many of them with widths that are not multiples of 4, single
     * rows or single columns: equal bits. Without SIMD the worker says so and keeps float[].
     */
    @org.junit.jupiter.api.Test
    void simdProductsEqualTheJavaProductsBitForBit() {
        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=wasm&bench");
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> r = (java.util.Map<String, Object>) js.executeAsyncScript(
                "const done = arguments[0]; window.teagradKernels(300, 2024).then(done, e => done({ error: e.message }));");
            assertEquals(Boolean.TRUE, r.get("simd"), "Chromium has WebAssembly SIMD: " + r);
            assertEquals(3000L, ((Number) r.get("products")).longValue(), "ten products per shape: " + r);
            assertEquals(300L, ((Number) r.get("tanhs")).longValue(), "and a tanh: " + r);
            assertEquals(300L, ((Number) r.get("softmaxes")).longValue(), "and cross-entropy's softmax rows: " + r);
            assertEquals(300L, ((Number) r.get("weights")).longValue(), "and a step of a weight kept in linear memory: " + r);
            assertEquals(300L, ((Number) r.get("batchNorms")).longValue(), "and a batch-norm layer's steps: " + r);
            assertEquals(0L, ((Number) r.get("differ")).longValue(), "products whose bits differ: " + r);

            openReady(driver, wait, "/?engine=wasm&bench&simd=off");
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> off = (java.util.Map<String, Object>) js.executeAsyncScript(
                "const done = arguments[0]; window.teagradKernels(1, 1).then(done, e => done({ error: e.message }));");
            assertEquals(Boolean.FALSE, off.get("simd"), "?simd=off keeps the float[] products: " + off);
            assertEquals(Boolean.FALSE, js.executeScript("return window.teagradState.simd"));
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    /**
     * The settings form is the settings table: every setting it shows has the table's label and
     * range in words (the ones {@code train --help} shows), and a value beyond the range gets the
     * table's error text (the one {@code train}'s errors give); so does the rule between settings,
     * and a link with a bad switch says which.
     */
    @org.junit.jupiter.api.Test
    void theSettingsFormShowsTheTablesLabelsRangesAndErrors() {
        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=js");
            Config defaults = new Config();
            List<String> shown = new ArrayList<>();
            for (teagrad.model.Setting s : teagrad.model.Settings.ALL) {
                if (!s.inForm()) continue;
                String key = s.hashKey();
                shown.add(key);
                if (s.kind.equals("bool")) {
                    assertEquals(s.label(), driver.findElement(By.id("cfg-" + key)).findElement(By.xpath("..")).getText().trim());
                    assertEquals(Boolean.TRUE, driver.findElement(By.id("cfg-" + key)).isSelected(), "on by default");
                    continue;
                }
                assertEquals(s.label(), driver.findElement(By.cssSelector("label[for='cfg-" + key + "']")).getText().trim());
                assertEquals(s.range(), driver.findElement(By.id("range-" + key)).getText().trim());
                assertEquals(s.text(defaults), driver.findElement(By.id("cfg-" + key)).getAttribute("value"), key + "'s default");
                String beyond = s.kind.equals("widths") ? "100,0" : String.valueOf((long) s.max() + 2);
                typeInto(driver, "cfg-" + key, beyond);
                assertEquals(s.mustBe(), driver.findElement(By.id("err-" + key)).getText().trim(), key + "=" + beyond);
                assertEquals("true", driver.findElement(By.id("cfg-" + key)).getAttribute("aria-invalid"));
                typeInto(driver, "cfg-" + key, s.text(defaults));
                assertEquals("", driver.findElement(By.id("err-" + key)).getText().trim(), key + " back to its default");
            }
            assertEquals(shown, js.executeScript("return Array.from(document.querySelectorAll('#settings-fields input'), i => i.id.slice(4))"),
                "the form's fields are the table's that it shows, in the table's order");

            typeInto(driver, "cfg-bs", "1");
            assertEquals(Config.BATCH_NORM_RULE, driver.findElement(By.id("err-bs")).getText().trim(), "batch norm needs batches of 2");
            driver.findElement(By.id("cfg-bn")).click();
            assertEquals("", driver.findElement(By.id("err-bs")).getText().trim(), "and batches of 1 train without it");

            js.executeScript("location.hash = 'bn=2&steps=50'");
            wait.until(d -> !d.findElement(By.id("err-bn")).getText().isBlank());
            assertEquals("The link says bn=2: batch norm " + teagrad.model.Settings.BATCH_NORM.mustBe() + ".", driver.findElement(By.id("err-bn")).getText().trim());
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    /** A browser that cannot validate WebAssembly GC modules (older Safari) gets the JS worker by itself. */
    @org.junit.jupiter.api.Test
    void withoutWasmGcThePageFallsBackToJavaScript() {
        ChromeDriver driver = Browser.start();
        try {
            // Before any page script: a WebAssembly that knows only the MVP, as old engines do.
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source",
                "const v = WebAssembly.validate; WebAssembly.validate = b => { const a = new Uint8Array(b);"
                    + " return a.includes(0x5f) || a.includes(0x5e) ? false : v(b); };"));
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/");
            assertEquals("js", driver.findElement(By.id("engine")).getText().trim(), "the JavaScript worker was chosen");
            driver.findElement(By.id("step")).click();
            wait.until(d -> number(js, "window.teagradState.step") >= 1);
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    /**
     * bench/'s messages, in a page opened with ?bench: a profile asked for while training runs is
     * refused as a profile error (not a training error: the run goes on), and answered once paused.
     */
    @org.junit.jupiter.api.Test
    void benchMessagesFailAsThemselvesAndLeaveTrainingRunning() {
        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=wasm&bench#steps=1000000&every=100000&seed=1");
            driver.findElement(By.id("start")).click();
            wait.until(d -> number(js, "window.teagradState.step") >= 200);
            String refused = (String) js.executeAsyncScript("const done = arguments[0];"
                + " window.teagradProfile(5).then(t => done('answered: ' + t), e => done('refused: ' + e.message));");
            assertEquals("refused: profile: pause training first", refused);
            double before = number(js, "window.teagradState.step");
            wait.until(d -> number(js, "window.teagradState.step") > before + 100);
            assertEquals(Boolean.TRUE, js.executeScript("return window.teagradState.running"), "the page still shows training running");

            driver.findElement(By.id("pause")).click();
            wait.until(d -> Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
            String profile = (String) js.executeAsyncScript("const done = arguments[0]; window.teagradProfile(5).then(done, e => done(String(e)));");
            for (String op : List.of("embeddingLinear", "batchnorm", "tanh", "matmul", "crossEntropy", "whole step")) {
                assertTrue(profile.contains(op), op + " in the worker's profile:\n" + profile);
            }
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    /** Before any page script: every message from a worker is kept in window.workerMessages. */
    static void recordWorkerMessages(ChromeDriver driver) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source",
            "window.workerMessages = []; const W = window.Worker; window.Worker = class extends W {"
                + " constructor(...a) { super(...a); this.addEventListener('message', e => window.workerMessages.push(e.data)); } };"));
    }

    /**
     * Every request of the page and its workers went to the page's own origin: the proxy saw
     * the worker's requests (Referer = the page or worker), and the page's resource timing
     * lists only same-origin URLs (whatever referrer policy a tag might set).
     */
    static void assertOnlySameOrigin(List<RecordingProxy.Request> requests, JavascriptExecutor js, String engine) {
        String worker = engine.equals("wasm") ? "/wasm/worker.wasm" : "/js/worker.js";
        assertTrue(requests.stream().anyMatch(r -> r.url().endsWith(worker) && r.referer() != null),
            "the proxy saw the " + engine + " worker's own requests: " + requests);
        for (RecordingProxy.Request r : requests) {
            boolean fromPage = r.referer() != null && r.referer().startsWith(origin + "/");
            if (fromPage || r.url().startsWith(origin + "/")) {
                assertTrue(r.url().startsWith(origin + "/"), "a request left the origin: " + r);
            }
        }
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) js.executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
        for (String u : resources) assertTrue(u.startsWith(origin + "/"), "the page loaded a resource from elsewhere: " + u);
    }
}
