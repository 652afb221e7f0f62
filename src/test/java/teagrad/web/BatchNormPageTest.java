package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.check.BackwardCheck;
import teagrad.check.Cmp;
import teagrad.cli.LoopbackServer;
import teagrad.diagnostics.BatchNormStats;
import teagrad.diagnostics.Coupling;
import teagrad.inference.EvalModes;
import teagrad.model.Config;
import teagrad.train.Trainer;

/**
 * The batch-norm chapter's parts in Chromium, driven as a learner does (buttons by their text), with
 * the worker's numbers checked against the JVM's for the same model and seed: the statistics panel
 * (two series inked, the dev loss four ways, the biased toggle), the coupling explorer (spread in
 * training mode, none in eval mode), the backward check (every row approximately equal; the wrong
 * normaliser fails rows; the fused formula beside its row, not clipped at 420 px) and the scrubber
 * (the views of an earlier step).
 */
class BatchNormPageTest {
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
        wait = new WebDriverWait(driver, Duration.ofSeconds(90));
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
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    void click(String text) {
        driver.findElement(By.xpath("//button[normalize-space(.)='" + text + "']")).click();
    }

    /** Trains to the link's steps with Start and waits until the run is done. */
    void trainToTheEnd(int steps) {
        click("Start");
        wait.until(d -> number("window.teagradState.step") >= steps && Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
    }

    @Test
    void theStatisticsPanelDrawsBatchAgainstRunningAndTheDevLossFourWaysAsTheJvmComputesThem() {
        int seed = 7, steps = 1000;
        Config c = PageE2ETest.config(seed, steps);
        c.momentum = 0.05f;
        openReady("/?engine=wasm#steps=" + steps + "&seed=" + seed + "&mom=0.05");
        trainToTheEnd(steps);
        js.executeScript("document.getElementById('bn-stats').scrollIntoView()");
        wait.until(d -> number("window.teagradBatchNorm.last && window.teagradBatchNorm.last.step") == steps
            && number("window.teagradBatchNorm.evalModes && window.teagradBatchNorm.evalModes.step") == steps);
        wait.until(d -> number("window.teagradBatchNorm.series('mean').running") > 50);
        for (String canvas : List.of("mean", "std")) {
            @SuppressWarnings("unchecked")
            Map<String, Number> inked = (Map<String, Number>) js.executeScript("return window.teagradBatchNorm.series('" + canvas + "')");
            assertTrue(inked.get("batch").intValue() > 50 && inked.get("running").intValue() > 50, canvas + ": both series inked " + inked);
        }
        assertTrue(number("window.teagradBatchNorm.inked('units')") > 200, "every unit at the newest step");

        Trainer t = PageE2ETest.jvmTrainer(c);
        while (!t.finished()) t.trainStep();
        BatchNormStats jvm = BatchNormStats.of(t.model.net, t.lastPass()).get(0);
        assertEquals(jvm.batchMean[0], (float) number("window.teagradBatchNorm.last.batchMean"), "unit 0's batch mean at the last step");
        assertEquals(jvm.runningMean[0], (float) number("window.teagradBatchNorm.last.runningMean"));
        assertEquals(jvm.runningStd[0], (float) number("window.teagradBatchNorm.last.runningStd"));
        EvalModes e = EvalModes.of(t.model, t.data, t.data.val, steps);
        assertEquals(e.running, number("window.teagradBatchNorm.evalModes.running"), 1e-9, "eval mode, running statistics");
        assertEquals(e.runningBiased, number("window.teagradBatchNorm.evalModes.runningBiased"), 1e-9);
        assertEquals(e.calibrated, number("window.teagradBatchNorm.evalModes.calibrated"), 1e-9);
        assertEquals(e.batch, number("window.teagradBatchNorm.evalModes.batch"), 1e-9);
        assertEquals(String.format(java.util.Locale.ROOT, "%.4f", e.calibrated), driver.findElement(By.id("bn-dev-calibrated")).getText());

        // The biased toggle: the first dev row and the std chart's running line switch to the biased estimate.
        String unbiasedRow = driver.findElement(By.id("bn-dev-running")).getText();
        driver.findElement(By.id("bn-biased")).click();
        assertEquals(String.format(java.util.Locale.ROOT, "%.4f", e.runningBiased), driver.findElement(By.id("bn-dev-running")).getText());
        assertEquals(unbiasedRow, driver.findElement(By.id("bn-dev-other")).getText());
        assertTrue(number("window.teagradBatchNorm.last.runningStdBiased") < number("window.teagradBatchNorm.last.runningStd"));

        // Another unit, picked by number: its own series.
        double before = number("window.teagradBatchNorm.last.batchMean");
        PageE2ETest.typeInto(driver, "bn-unit", "7");
        wait.until(d -> number("window.teagradBatchNorm.last.unit") == 7);
        assertEquals(jvm.batchMean[7], (float) number("window.teagradBatchNorm.last.batchMean"));
        assertNotEquals(before, number("window.teagradBatchNorm.last.batchMean"));
        PageE2ETest.assertNoConsoleErrors(driver);
    }

    @Test
    void theCouplingExplorerSpreadsAnExampleInTrainingModeAndNotInEvalMode() {
        openReady("/?engine=wasm");
        click("Explore");
        wait.until(d -> number("window.teagradCoupling.replies") >= 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) js.executeScript("return window.teagradCoupling.last");
        assertEquals("emm", last.get("context"));
        assertEquals(50L, ((Number) last.get("k")).longValue());
        assertTrue(((Number) last.get("trainSpread")).doubleValue() > 0.01, "training mode spreads: " + last);
        assertTrue(((Number) last.get("trainProbSpread")).doubleValue() > 0, "and so does p(next): " + last);
        assertEquals(0.0, ((Number) last.get("evalSpread")).doubleValue(), "eval mode: none");
        assertEquals(0.0, ((Number) last.get("evalProbSpread")).doubleValue());
        assertEquals(0.0, ((Number) last.get("evalLossSpread")).doubleValue());
        for (String canvas : List.of("acts", "outs")) {
            @SuppressWarnings("unchecked")
            Map<String, Number> inked = (Map<String, Number>) js.executeScript("return window.teagradCoupling.series('" + canvas + "')");
            assertTrue(inked.get("train").intValue() > 30 && inked.get("eval").intValue() > 30, canvas + ": both modes drawn " + inked);
        }
        // The JVM: the page's model at step 0, the same example, the same 50 batches (the first click's seed is 1).
        Trainer t = PageE2ETest.jvmTrainer(PageE2ETest.config(42, 200000));
        Coupling jvm = Coupling.explore(t.model, t.data.train, Coupling.context(t.model.vocab, 3, "emm"),
            Coupling.mostCommonNext(t.data.train, Coupling.context(t.model.vocab, 3, "emm")), 3, 50, 1);
        assertEquals(jvm.meanActivationSpread(true), ((Number) last.get("trainSpread")).doubleValue(), 1e-9);
        assertEquals(jvm.lossSpread(true), ((Number) last.get("trainLossSpread")).doubleValue(), 1e-9);

        // A context the data never has, and a random example from it.
        PageE2ETest.typeInto(driver, "cpl-letters", "qxq");
        click("Explore");
        wait.until(d -> !driver.findElement(By.id("cpl-error")).getText().isBlank());
        assertTrue(driver.findElement(By.id("cpl-error")).getText().contains("never occurs in the training split"));
        click("Random example");
        wait.until(d -> number("window.teagradCoupling.replies") >= 2);
        assertEquals(3L, js.executeScript("return window.teagradCoupling.last.context.length"), "an example of the training split");
        assertFalse(driver.findElement(By.id("cpl-next")).getAttribute("value").isEmpty(), "its next character is shown");
        assertTrue(driver.findElement(By.id("cpl-error")).getText().isBlank(), "the earlier error is gone");
        PageE2ETest.assertNoConsoleErrors(driver);
    }

    @Test
    void theCheckTableIsTeagradChecksAndTheWrongNormaliserFailsTheBatchNormRows() {
        openReady("/?engine=wasm");
        click("Run the check");
        wait.until(d -> number("window.teagradCheck.replies") >= 1);
        Trainer t = PageE2ETest.jvmTrainer(PageE2ETest.config(42, 200000));
        for (boolean mismatch : new boolean[] {false, true}) {
            BackwardCheck jvm = BackwardCheck.run(BackwardCheck.lectureInit(t.model.config, t.data.vocab), t.data.train, 42, mismatch);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) js.executeScript("return window.teagradCheck.rows");
            assertEquals(jvm.rows.size(), rows.size());
            assertTrue(rows.size() >= 20);
            for (int i = 0; i < rows.size(); i++) {
                Cmp r = jvm.rows.get(i);
                assertEquals(r.name, rows.get(i).get("name"));
                assertEquals(r.approx, rows.get(i).get("approx"), r.name + (mismatch ? " (mismatch)" : ""));
                assertEquals(r.maxdiff, ((Number) rows.get(i).get("maxdiff")).doubleValue(), 1e-9 + r.maxdiff * 1e-3, r.name);
            }
            long failing = rows.stream().filter(r -> Boolean.FALSE.equals(r.get("approx"))).count();
            assertEquals(failing, (long) driver.findElements(By.cssSelector("#check-body tr.fail")).size(), "the failing rows are marked");
            if (!mismatch) {
                assertEquals(0, failing, "every row approximately equal");
                driver.findElement(By.id("check-mismatch")).click();   // re-runs the check
                wait.until(d -> number("window.teagradCheck.replies") >= 2);
            } else {
                assertTrue(failing >= 5, "the wrong normaliser fails rows: " + failing);
                assertTrue(rows.stream().anyMatch(r -> "hprebn".equals(r.get("name")) && Boolean.FALSE.equals(r.get("approx"))), "hprebn among them");
            }
        }
        // The fused formula sits in the row after hprebn, in MathML.
        assertEquals("hprebn", js.executeScript("const f = document.querySelector('#check-body tr.formula-row');"
            + " return f && f.previousElementSibling.querySelector('th').textContent"));
        assertEquals(1L, js.executeScript("return document.querySelectorAll('#check-body tr.formula-row math').length"));
        PageE2ETest.assertNoConsoleErrors(driver);
    }

