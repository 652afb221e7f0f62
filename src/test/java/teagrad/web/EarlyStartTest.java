package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page starts its worker before it has drawn (boot.js) and the worker's messages wait until the
 * page listens; the first word list is split once, with the link's settings, not once with the
 * worker's defaults and again with the link's.
 */
class EarlyStartTest extends PageTest {
    /** Before any page script: every message type to and from the page's workers, in order. */
    private static final String LOG = "window.talk = []; const W = window.Worker; window.Worker = class extends W {"
        + " constructor(...a) { super(...a); window.talk.push('new ' + a[0]); this.addEventListener('message', e => window.talk.push('< ' + (e.data && e.data.type))); }"
        + " postMessage(m, ...r) { window.talk.push('> ' + (m && m.type)); return super.postMessage(m, ...r); } };";

    @Test
    void theFirstWordListIsSplitOnceWithTheLinksSettings() throws Exception {
        ChromeDriver driver = Browser.start();
        try {
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", LOG));
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=wasm#steps=1000&seed=7");
            Thread.sleep(1500);   // a second split would have been answered by now
            @SuppressWarnings("unchecked")
            List<String> all = (List<String>) js.executeScript("return window.talk.filter(t => !t.endsWith('snapshot'))");
            // The page's engine's worker downloads the word list itself and reads it ahead while the page lays out
            // (worker-*.js ?names): the page posts no ahead, and the list is still split once.
            assertEquals("new worker-wasm.js?names", all.get(0), String.valueOf(all));
            assertEquals(0, all.stream().filter(t -> t.equals("> ahead")).count(), "the worker reads the list ahead itself: " + all);
            List<String> talk = all.subList(1, all.size());
            assertEquals(List.of("< ready", "> configure", "> data", "< dataset", "< model", "< diagnostics"), talk.subList(0, 6), String.valueOf(talk));
            assertEquals(1, talk.stream().filter(t -> t.equals("< dataset")).count(), "one split: " + talk);
            assertEquals(7.0, number(js, "document.getElementById('cfg-seed').value * 1"), "the link's seed is in the form");
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    /**
     * The worker is created before the browser renders anything: the first layout of the chapter holds the
     * main thread for hundreds of ms, and a worker created after it starts that much later (boot.js is
     * render-blocking). A requestAnimationFrame callback runs in the first rendering update, before its layout.
     */
    @Test
    void theWorkerIsCreatedBeforeTheFirstFrame() throws Exception {
        ChromeDriver driver = Browser.start();
        try {
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.order = []; requestAnimationFrame(() => window.order.push('first frame'));"
                + " const W = window.Worker; window.Worker = class extends W { constructor(...a) { super(...a); window.order.push('worker'); } };"));
            JavascriptExecutor js = driver;
            openReady(driver, new WebDriverWait(driver, Duration.ofSeconds(60)), "/?engine=wasm");
            assertEquals(List.of("worker", "first frame"), js.executeScript("return window.order.slice(0, 2)"));
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }

    /** bench/'s first-step split reads when each boot step of the worker ended, from both builds (the JS one once sent none). */
    @ParameterizedTest
    @ValueSource(strings = {"wasm", "js"})
    void theWorkersBootMarksReachThePage(String kind) throws Exception {
        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            openReady(driver, new WebDriverWait(driver, Duration.ofSeconds(60)), "/?engine=" + kind);
            Object marks = Browser.inPage(js, String.join("\n",
                "const { Engine } = await page('engine.js');",
                "const engine = new Engine('" + kind + "');",
                "const ready = new Promise(r => engine.listen(m => { if (m.type === 'ready') r(m.boot); }));",
                "engine.start();",
                "const boot = await ready;",
                "engine.terminate();",
                "return ['started', 'kernels', 'compiled', 'main'].map(k => typeof boot[k]).join(' ') + ', in order ' + (boot.started <= boot.compiled && boot.compiled <= boot.main);"));
            assertEquals("number number number number, in order true", marks);
        } finally {
            driver.quit();
        }
    }

    @Test
    void anEngineHoldsWhatItsWorkerSaidUntilItIsOpened() throws Exception {
        ChromeDriver driver = Browser.start();
        try {
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            openReady(driver, wait, "/?engine=js");
            Object result = Browser.inPage(js, String.join("\n",
                "const { Engine } = await page('engine.js');",
                "const engine = new Engine('js'), heard = [];",
                "engine.listen(m => heard.push(m.type));",
                "engine.hold();",
                "engine.start();",
                "for (let i = 0; i < 600 && engine.held.length === 0; i++) await new Promise(r => setTimeout(r, 50));",
                "const before = heard.length, readyBefore = engine.ready;",
                "engine.open({});",
                "for (let i = 0; i < 100 && !heard.length; i++) await new Promise(r => setTimeout(r, 10));",
                "const sent = engine.send({ type: 'evaluate' });",
                "await new Promise(r => setTimeout(r, 500));",
                "engine.terminate();",
                "return [before, readyBefore, heard[0], engine.held, sent, heard.slice(1).join(' ')].join(', ');"));
            assertEquals("0, false, ready, , true, error", result);   // evaluate without words: an error, heard at once
            assertNoConsoleErrors(driver);
        } finally {
            driver.quit();
        }
    }
}
