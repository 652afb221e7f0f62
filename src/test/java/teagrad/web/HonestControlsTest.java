package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.modelfile.ModelFile;
import teagrad.train.Trainer;

/**
 * The controls tell the truth while the worker is busy: during an import they say so and a Reset
 * cannot be queued behind it (it would wipe the model being imported); a model file with an
 * oversized field is refused within 2 s with a message naming the field, and the model trained
 * before it still trains.
 */
class HonestControlsTest extends PageTest {


    /** A JVM model of 300 steps, as a file. */
    static Path jvmModel(Path dir) throws Exception {
        Trainer t = jvmTrainer(3, 300);
        while (!t.finished()) t.trainStep();
        return Files.writeString(dir.resolve("model.json"), ModelFile.write(t.model, t.stepsDone()), StandardCharsets.UTF_8);
    }

    @Test
    void aResetClickedDuringAnImportCannotWipeTheImportedModel(@TempDir Path tmp) throws Exception {
        Path file = jvmModel(tmp);
        ChromeDriver driver = Browser.start();
        try {
            // Before any page script: the worker's answer to an import is held back while window.holdImport is set.
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.holdImport = false; window.held = []; const W = window.Worker; window.Worker = class extends W {"
                    + " set onmessage(f) { super.onmessage = e => { if (window.holdImport && e.data && (e.data.cause === 'import' || window.held.length)) window.held.push(() => f(e)); else f(e); }; } };"));
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=wasm#steps=1000&seed=2");
            driver.findElement(By.id("step")).click();
            wait.until(d -> number(js, "window.teagradState.step") == 1);
            js.executeScript("window.holdImport = true");
            driver.findElement(By.id("model-import")).sendKeys(file.toAbsolutePath().toString());
            wait.until(d -> driver.findElement(By.id("busy")).isDisplayed());
            assertTrue(driver.findElement(By.id("busy")).getText().startsWith("Importing “model.json” …"), driver.findElement(By.id("busy")).getText());
            wait.until(d -> number(js, "window.held.length") >= 1);   // the worker answered; the page has not heard it yet
            assertFalse(driver.findElement(By.id("reset")).isEnabled(), "Reset waits while importing");
            assertFalse(driver.findElement(By.id("start")).isEnabled(), "so does Start");
            js.executeScript("document.getElementById('reset').click()");        // a click anyway (a script, a fast hand)
            js.executeScript("window.holdImport = false; window.held.splice(0).forEach(f => f())");
            wait.until(d -> driver.findElement(By.id("step-count")).getText().trim().equals("300"));
            assertFalse(driver.findElement(By.id("busy")).isDisplayed(), "the controls are back");
            Thread.sleep(1000);                                                   // a queued reset would have answered by now
            assertEquals(300.0, number(js, "window.teagradState.step"), "the imported model is still there");
            assertTrue(driver.findElement(By.id("reset")).isEnabled());
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    @Test
    void anOversizedFieldIsRefusedWithinTwoSecondsByNameAndThePreviousModelTrainsOn(@TempDir Path tmp) throws Exception {
        String json = Files.readString(jvmModel(tmp), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"steps\": 300"), "the file carries its steps");
        Path hostile = Files.writeString(tmp.resolve("oversized.json"), json.replace("\"steps\": 300", "\"steps\": 2000000000"), StandardCharsets.UTF_8);
        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=wasm#steps=1000&seed=2");
            for (int i = 0; i < 3; i++) driver.findElement(By.id("step")).click();
            wait.until(d -> number(js, "window.teagradState.step") == 3);
            long t0 = System.nanoTime();
            driver.findElement(By.id("model-import")).sendKeys(hostile.toAbsolutePath().toString());
            new WebDriverWait(driver, Duration.ofSeconds(2)).until(d -> !d.findElements(By.cssSelector("#messages .msg.error")).isEmpty());
            double seconds = (System.nanoTime() - t0) / 1e9;
            String message = driver.findElement(By.cssSelector("#messages .msg.error")).getText().replace("×", "").trim();
            assertTrue(message.startsWith("Import failed: ") && message.contains("steps") && message.endsWith("The current model is unchanged."),
                "the message names the field: " + message + " (" + seconds + " s)");
            assertEquals(3.0, number(js, "window.teagradState.step"), "the model trained before is kept");
            driver.findElement(By.id("step")).click();
            wait.until(d -> number(js, "window.teagradState.step") == 4);   // and trains on
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }
}
