package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * axe-core (WCAG 2 A and AA rules and best practices, as axe.run checks by default) finds nothing
 * on the page at a phone's width and a desktop's, before training, while training and once a run
 * has finished (notices, the results table).
 */
class AccessibilityTest extends PageTest {


    @ParameterizedTest(name = "{0} px wide")
    @ValueSource(ints = {420, 1400})
    void axeFindsNoViolationIdleWhileTrainingAndAfterARun(int width) {
        String axe = Axe.script();
        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));   // axe.run on a loaded machine
            Browser.viewport(driver, width, width < 600 ? 860 : 1000);
            driver.get(origin + "/?engine=wasm#steps=12000&every=1000");   // long enough to be still training when axe looks (~4,600 steps/s)
            wait.until(d -> "1".equals(js.executeScript("return document.body.dataset.ready || null")));
            assertNoViolations(js, axe, width + " px, idle");

            driver.findElement(By.id("start")).click();
            wait.until(d -> number(js, "window.teagradState.step") > 100);
            assertEquals(Boolean.TRUE, js.executeScript("return window.teagradState.running"), "still training while axe looks");
            assertNoViolations(js, axe, width + " px, training");

            wait.until(d -> number(js, "window.teagradRuns.length") == 1);   // finished: a notice and a row
            assertNoViolations(js, axe, width + " px, after a run");
        } finally {
            driver.quit();
        }
    }

    @SuppressWarnings("unchecked")
    static void assertNoViolations(JavascriptExecutor js, String axe, String when) {
        if (!Boolean.TRUE.equals(js.executeScript("return typeof axe === 'object'"))) js.executeScript(axe);   // the CSP binds page scripts, not the driver's
        List<Map<String, Object>> violations = (List<Map<String, Object>>) js.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "axe.run(document).then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,"
                + "  nodes: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) }))), e => done([{ id: 'axe failed', help: String(e) }]));");
        StringBuilder report = new StringBuilder();
        for (Map<String, Object> v : violations) report.append("\n  ").append(v.get("id")).append(" (").append(v.get("impact")).append("): ")
            .append(v.get("help")).append(' ').append(v.get("nodes"));
        assertEquals(0, violations.size(), "axe-core " + Axe.VERSION + " at " + when + ":" + report);
    }
}
