package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Runs as records: two tabs of one browser profile train two runs at once, each owning its own; the
 * other tab lists it as running elsewhere. After both tabs are closed, the page lists both runs with
 * their steps (window.teagradState.savedRuns()), and each resumes at its step.
 */
class KeptRunsTest extends PageTest {


    @Test
    void twoTabsTrainTwoRunsAndAfterClosingBothEachResumes() {
        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
            String tabA = driver.getWindowHandle();
            openReady(driver, wait, "/?engine=wasm#steps=100000&every=50000&seed=1");
            driver.findElement(By.id("start")).click();
            driver.switchTo().newWindow(WindowType.TAB);
            String tabB = driver.getWindowHandle();
            openReady(driver, wait, "/?engine=wasm#steps=100000&every=50000&seed=2");
            driver.findElement(By.id("start")).click();
            // Both train, and each has saved its run past step 300. Saves come every 5 s (keep.js) and the first
            // may be of the first steps: a tab closed before the next one keeps only those (pagehide cannot ask the worker).
            for (String tab : List.of(tabA, tabB)) {
                driver.switchTo().window(tab);
                wait.until(d -> number(js, "window.teagradState.step") >= 300
                    && Boolean.TRUE.equals(js.executeScript("return window.teagradState.saves.some(s => s.step >= 300)")));
            }
            List<Map<String, Object>> seenFromB = savedRuns(js);
            assertEquals(2, seenFromB.size(), "both runs are kept: " + seenFromB);
            assertEquals(1, seenFromB.stream().filter(r -> "running elsewhere".equals(r.get("status"))).count(),
                "tab B sees tab A's run as running elsewhere: " + seenFromB);
            wait.until(d -> String.valueOf(driver.findElement(By.id("runs-body")).getText()).contains("running elsewhere"));

            driver.switchTo().newWindow(WindowType.TAB);
            String tabC = driver.getWindowHandle();
            for (String tab : List.of(tabA, tabB)) {            // close both (pagehide saves what the worker could not)
                driver.switchTo().window(tab);
                driver.close();
            }
            driver.switchTo().window(tabC);
            openReady(driver, wait, "/?engine=wasm");
            wait.until(d -> savedRuns(js).stream().allMatch(r -> "paused".equals(r.get("status"))));
            List<Map<String, Object>> kept = savedRuns(js);
            assertEquals(2, kept.size(), "after closing both tabs both runs are listed: " + kept);
            wait.until(d -> d.findElements(By.cssSelector("#runs-body button[data-run]")).size() == 6);   // Resume, Export, Delete each
            for (Map<String, Object> run : kept) {
                String id = (String) run.get("id");
                long seen = ((Number) run.get("step")).longValue();
                assertTrue(seen >= 300, "the run's steps are kept: " + run);
                driver.findElement(By.cssSelector("#runs-body button[data-run='" + id + "']")).click();   // Resume
                // If it never comes, the failure says what the page said instead (a Resume refused says why in the messages).
                new WebDriverWait(driver, Duration.ofSeconds(90)).withMessage(() -> "no \"Resumed at step\" for run " + id + "; the messages say: "
                        + driver.findElement(By.id("messages")).getText() + "; step " + js.executeScript("return window.teagradState.step"))
                    .until(d -> Boolean.TRUE.equals(js.executeScript("return window.teagradState.step > 0 && !!document.querySelector('#messages .msg') && /[Rr]esumed at step/.test(document.getElementById('messages').textContent)")));
                long step = (long) number(js, "window.teagradState.step");
                assertTrue(step > 0 && step <= seen, "run " + id + " resumed at step " + step + " of the " + seen + " it had");
                assertEquals(String.format(java.util.Locale.ROOT, "%,d", step), driver.findElement(By.id("step-count")).getText().trim());
                js.executeScript("document.getElementById('messages').replaceChildren()");
                driver.findElement(By.id("step")).click();                 // and it trains on
                wait.until(d -> number(js, "window.teagradState.step") == step + 1);
            }
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> savedRuns(JavascriptExecutor js) {
        return (List<Map<String, Object>>) js.executeAsyncScript("const done = arguments[0]; window.teagradState.savedRuns().then(done, e => done([{ error: String(e) }]));");
    }
}
