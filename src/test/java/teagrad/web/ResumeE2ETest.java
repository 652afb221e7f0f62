package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.train.History;
import teagrad.inference.Inference;
import teagrad.modelfile.ModelFile;
import teagrad.train.Trainer;

/**
 * Never lose a run: the page keeps the current run in IndexedDB, and after a reload it resumes
 * it as the very same run (WASM worker, bit for bit); a model file's curve is drawn on import;
 * without IndexedDB the page says so in one line and trains as before.
 */
class ResumeE2ETest extends PageTest {


    static final int SEED = 9, STEPS = 4000, EVERY = 1000;   // STEPS = 4 · EVERY: dev points at EVERY, 2·EVERY, 3·EVERY, STEPS
    static final String HASH = "#steps=" + STEPS + "&seed=" + SEED + "&every=" + EVERY;

    /**
     * Run A trains past step 1,200 (between the dev points at 1,000 and 2,000: a slice of the worker is
     * up to ~200 steps, so the pause lands a few hundred steps later), is paused, the page is reloaded
     * and the run resumed, then it trains on to 4,000; run B, in a fresh browser, trains 4,000 steps
     * without stopping. Their batch losses and their exported model files are the same, bit for bit.
     */
    @Test
    void aResumedRunIsTheUninterruptedRunBitForBit() {
        int n1;
        float[] lossesA, lossesBeforeReload;
        String fileA;
        ChromeDriver a = Browser.start();
        try {
            JavascriptExecutor js = a;
            WebDriverWait wait = new WebDriverWait(a, Duration.ofSeconds(60));
            openReady(a, wait, "/?engine=wasm" + HASH);
            a.findElement(By.id("start")).click();
            // Pause from inside the page, at the first progress at or past step 1,200.
            js.executeAsyncScript("const done = arguments[0]; const iv = setInterval(() => {"
                + " if (window.teagradState.step >= 1200) { clearInterval(iv); document.getElementById('pause').click(); done(); } }, 2);");
            wait.until(d -> Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
            n1 = (int) number(js, "window.teagradState.step");
            assertTrue(n1 >= 1200 && n1 < EVERY * 2, "paused at step " + n1 + ", between the dev points at " + EVERY + " and " + 2 * EVERY);
            final int paused = n1;
            wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                "return (window.teagradState.saves || []).some(s => s.step === " + paused + ")")));
            lossesBeforeReload = losses(js);
            System.out.println("saves before the reload: " + js.executeScript("return JSON.stringify(window.teagradState.saves)"));

            reload(a, wait);
            wait.until(d -> d.findElement(By.id("resume")).isDisplayed());
            String offer = a.findElement(By.id("resume")).getText();
            assertTrue(offer.contains(String.format(java.util.Locale.ROOT, "Resume run at step %,d", n1)), "the offer names the step: " + offer);
            assertTrue(offer.contains("Discard"), "and can be discarded: " + offer);
            wait.until(d -> d.findElement(By.id("resume-go")).isEnabled());
            a.findElement(By.id("resume-go")).click();
            wait.until(d -> d.findElement(By.id("step-count")).getText().replace(",", "").trim().equals(String.valueOf(paused)));
            wait.until(d -> !d.findElement(By.id("resume")).isDisplayed());
            assertTrue(number(js, "window.teagradState.devPoints") >= 1, "the stored dev point at step " + EVERY + " is back on the chart");
            assertBitsEqual(lossesBeforeReload, losses(js), 0, n1, "the stored curve, redrawn");
            assertTrue(drawnPixels(js) > 5000, "the chart shows the resumed curve");
            wait.until(d -> d.findElement(By.id("loss-val")).getText().matches("\\d\\.\\d{4}"));