    @Test
    void theFormulaBesideItsRowScrollsInsteadOfBeingClippedAt420Pixels() {
        driver.manage().window().setSize(new Dimension(420, 900));
        openReady("/?engine=wasm");
        js.executeScript("document.getElementById('check-box').scrollIntoView()");
        click("Run the check");
        wait.until(d -> number("window.teagradCheck.replies") >= 1);
        @SuppressWarnings("unchecked")
        Map<String, Number> box = (Map<String, Number>) js.executeScript(
            "const f = document.querySelector('#check-body tr.formula-row .scroll-x'), m = f.querySelector('math');"
                + " const s = f.closest('.table-scroll'); const fr = f.getBoundingClientRect(), sr = s.getBoundingClientRect();"
                + " return {right: fr.right, boxRight: sr.right, scrollWidth: f.scrollWidth, clientWidth: f.clientWidth,"
                + " mathWidth: m.getBoundingClientRect().width, overflow: getComputedStyle(f).overflowX === 'auto' ? 1 : 0,"
                + " page: document.documentElement.scrollWidth, window: window.innerWidth}");
        assertTrue(box.get("right").doubleValue() <= box.get("boxRight").doubleValue() + 1, "the formula box fits the table's box: " + box);
        assertEquals(1, box.get("overflow").intValue(), "a formula wider than its box scrolls: " + box);
        assertTrue(box.get("scrollWidth").doubleValue() >= box.get("mathWidth").doubleValue() - 1, "the whole formula can be scrolled to: " + box);
        assertTrue(box.get("page").intValue() <= box.get("window").intValue(), "the page itself does not scroll sideways: " + box);
        PageE2ETest.assertNoConsoleErrors(driver);
    }

