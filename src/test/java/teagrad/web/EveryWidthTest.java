package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import teagrad.cli.LoopbackServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at a phone's width (420 px, the live panel after the chapter) and a desktop's (1400 px,
 * the panel beside it): the way to the panel by keyboard and from the text's links, notices that
 * leave the chart alone, formulas on one line that scroll when they are wider than the column.
 */
class EveryWidthTest {
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

    @AfterEach
    void close() {
        if (driver != null) driver.quit();
    }

    void open(int width, String path) {
        driver = Browser.start();
        js = driver;
        wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        Browser.viewport(driver, width, width < 600 ? 860 : 1000);
        driver.get(origin + path);
        wait.until(d -> "1".equals(js.executeScript("return document.body.dataset.ready || null")));
    }

    double number(String expr) {
        return PageE2ETest.number(js, expr);
    }

    /** Whether the element's box lies entirely inside the window. */
    boolean inSight(String selector) {
        return Boolean.TRUE.equals(js.executeScript(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return r.width > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;", selector));
    }

    @ParameterizedTest(name = "{0} px wide")
    @ValueSource(ints = {420, 1400})
    void theFirstTabStopIsAVisibleSkipLinkToTheLivePanelWhoseNextTabIsStart(int width) {
        open(width, "/?engine=wasm");
        new Actions(driver).sendKeys(Keys.TAB).perform();
        WebElement skip = driver.switchTo().activeElement();
        assertEquals("Skip to the live panel", skip.getText());
        assertTrue(inSight("a.skip"), "the focused skip link is shown");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        wait.until(d -> "live".equals(js.executeScript("return document.activeElement.id")));
        new Actions(driver).sendKeys(Keys.TAB).perform();
        assertEquals("start", js.executeScript("return document.activeElement.id"), "one more Tab reaches Start");
        new Actions(driver).sendKeys(Keys.TAB).perform();
        js.executeScript("document.activeElement.blur()");
        assertFalse(inSight("a.skip"), "unfocused, the skip link is out of sight");
    }

    /** At 420 px the panel is ~5,000 px below the text: a preset link goes there, and a button comes back. */
    @Test
    void aPresetLinkInTheTextBringsThePanelIntoSightOnAPhoneAndABackButtonReturns() {
        open(420, "/?engine=wasm");
        WebElement link = driver.findElement(By.cssSelector("a.try[href='#preset=naive-init']"));
        js.executeScript("arguments[0].scrollIntoView({block: 'center'})", link);
        assertFalse(inSight("#chart"), "reading the text, the chart is far away");
        link.click();
        wait.until(d -> inSight("#chart") && inSight("#start"));
        wait.until(d -> !String.valueOf(driver.findElement(By.id("net-layers")).getText()).contains("BatchNorm1d"));   // the naive network
        assertEquals("live", js.executeScript("return document.activeElement.id"), "the keyboard goes on in the panel");
        driver.findElement(By.id("back-to-text")).click();
        wait.until(d -> Boolean.TRUE.equals(js.executeScript(
            "const a = document.querySelector(\"a.try[href='#preset=naive-init']\"), r = a.getBoundingClientRect();"
                + "return document.activeElement === a && r.top >= 0 && r.bottom <= innerHeight;")));
        assertFalse(driver.findElement(By.id("back-to-text")).isDisplayed(), "the way back is used up");
    }

    /** At 1400 px the panel is beside the text: a preset link changes it where it stands, and the text does not move. */
    @Test
    void aPresetLinkLeavesTheTextInPlaceWhereThePanelIsBesideIt() {
        open(1400, "/?engine=wasm");
        WebElement link = driver.findElement(By.cssSelector("a.try[href='#preset=naive-init']"));
        js.executeScript("arguments[0].scrollIntoView({block: 'center'})", link);
        double y = number("scrollY");
        link.click();
        wait.until(d -> !String.valueOf(driver.findElement(By.id("net-layers")).getText()).contains("BatchNorm1d"));
        assertEquals(y, number("scrollY"), "the page stays where the reader is");
        assertTrue(inSight("#chart"), "the chart is in sight beside the text");
        assertFalse(driver.findElement(By.id("back-to-text")).isDisplayed(), "nothing to go back to");
    }

    /** A notice (here the end of a run) sits under the chart: it covers none of it and moves none of it. */
    @ParameterizedTest(name = "{0} px wide")
    @ValueSource(ints = {420, 1400})
    void noticesNeitherCoverNorMoveTheChart(int width) {
        open(width, "/?engine=wasm#steps=300&every=100");
        js.executeScript("document.getElementById('live').scrollIntoView()");
        String box = "const r = document.getElementById(arguments[0]).getBoundingClientRect(); return [r.top + scrollY, r.bottom + scrollY, r.left, r.right];";
        @SuppressWarnings("unchecked")
        List<Number> before = (List<Number>) js.executeScript(box, "chart");
        driver.findElement(By.id("start")).click();
        wait.until(d -> String.valueOf(driver.findElement(By.id("messages")).getText()).contains("Finished: 300 steps."));
        @SuppressWarnings("unchecked")
        List<Number> chart = (List<Number>) js.executeScript(box, "chart");
        @SuppressWarnings("unchecked")
        List<Number> notice = (List<Number>) js.executeScript(box, "messages");
        assertEquals(before, chart, "the chart did not move");
        assertTrue(notice.get(0).doubleValue() >= chart.get(1).doubleValue(), "the notice " + notice + " is below the chart " + chart);
        assertEquals("polite", driver.findElement(By.id("messages")).getAttribute("aria-live"));
    }

    /**
     * Every block formula is one line (its parts side by side: each starts where the one before it
     * ends, where a line break would send it back to the left; Firefox broke after a Σ without the
     * mrow); the one wider than a phone's column scrolls
     * in a box that is a named Tab stop, and the arrow keys scroll it.
     */
    @ParameterizedTest(name = "{0} px wide")
    @ValueSource(ints = {420, 1400})
    void formulasAreWholeLinesAndAWideOneScrollsByKeyboard(int width) {
        open(width, "/?engine=wasm");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> formulas = (List<Map<String, Object>>) js.executeScript(
            "return [...document.querySelectorAll('math[display=block]')].map(m => {"
                + "  const box = m.closest('.formula-scroll'), row = m.firstElementChild, parts = [...row.children].map(c => c.getBoundingClientRect());"
                + "  return { name: document.getElementById(box.getAttribute('aria-labelledby')).textContent, table: row.localName === 'mtable',"
                + "    oneChild: m.children.length === 1 && ['mrow', 'mtable'].includes(row.localName),"
                + "    oneLine: parts.every((p, i) => i === 0 || p.left >= parts[i - 1].right - 1), wide: box.scrollWidth > box.clientWidth + 1, tab: box.tabIndex, role: box.getAttribute('role') };"
                + "})");
        assertEquals(10, formulas.size(), "the chapter's block formulas");
        int wide = 0;
        for (Map<String, Object> f : formulas) {
            assertEquals(Boolean.TRUE, f.get("oneChild"), f.get("name") + " is one <mrow> (or <mtable>): Firefox may break a line between the children of <math>");
            if (!Boolean.TRUE.equals(f.get("table"))) assertEquals(Boolean.TRUE, f.get("oneLine"), f.get("name") + " is on one line");
            assertEquals("group", f.get("role"), String.valueOf(f.get("name")));
            boolean isWide = Boolean.TRUE.equals(f.get("wide"));
            assertEquals(isWide ? 0L : -1L, ((Number) f.get("tab")).longValue(), f.get("name") + (isWide ? " scrolls: a Tab stop" : " fits: no Tab stop"));
            if (isWide) wide++;
        }
        if (width > 1000) {
            assertEquals(0, wide, "every formula fits beside the panel");
            return;
        }
        assertTrue(wide >= 1, "the gradient of the input is wider than a phone's column");
        WebElement box = driver.findElement(By.cssSelector(".formula-scroll[aria-labelledby='f-dx']"));
        js.executeScript("arguments[0].focus()", box);
        new Actions(driver).sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT).perform();
        wait.until(d -> number("document.querySelector(\".formula-scroll[aria-labelledby='f-dx']\").scrollLeft") > 0);
    }

    /** The runs table says how a run was initialised: naive init scales N(0, 1) by hand and has no gain. */
    @Test
    void theRunsTableNamesAHandScaledInitNotAGain() {
        open(1400, "/?engine=wasm");
        String naive = (String) Browser.inPage(js, "return (await page('runs-table.js')).shortSettings({ hiddenScale: 1, initGain: 5 / 3, batchNorm: false, lr: 0.1, batchSize: 32, seed: 42 }, [200])");
        String scaled = (String) Browser.inPage(js, "return (await page('runs-table.js')).shortSettings({ hiddenScale: Math.fround(0.2), initGain: 5 / 3, batchNorm: false, lr: 0.1, batchSize: 32, seed: 42 }, [200])");
        String kaiming = (String) Browser.inPage(js, "return (await page('runs-table.js')).shortSettings({ hiddenScale: 0, initGain: 5 / 3, batchNorm: true, lr: 0.1, batchSize: 32, seed: 42 }, [200])");
        assertEquals("200, no BN, hidden N(0, 1), lr 0.1, batch 32, seed 42", naive);
        assertEquals("200, no BN, hidden N(0, 1) × 0.2, lr 0.1, batch 32, seed 42", scaled);
        assertEquals("200, BN, gain 5/3, lr 0.1, batch 32, seed 42", kaiming);
    }

    /** A view's last x label ("200k" at the right end of the update:data axis) is drawn inside its canvas. */
    @Test
    void theLastAxisLabelOfAViewStaysInsideItsCanvas() {
        open(420, "/?engine=wasm");
        @SuppressWarnings("unchecked")
        List<Number> rightEdges = (List<Number>) Browser.inPage(js,
            "const { plotArea, drawFrame } = await page('views.js'), { formatSteps } = await page('format.js');"
                + "const c = document.createElement('canvas'); c.width = 300; c.height = 150; const ctx = c.getContext('2d'), edges = [];"
                + "const fill = ctx.fillText.bind(ctx); ctx.fillText = (t, x, y) => { edges.push(x + ctx.measureText(t).width / 2); fill(t, x, y); };"
                + "const plot = plotArea(300, 150), X = s => plot.x + (s / 200000) * plot.w;"
                + "drawFrame(ctx, plot, [0, 50000, 100000, 150000, 200000], X, formatSteps, 'log10 ratio');"
                + "return edges;");
        double last = rightEdges.stream().mapToDouble(Number::doubleValue).max().orElseThrow();
        assertTrue(last <= 300, "the rightmost label ends at " + last + " px, inside the 300 px canvas");
    }
}
