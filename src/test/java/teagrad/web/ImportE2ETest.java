package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teagrad.web.PageE2ETest.assertNoConsoleErrors;
import static teagrad.web.PageE2ETest.export;
import static teagrad.web.PageE2ETest.number;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.TestData;
import teagrad.cli.LoopbackServer;
import teagrad.model.Config;
import teagrad.model.Presets;
import teagrad.modelfile.ModelFile;
import teagrad.train.Trainer;

/**
 * Model files imported into the page as a user does (the model import input): PyTorch's
 * 17-digit decimals load to the very floats the JVM reads; a file claiming 2,000,000,000 steps
 * is refused in one line naming the field, and the model before it trains on; a run at a far
 * step goes on at once from the generator state its file carries; an imported model's views
 * show its own statistics at once, not zeros.
 */
class ImportE2ETest {
    static LoopbackServer server;

    @BeforeAll
    static void serve() throws Exception {
        PageE2ETest.names = TestData.names();
        server = Browser.serveBuiltApp();
        PageE2ETest.origin = Browser.origin(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Opens the page with this engine and hash, imports nothing yet, and hands the driver to {@code test}. */
    static void inPage(String engine, String hash, Consumer<ChromeDriver> test) {
        ChromeDriver driver = Browser.start();
        try {
            // Before any page script: the worker's model messages with the time they came (performance.now()).
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source",
                "window.models = []; const W = window.Worker; window.Worker = class extends W { constructor(...a) { super(...a);"
                    + " this.addEventListener('message', e => { const m = e.data; if (m && m.type === 'model')"
                    + " window.models.push({cause: m.cause, step: m.step, note: m.note || null, t: performance.now()}); }); } };"));
            PageE2ETest.openReady(driver, new WebDriverWait(driver, Duration.ofSeconds(60)), "/?engine=" + engine + hash);
            test.accept(driver);
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    static void importFile(ChromeDriver driver, Path dir, String name, String text) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        driver.executeScript("window.importAt = performance.now()");
        driver.findElement(By.id("model-import")).sendKeys(file.toAbsolutePath().toString());
    }

    /** The worker's model message for an import at {@code step}, with ms: how long after the file was given it came. */
    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> importedModel(ChromeDriver driver, int step) {
        return (java.util.Map<String, Object>) driver.executeScript("const m = window.models.find(m => m.cause === 'import' && m.step === "
            + step + "); return m ? Object.assign({ms: m.t - window.importAt}, m) : null");
    }

    static String messages(WebDriver driver) {
        return driver.findElement(By.id("messages")).getText();
    }

    static int step(WebDriver driver) {
        return (int) number((JavascriptExecutor) driver, "window.teagradState.step");
    }

    // ---------------------------------------------------------------- floats

    /**
     * A file as PyTorch writes a float64 model (json.dumps: up to 17 significant digits, values
     * that are not floats), with the checksum of the floats the JVM reads from it. TeaVM's own
     * float parsing is one ulp off for about 1 number in 3,000: with ~12,000 of them the page
     * would compute another checksum and refuse the file, and export other numbers.
     */
    @ParameterizedTest
    @ValueSource(strings = {"wasm", "js"})
    void seventeenDigitDecimalsLoadToTheFloatsTheJvmReads(String engine, @TempDir Path tmp) {
        Trainer t = PageE2ETest.jvmTrainer(3, 40);
        while (!t.finished()) t.trainStep();
        String seventeen = withChecksumOfWhatTheJvmReads(seventeenDigits(ModelFile.write(t.model, 40)));
        ModelFile.Loaded jvm = ModelFile.read(seventeen);
        // The page's export after the import: the JVM's floats, and the generator replayed over 40 steps.
        String expected = ModelFile.write(jvm.model, 40, null, new Trainer(jvm.model, t.data, 40).batchState());
        inPage(engine, "", driver -> {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            importFile(driver, tmp, "pytorch.json", seventeen);
            wait.until(d -> step(d) == 40 || messages(d).contains("Import failed"));
            assertEquals(40, step(driver), "imported, its checksum matched: " + messages(driver));
            assertEquals(expected, export(driver, wait), "the same floats, written back as the JVM writes them");
        });
    }

    /** Every number of the layers as a 17-digit double near it, as a float64 tensor's json.dumps writes it. */
    static String seventeenDigits(String file) {
        int from = file.indexOf("\"layers\""), to = file.indexOf("\"crc32\"");
        Matcher m = Pattern.compile("-?\\d+\\.\\d+(E-?\\d+)?").matcher(file.substring(from, to));
        Random rnd = new Random(17);
        StringBuilder b = new StringBuilder(file.substring(0, from));
        int changed = 0;
        while (m.find()) {
            double x = Double.parseDouble(m.group()) * (1 + 1e-7 * rnd.nextGaussian());   // about an ulp of a float away
            String text = Double.toString(x);
            m.appendReplacement(b, Matcher.quoteReplacement(text));
            if (text.replaceAll("[^0-9]", "").replaceFirst("^0+", "").length() >= 16) changed++;
        }
        m.appendTail(b);
        assertTrue(changed > 10_000, changed + " numbers of 16-17 digits");
        return b.append(file.substring(to)).toString();
    }

    /** The file with "crc32" set to the checksum of the model the JVM reads from it. */
    static String withChecksumOfWhatTheJvmReads(String file) {
        String without = file.replaceFirst(",\\s*\"crc32\": \"[0-9a-f]{8}\"", "");
        String rewritten = ModelFile.write(ModelFile.read(without).model, 0);
        Matcher crc = Pattern.compile("\"crc32\": \"[0-9a-f]{8}\"").matcher(rewritten);
        assertTrue(crc.find());
        return file.replaceFirst("\"crc32\": \"[0-9a-f]{8}\"", crc.group());
    }

    // ---------------------------------------------------------------- steps

    /**
     * "step": 2000000000 is refused as one line naming the field (no replay of 64 billion
     * draws), and the model trained before it trains on; a file at step 9,999,000 with its
     * generator's state is imported without a replay (no note of fresh batches) and takes its
     * next step. (The page's curve still fills the 9,999,000 steps before with NaN: seconds.)
     */
    @Test
    void aFileClaimingTwoBillionStepsIsRefusedAndAFarStepWithItsStateGoesOnAtOnce(@TempDir Path tmp) {
        Config far = PageE2ETest.config(6, Config.MAX_STEPS);
        Trainer t = PageE2ETest.jvmTrainer(far);
        for (int i = 0; i < 5; i++) t.trainStep();
        String file = ModelFile.write(t.model, 5, null, t.batchState());
        inPage("wasm", "#steps=500&seed=2", driver -> {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));   // a replay would take minutes
            driver.findElement(By.id("step")).click();
            wait.until(d -> step(d) == 1);

            long start = System.nanoTime();
            importFile(driver, tmp, "two-billion.json", file.replace("\"step\": 5,", "\"step\": 2000000000,"));
            wait.until(d -> messages(d).contains("Import failed"));
            System.out.printf("step 2,000,000,000 refused on the page after %.0f ms%n", (System.nanoTime() - start) / 1e6);
            String message = messages(driver);
            assertTrue(message.contains("\"step\"") && message.contains("2000000000") && message.contains("unchanged"), message);
            driver.findElement(By.id("step")).click();
            wait.until(d -> step(d) == 2);   // the model before the import, on the page's settings

            start = System.nanoTime();
            importFile(driver, tmp, "far.json", file.replace("\"step\": 5,", "\"step\": 9999000,"));
            WebDriverWait page = new WebDriverWait(driver, Duration.ofSeconds(90));   // the worker is quick; the page's curve is not yet
            page.until(d -> importedModel(driver, 9_999_000) != null);
            java.util.Map<String, Object> model = importedModel(driver, 9_999_000);
            assertEquals(null, model.get("note"), "the run goes on with its own batches: " + model);
            page.until(d -> step(d) == 9_999_000);
            System.out.printf("step 9,999,000: the worker's model after %.0f ms, the page shows the step after %.0f ms%n",
                ((Number) model.get("ms")).doubleValue(), (System.nanoTime() - start) / 1e6);
            driver.findElement(By.id("step")).click();
            page.until(d -> step(d) == 9_999_001);
        });
    }

    // ---------------------------------------------------------------- the views

    /**
     * The lecture's deep network at gain 3 saturates its tanh units. Imported, the activations
     * legend shows at once the saturation the JVM's worker computes for it (one probed batch),
     * not the 0.0% of a model nothing has run through.
     */
    @Test
    void anImportedDeepGainThreeModelShowsItsSaturationAtOnce(@TempDir Path tmp) {
        Config c = Presets.apply("deep-gain3", PageE2ETest.config(8, 1000));
        Trainer t = PageE2ETest.jvmTrainer(c);
        for (int i = 0; i < 20; i++) t.trainStep();
        String file = ModelFile.write(t.model, 20, null, t.batchState());
        Session jvm = new Session();
        jvm.loadWords(String.join("\n", TestData.names()));
        jvm.importModel(file);
        double saturated = 100 * jvm.diagnostics().tanh.get(0).saturated;
        assertTrue(saturated > 20, "gain 3 saturates: " + saturated + "%");
        String expected = String.format(java.util.Locale.ROOT, "%.1f%%", saturated);

        inPage("wasm", "", driver -> {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            JavascriptExecutor js = driver;
            String before = driver.findElement(By.id("legend-act")).getText();
            importFile(driver, tmp, "deep-gain3.json", file);
            wait.until(d -> step(d) == 20 && number(js, "document.querySelectorAll('#legend-act tbody tr').length") == 5);
            wait.until(d -> firstPercent(d).equals(expected));
            assertNotEquals(before, driver.findElement(By.id("legend-act")).getText());
            assertEquals(20, step(driver), "probing took no step");
        });
    }

    /** The saturated % of the activations legend's first row ("Tanh 1 (3) +0.048 0.933 73.6%"). */
    static String firstPercent(WebDriver driver) {
        Matcher m = Pattern.compile("([0-9.]+%)").matcher(driver.findElement(By.id("legend-act")).getText());
        return m.find() ? m.group(1) : "";
    }
}
