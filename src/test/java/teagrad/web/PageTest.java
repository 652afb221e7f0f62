package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.TestData;
import teagrad.cli.LoopbackServer;
import teagrad.data.Dataset;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.train.Trainer;

/**
 * The harness of the browser tests: the built page served as {@code serve} serves it, once per test
 * class, and what the tests do with a page as a learner does (open it, read a number, type into a
 * field, export) or check on it (console errors, drawn pixels, bits of losses), and the JVM runs they
 * compare it with.
 */
abstract class PageTest {
    static LoopbackServer server;
    static String origin;

    @BeforeAll
    static void serve() throws Exception {
        server = Browser.serveBuiltApp();
        origin = Browser.origin(server);
    }

    @AfterAll
    static void stopServing() {
        if (server != null) server.close();
        server = null;
    }

    // ---------- a page, as a learner uses it ----------

    /** Opens the page and waits until its worker is ready and the data set loaded. */
    static void openReady(ChromeDriver driver, WebDriverWait wait, String path) {
        driver.get(origin + path);
        awaitReady(driver, wait);
    }

    /** Reloads the page (the same URL: only a reload, not a fragment navigation) and waits for it to be ready. */
    static void reload(ChromeDriver driver, WebDriverWait wait) {
        driver.navigate().refresh();
        awaitReady(driver, wait);
    }

    static void awaitReady(ChromeDriver driver, WebDriverWait wait) {
        wait.until(d -> "1".equals(driver.executeScript("return document.body.dataset.ready || null")));
    }

    static double number(JavascriptExecutor js, String expr) {
        Object v = js.executeScript("return " + expr);
        return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
    }

    /** Types into a field as a learner does (input events as each key goes in, change when done). */
    static void typeInto(ChromeDriver driver, String id, String text) {
        driver.findElement(By.id(id)).clear();
        driver.findElement(By.id(id)).sendKeys(text);
        driver.executeScript("document.getElementById(arguments[0]).dispatchEvent(new Event('change', {bubbles: true}))", id);
    }

    /** Clicks Export and returns the file: the download goes through a Blob URL, so the Blob is kept to read back. */
    static String export(ChromeDriver driver, WebDriverWait wait) {
        JavascriptExecutor js = driver;
        js.executeScript("window.exported = []; const make = URL.createObjectURL;"
            + " URL.createObjectURL = b => { window.exported.push(b); return make(b); };");
        driver.findElement(By.id("export")).click();
        wait.until(d -> number(js, "window.exported.length") >= 1);
        return (String) js.executeAsyncScript("const done = arguments[0]; window.exported[0].text().then(done);");
    }

    // ---------- what is checked on it ----------

    static void assertNoConsoleErrors(ChromeDriver driver) {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) errors.add(e.getMessage());
        }
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }

    /** Pixels of the chart canvas that are not blank (transparent or the white background). */
    static long drawnPixels(JavascriptExecutor js) {
        Object n = js.executeScript(
            "const c = document.getElementById('chart'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) n++; return n;");
        return ((Number) n).longValue();
    }

    /** Every batch loss the page holds (window.teagradLosses()), as float32. */
    static float[] losses(JavascriptExecutor js) {
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) js.executeScript("return Array.from(window.teagradLosses())");
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = l.get(i) == null ? Float.NaN : ((Number) l.get(i)).floatValue();
        return out;
    }

    static void assertBitsEqual(float[] expected, float[] actual, int from, int to, String what) {
        assertTrue(expected.length >= to && actual.length >= to, what + ": " + expected.length + " and " + actual.length + " losses, need " + to);
        for (int i = from; i < to; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                what + ", step " + (i + 1) + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    // ---------- the JVM runs the page is compared with ----------

    /** The default config with this seed and step count, on names.txt, ready to train on the JVM. */
    static Trainer jvmTrainer(int seed, int steps) {
        return jvmTrainer(config(seed, steps));
    }

    /** The default config with this seed and step count. */
    static Config config(int seed, int steps) {
        Config c = new Config();
        c.seed = seed;
        c.steps = steps;
        return c;
    }

    /** A model of {@code c} on names.txt, ready to train on the JVM. */
    static Trainer jvmTrainer(Config c) {
        Dataset d = new Dataset(TestData.names(), c.blockSize, c.seed);
        return new Trainer(Model.init(c, d.vocab), d);
    }

    /**
     * The file the page's Export writes for a run of {@code c} on the JVM: the model after c.steps
     * steps, every batch loss, and the dev loss the worker measures at the last step (every
     * evalEvery steps, and at the end; the tests' runs are shorter than evalEvery).
     */
    static String jvmExport(Config c) {
        Trainer t = jvmTrainer(c);
        teagrad.train.History history = new teagrad.train.History();
        while (!t.finished()) history.addLoss(t.trainStep());
        history.addDev(c.steps, (float) new teagrad.inference.Inference(t.model).loss(t.data.val));
        return teagrad.modelfile.ModelFile.write(t.model, c.steps, history);
    }
}
