package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import teagrad.cli.LoopbackServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page side of the lecture's diagnostics: the network choice (widths, gain, presets, the URL
 * hash), the four views (window.teagradViews) and the runs compared (window.teagradRuns).
 */
class DiagnosticsPageTest {
    static LoopbackServer server;
    static String origin;
    ChromeDriver driver;
    JavascriptExecutor js;
    WebDriverWait wait;

    @BeforeAll
    static void serve() throws Exception {
        server = Browser.serveBuiltApp();
        origin = Browser.origin(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @BeforeEach
    void open() {
        driver = Browser.start();
        js = driver;
        wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    }

    @AfterEach
    void close() {
        if (driver != null) driver.quit();
    }

    void openReady(String path) {
        driver.get(origin + path);
        wait.until(d -> "1".equals(js.executeScript("return document.body.dataset.ready || null")));
    }

    double number(String expr) {
        Object v = js.executeScript("return " + expr);
        return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
    }

    void type(String id, String text) {
        driver.findElement(By.id(id)).clear();
        driver.findElement(By.id(id)).sendKeys(text);
        js.executeScript("document.getElementById(arguments[0]).dispatchEvent(new Event('change', {bubbles: true}))", id);
    }

    /** The views are drawn only where they can be seen: scroll them into sight, as a reader would. */
    void showViews() {
        js.executeScript("document.getElementById('views').scrollIntoView()");
    }

    /** View v, scrolled into sight, has drawn more than 500 non-blank pixels. */
    void assertDrawn(String v) {
        js.executeScript("document.getElementById('view-' + arguments[0] + '-box').scrollIntoView()", v);
        try {
            new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> number("window.teagradViews.pixels('" + v + "')") > 500);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(v + " drew no pixels (" + number("window.teagradViews.pixels('" + v + "')") + ")");
        }
    }

    void assertNoConsoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) errors.add(e.getMessage());
        }
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }

    // ---------- the deep networks in the worker ----------

    /** The deep presets in the WASM worker give the JVM's batch losses bit for bit, as the chapter's net does. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"deep-batchnorm", "deep-gain3"})
    void aDeepNetworkInTheWasmWorkerReproducesTheJvmBitForBit(String preset) throws Exception {
        int seed = 123, steps = 200;
        teagrad.train.Trainer t = PageE2ETest.jvmTrainer(teagrad.model.Presets.apply(preset, PageE2ETest.config(seed, steps)));
        float[] jvm = new float[steps];
        for (int i = 0; i < steps; i++) jvm[i] = t.trainStep();

        openReady("/?engine=wasm#steps=" + steps + "&seed=" + seed + "&every=100&preset=" + preset);
        wait.until(d2 -> String.valueOf(driver.findElement(By.id("net-layers")).getText()).contains("Linear(100, 100"));
        driver.findElement(By.id("start")).click();
        wait.until(d2 -> number("window.teagradState.step") >= steps);
        @SuppressWarnings("unchecked")
        List<Object> browser = (List<Object>) js.executeScript("return Array.from(window.teagradLosses().slice(0, " + steps + "))");
        assertEquals(steps, browser.size());
        for (int i = 0; i < steps; i++) {
            float b = ((Number) browser.get(i)).floatValue();
            assertEquals(Float.floatToIntBits(jvm[i]), Float.floatToIntBits(b), preset + " step " + (i + 1) + ": JVM " + jvm[i] + " vs WASM " + b);
        }
        assertNoConsoleErrors();
    }

    /**
     * Export from the WASM page after 300 steps of the deep network (SIMD products, and the dev
     * loss at the end measured by the worker's eval kernels) is the file the JVM writes after the
     * same 300 steps, byte for byte; a preset link keeps the link's steps and seed.
     */
    @Test
    void aDeepModelExportedFromTheWasmPageIsTheJvmsFileByteForByte() throws Exception {
        int seed = 5, steps = 300;
        String jvm = PageE2ETest.jvmExport(teagrad.model.Presets.apply("deep-batchnorm", PageE2ETest.config(seed, steps)));

        openReady("/?engine=wasm#steps=" + steps + "&seed=" + seed + "&preset=deep-batchnorm");
        wait.until(d2 -> String.valueOf(driver.findElement(By.id("net-layers")).getText()).contains("Linear(100, 100"));
        assertEquals(Boolean.TRUE, js.executeScript("return window.teagradState.simd"), "the SIMD products");
        driver.findElement(By.id("start")).click();
        wait.until(d2 -> number("window.teagradState.step") >= steps && Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
        assertEquals(steps, (int) number("window.teagradState.step"), "the run stops at the link's steps");
        assertEquals(jvm, PageE2ETest.export(driver, wait));
        assertNoConsoleErrors();
    }

    // ---------- page side ----------

    @Test
    void widthsAndGainAreCheckedAndKeptInTheLink() {
        openReady("/?engine=wasm#widths=100,100,100,100,100&gain=3&steps=500");
        assertEquals("100,100,100,100,100", driver.findElement(By.id("cfg-widths")).getAttribute("value"));
        assertEquals("3", driver.findElement(By.id("cfg-gain")).getAttribute("value"));
        String hash = (String) js.executeScript("return location.hash");
        assertTrue(hash.contains("widths=100,100,100,100,100") && hash.contains("gain=3"), "the link keeps widths and gain: " + hash);

        type("cfg-widths", "100,0");
        assertFalse(driver.findElement(By.id("err-widths")).getText().isBlank(), "a width of 0 is refused");
        type("cfg-widths", "1,2,3,4,5,6,7,8,9,10,11");
        assertFalse(driver.findElement(By.id("err-widths")).getText().isBlank(), "eleven layers are refused");
        type("cfg-widths", "64, 32");
        assertTrue(driver.findElement(By.id("err-widths")).getText().isBlank(), "two layers with spaces are fine");
        type("cfg-gain", "0");
        assertFalse(driver.findElement(By.id("err-gain")).getText().isBlank(), "gain 0 is refused");
        type("cfg-gain", "5/3");
        assertTrue(driver.findElement(By.id("err-gain")).getText().isBlank(), "gain 5/3 is a number");
        wait.until(d -> String.valueOf(js.executeScript("return location.hash")).contains("widths=64,32"));
        assertTrue(String.valueOf(js.executeScript("return location.hash")).contains("gain=5/3"));

        assertEquals(9L, js.executeScript("return document.querySelectorAll('#presets button.preset').length"), "one button per preset");
        assertNoConsoleErrors();
    }

    @Test
    void untilTheWorkerSendsDiagnosticsTheViewsWait() {
        openReady("/?engine=wasm#steps=200");
        driver.findElement(By.id("start")).click();
        wait.until(d -> number("window.teagradState.step") >= 200);
        wait.until(d -> number("window.teagradViews.frames") >= 1);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> views = (Map<String, Map<String, Object>>) js.executeScript("return window.teagradViews.views");
        if (number("window.teagradViews.messages") == 0) {
            for (String v : List.of("act", "grad", "sat", "ratio")) {
                assertEquals(Boolean.FALSE, views.get(v).get("data"), v + " drew no data without diagnostics");
            }
        }
        assertNoConsoleErrors();
    }

    /** A run that is stopped and replaced joins the table (train/test “—”) and stays on the chart. */
    @Test
    void aStoppedRunIsListedAndKeptOnTheChart() {
        openReady("/?engine=wasm#steps=100000&every=200&seed=5");
        driver.findElement(By.id("start")).click();
        wait.until(d -> number("window.teagradState.step") >= 600);
        driver.findElement(By.id("pause")).click();
        wait.until(d -> Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
        long stoppedAt = (long) number("window.teagradState.step");
        driver.findElement(By.id("reset")).click();
        wait.until(d -> number("window.teagradRuns.length") == 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) js.executeScript("return window.teagradRuns[0]");
        assertEquals("stopped", row.get("status"));
        assertEquals(stoppedAt, ((Number) row.get("steps")).longValue());
        assertNull(row.get("train"), "no evaluation: no train loss");
        assertNull(row.get("test"), "no evaluation: no test loss");
        assertTrue(((Number) row.get("dev")).doubleValue() > 1.5, "the last dev point is kept: " + row);
        assertTrue(((Number) row.get("firstLoss")).doubleValue() > 2.9, "first loss ≈ ln 27: " + row);
        assertTrue(((Number) row.get("seconds")).doubleValue() > 0, "training time: " + row);
        wait.until(d -> number("window.teagradState.keptRuns") == 1);   // the run stays on the chart
        assertEquals(1L, js.executeScript("return document.querySelectorAll('#runs-body tr').length"));

        // The downloads: CSV with a header and one row, JSON with the same row.
        String csv = (String) Browser.inPage(js, "return (await page('runs-table.js')).toCsv(window.teagradRuns)");
        assertTrue(csv.startsWith("n,run,preset,status,"), csv);
        assertEquals(2, csv.trim().split("\\R").length, csv);
        assertFalse(driver.findElement(By.id("runs-csv")).getAttribute("disabled") != null, "CSV can be downloaded");
        driver.findElement(By.id("runs-clear")).click();
        assertEquals(0L, js.executeScript("return window.teagradRuns.length"));
        wait.until(d -> number("window.teagradState.keptRuns") == 0);   // and leaves the chart
        assertNoConsoleErrors();
    }

    /** A finished run is listed with its evaluation (the worker sends losses before done). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"wasm", "js"})
    void aFinishedRunIsListedWithItsLosses(String engine) {
        openReady("/?engine=" + engine + "#steps=300&every=100&seed=9");
        driver.findElement(By.id("start")).click();
        wait.until(d -> number("window.teagradRuns.length") == 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) js.executeScript("return window.teagradRuns[0]");
        assertEquals("finished", row.get("status"));
        assertEquals(300L, ((Number) row.get("steps")).longValue());
        for (String k : List.of("train", "dev", "test")) assertTrue(row.get(k) instanceof Number, k + " in " + row);
        driver.findElement(By.id("reset")).click();
        wait.until(d -> number("window.teagradState.keptRuns") == 1);   // the finished run stays on the chart
        assertEquals(1.0, number("window.teagradRuns.length"), "and in the table, once");
        assertNoConsoleErrors();
    }

    // ---------- need the worker's v2 messages ----------

    @Test
    void stepZeroDiagnosticsAreDrawnForAFreshModel() {
        openReady("/?engine=wasm");
        showViews();
        wait.until(d -> number("window.teagradViews.messages") >= 1);
        assertEquals(0.0, number("window.teagradViews.step"), "the first diagnostics describe the model at step 0");
        wait.until(d -> Boolean.TRUE.equals(js.executeScript("return window.teagradViews.views.act.data && window.teagradViews.views.sat.data")));
        for (String v : List.of("act", "grad", "sat")) {
            assertDrawn(v);
        }
        assertTrue(driver.findElement(By.id("net-layers")).getText().contains("BatchNorm1d(200)"), "the printed network");
        assertTrue(driver.findElement(By.id("legend-act")).getText().contains("Tanh 1"), "the legend names the layer");
        assertNoConsoleErrors();
    }

    @Test
    void naiveInitSaturatesAndScalingW1DownFixesIt() {
        openReady("/?engine=wasm#steps=2000");
        driver.findElement(By.cssSelector("#presets button[data-preset='naive-init']")).click();
        awaitSaturationOf("naive-init");
        double naive = saturatedPercent();
        double naiveBlack = number("window.teagradViews.pixels('sat')");   // black: |t| ≤ 0.97
        driver.findElement(By.cssSelector("#presets button[data-preset='no-saturation']")).click();
        awaitSaturationOf("no-saturation");
        double scaled = saturatedPercent();
        assertTrue(naive > 50, "naive init saturates most tanh units at step 0: " + naive + "%");
        assertTrue(scaled < 15, "W1 × 0.2 keeps them active: " + scaled + "%");
        assertTrue(number("window.teagradViews.pixels('sat')") > 2 * naiveBlack, "the saturation picture goes from white to mostly black");
        assertNoConsoleErrors();
    }

    /** The preset's model is in the link (the views were reset then) and its saturation picture, scrolled into sight, is drawn. */
    private void awaitSaturationOf(String preset) {
        js.executeScript("document.getElementById('view-sat-box').scrollIntoView({block: 'center'})");   // drawn only in sight
        wait.until(d -> String.valueOf(js.executeScript("return location.hash")).contains("preset=" + preset)
            && Boolean.TRUE.equals(js.executeScript("return window.teagradViews.views.sat.data"))
            && driver.findElement(By.id("legend-act")).getText().contains("Tanh 1"));
    }

    /** The saturated % in the activations legend's first row ("Tanh 1 (3) +0.048 0.933 73.6%"). */
    private double saturatedPercent() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9.]+)%").matcher(driver.findElement(By.id("legend-act")).getText());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"wasm", "js"})
    void deepNetworkShowsEveryTanhLayerAndTheRatiosGrowWhileTraining(String engine) {
        openReady("/?engine=" + engine + "#steps=3000");
        driver.findElement(By.cssSelector("#presets button[data-preset='deep-batchnorm']")).click();
        wait.until(d -> "100,100,100,100,100".equals(driver.findElement(By.id("cfg-widths")).getAttribute("value")));
        wait.until(d -> number("document.querySelectorAll('#legend-act tbody tr').length") == 5);
        assertEquals(5L, js.executeScript("return document.getElementById('sat-layer').options.length"), "one choice per tanh layer");
        driver.findElement(By.id("start")).click();
        showViews();
        wait.until(d -> number("window.teagradViews.ratioPoints") >= 3);
        driver.findElement(By.id("pause")).click();
        wait.until(d -> Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
        for (String v : List.of("act", "grad", "sat", "ratio")) {
            assertDrawn(v);
        }
        assertTrue(Boolean.TRUE.equals(js.executeScript("return window.teagradViews.views.ratio.data")), "the ratio lines are drawn");
        // inspect another layer: the worker answers with diagnostics for it
        double before = number("window.teagradViews.messages");
        js.executeScript("const s = document.getElementById('sat-layer'); s.selectedIndex = 4; s.dispatchEvent(new Event('change'));");
        wait.until(d -> number("window.teagradViews.messages") > before);
        assertEquals(js.executeScript("return document.getElementById('sat-layer').options[4].value"),
            String.valueOf(((Number) js.executeScript("return Number(document.getElementById('sat-layer').value)")).longValue()));
        assertNoConsoleErrors();
    }
}