    @Test
    void theScrubberReplaysTheHistogramsOfAnEarlierStep() {
        openReady("/?engine=wasm#steps=3000&seed=3");
        trainToTheEnd(3000);
        wait.until(d -> number("window.teagradViews.step") == 3000 && number("window.teagradScrubber.kept") >= 3);
        js.executeScript("document.getElementById('view-act').scrollIntoView()");   // the views draw what is in sight
        String live = driver.findElement(By.id("legend-act")).getText();
        js.executeScript("const r = document.getElementById('scrub-range'); r.value = '0'; r.dispatchEvent(new Event('input'))");
        wait.until(d -> number("window.teagradScrubber.shown") == 0 && number("window.teagradViews.step") == 0);
        wait.until(d -> !live.equals(driver.findElement(By.id("legend-act")).getText()));
        assertTrue(driver.findElement(By.id("scrub-label")).getText().startsWith("step 0 (replay"), driver.findElement(By.id("scrub-label")).getText());
        assertTrue(number("window.teagradViews.pixels('act')") > 500, "the step-0 histograms are drawn");
        click("Live");
        wait.until(d -> number("window.teagradViews.step") == 3000);
        wait.until(d -> live.equals(driver.findElement(By.id("legend-act")).getText()));
        assertFalse(driver.findElement(By.id("scrub-live")).isEnabled(), "live again");
        PageE2ETest.assertNoConsoleErrors(driver);
    }
}