            a.findElement(By.id("start")).click();
            wait.until(d -> number(js, "window.teagradState.step") >= STEPS && Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
            lossesA = losses(js);
            fileA = export(a, wait);
            wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                "return (window.teagradState.saves || []).some(s => s.step === " + STEPS + ")")));
            System.out.println("saves of run A after the resume: " + js.executeScript("return JSON.stringify(window.teagradState.saves)"));
            assertNoConsoleErrors(a);

            // The finished run is kept too; Discard forgets it, and the next reload offers nothing.
            reload(a, wait);
            wait.until(d -> d.findElement(By.id("resume")).isDisplayed());
            assertTrue(a.findElement(By.id("resume-go")).getText().equals(String.format(java.util.Locale.ROOT, "Resume run at step %,d", STEPS)), "the finished run is offered");
            a.findElement(By.id("resume-discard")).click();
            wait.until(d -> !d.findElement(By.id("resume")).isDisplayed());
            reload(a, wait);
            // the offer appears as soon as the store has answered, well before ready
            assertEquals(Boolean.FALSE, js.executeAsyncScript("const done = arguments[0];"
                + " setTimeout(() => done(!document.getElementById('resume').hidden), 500);"), "nothing to resume after Discard");
            assertNoConsoleErrors(a);
        } finally {
            a.quit();
        }

        float[] lossesB;
        String fileB;
        ChromeDriver b = Browser.start();
        try {
            JavascriptExecutor js = b;
            WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(60));
            openReady(b, wait, "/?engine=wasm" + HASH);
            assertTrue(!b.findElement(By.id("resume")).isDisplayed(), "a fresh profile has nothing to resume");
            b.findElement(By.id("start")).click();
            wait.until(d -> number(js, "window.teagradState.step") >= STEPS && Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
            lossesB = losses(js);
            fileB = export(b, wait);
        } finally {
            b.quit();
        }

        assertEquals(STEPS, lossesA.length, "run A's chart holds every step");
        assertEquals(STEPS, lossesB.length, "run B's chart holds every step");
        assertBitsEqual(lossesB, lossesA, n1, STEPS, "steps " + (n1 + 1) + ".." + STEPS + " after the resume");
        assertBitsEqual(lossesB, lossesA, 0, n1, "steps 1.." + n1 + " before the reload");
        assertEquals(layers(fileB), layers(fileA), "the exported models' layers");
        assertEquals(fileB, fileA, "the exported model files, history included");
        assertTrue(fileA.contains("\"devSteps\": [" + EVERY + ", " + 2 * EVERY + ", " + 3 * EVERY + ", " + STEPS + "]"), "the dev points of the whole run");
    }

    /**
     * A JVM-trained model file with its curve: the page draws the curve, fills the losses table,
     * and exports the very same file again.
     */
    @Test
    void anImportedModelFileDrawsItsCurve(@TempDir Path tmp) throws Exception {
        Trainer t = jvmTrainer(3, 300);
        History h = new History();
        float[] jvm = new float[300];
        for (int i = 0; i < 300; i++) h.addLoss(jvm[i] = t.trainStep());
        h.addDev(300, (float) new Inference(t.model).loss(t.data.val));
        Path file = tmp.resolve("model.json");
        Files.writeString(file, ModelFile.write(t.model, 300, h, t.batchState()), StandardCharsets.UTF_8);

        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=wasm");
            long before = drawnPixels(js);
            driver.findElement(By.id("model-import")).sendKeys(file.toAbsolutePath().toString());
            wait.until(d -> number(js, "window.teagradLosses().length") == 300);
            wait.until(d -> d.findElement(By.id("loss-val")).getText().matches("\\d\\.\\d{4}"));
            assertBitsEqual(jvm, losses(js), 0, 300, "the model file's curve on the chart");
            assertEquals(1.0, number(js, "window.teagradState.devPoints"), "its dev point");
            wait.until(d -> drawnPixels(js) > before + 2000);
            assertEquals("300", driver.findElement(By.id("step-count")).getText().trim());
            assertTrue(!driver.findElement(By.id("loss-train")).getText().contains("—"), "the losses table is filled");
            // Read back exactly (TeaVM's own Float.parseFloat is one ulp off for some values) and written again.
            assertEquals(Files.readString(file, StandardCharsets.UTF_8), export(driver, wait), "imported, then exported: the same file");
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    /** The worker fails while a run is kept: a new worker starts on the same words and the run can be resumed. */
    @Test
    void afterTheWorkerFailsTheKeptRunCanBeResumed() {
        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",   // the page's workers, to fail one
                "window.workers = []; const W = window.Worker; window.Worker = class extends W { constructor(...a) { super(...a); window.workers.push(this); } };"));
            openReady(driver, wait, "/?engine=wasm#steps=1000&seed=4&every=500");
            driver.findElement(By.id("step")).click();
            driver.findElement(By.id("step")).click();
            driver.findElement(By.id("step")).click();
            wait.until(d -> number(js, "window.teagradState.step") == 3);
            wait.until(d -> Boolean.TRUE.equals(js.executeScript("return (window.teagradState.saves || []).some(s => s.step === 3)")));
            float[] before = losses(js);
            // What the page sees when its worker dies of an uncaught error.
            js.executeScript("window.workers[window.workers.length - 1].onerror(new ErrorEvent('error', { message: 'simulated failure', cancelable: true }))");
            wait.until(d -> d.findElement(By.id("resume")).isDisplayed());
            wait.until(d -> d.findElement(By.id("resume-go")).isEnabled());
            driver.findElement(By.id("resume-go")).click();
            wait.until(d -> d.findElement(By.id("step-count")).getText().trim().equals("3"));
            assertBitsEqual(before, losses(js), 0, 3, "the kept curve");
            driver.findElement(By.id("step")).click();
            wait.until(d -> number(js, "window.teagradState.step") == 4);
            assertEquals(4, losses(js).length, "the fourth step follows the three kept ones");
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    /** IndexedDB refused (private mode, a policy, a broken profile): one line, and training goes on. */
    @Test
    void withoutIndexedDbThePageSaysSoOnceAndTrains() {
        ChromeDriver driver = Browser.start();
        try {
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "IDBFactory.prototype.open = function () { throw new DOMException('The operation is insecure.', 'SecurityError'); };"));
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=wasm#steps=400&seed=2&every=200");
            driver.findElement(By.id("start")).click();
            wait.until(d -> number(js, "window.teagradState.step") >= 400);
            wait.until(d -> number(js, "window.teagradState.devPoints") >= 2);   // at 200 and 400: training charted its dev points
            @SuppressWarnings("unchecked")
            List<String> lines = (List<String>) js.executeScript(
                "return Array.from(document.querySelectorAll('#messages .msg'), m => m.textContent)");
            long storeLines = lines.stream().filter(l -> l.startsWith("Can't keep this run across reloads: ")).count();
            assertEquals(1, storeLines, "one line about the storage: " + lines);
            assertTrue(!driver.findElement(By.id("resume")).isDisplayed(), "nothing offered");
            assertNoConsoleErrors(driver);   // an unhandled rejection would be one
        } finally {
            driver.quit();
        }
    }

    /** The Export button's file (kept from the Blob that the download goes through). */
    static String layers(String file) {
        int a = file.indexOf("\"layers\""), b = file.indexOf("\"history\"");
        assertTrue(a > 0, "a model file with layers");
        return file.substring(a, b > a ? b : file.length());
    }
}
