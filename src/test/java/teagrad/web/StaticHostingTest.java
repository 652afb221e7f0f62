package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.TestData;

/**
 * The built webapp folder on a plain static file server, as `python3 -m http.server` or a
 * bucket would serve it: content types only, no Content-Security-Policy, no other headers,
 * no gzip, names.txt as data/names.txt beside index.html. The page boots both workers, trains,
 * and its own meta policy is in force (an inline script and a request to another origin are
 * blocked and reported as violations; training causes none).
 */
class StaticHostingTest {
    @TempDir static Path site;
    static HttpServer server;
    static String origin;

    @BeforeAll
    static void serve() throws Exception {
        Browser.requireChromium();
        Path built = Browser.builtWebapp();
        try (Stream<Path> files = Files.walk(built)) {             // the folder as someone would upload it
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = site.resolve(built.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to); else Files.copy(f, to);
            }
        }
        Files.createDirectories(site.resolve("data"));
        Files.copy(TestData.namesFile(), site.resolve("data/names.txt"));
        server = plainStaticServer(site);
        origin = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(0);
    }

    /** The least a static host does: files by path, a Content-Type by extension, 404 otherwise. */
    static HttpServer plainStaticServer(Path root) throws IOException {
        Map<String, String> types = Map.of("html", "text/html", "js", "text/javascript", "css", "text/css",
            "svg", "image/svg+xml", "wasm", "application/wasm", "txt", "text/plain", "json", "application/json");
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        s.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                Path file = root.resolve((path.endsWith("/") ? path + "index.html" : path).substring(1)).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                String name = file.getFileName().toString();
                String ext = name.substring(name.lastIndexOf('.') + 1);
                exchange.getResponseHeaders().set("Content-Type", types.getOrDefault(ext, "application/octet-stream"));
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(body);
                }
            }
        });
        s.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "static-host");
            t.setDaemon(true);
            return t;
        }));
        s.start();
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"wasm", "js"})
    void theBuiltFolderTrainsFromAPlainStaticServerUnderItsMetaPolicy(String engine) {
        ChromeDriver driver = Browser.start();
        try {
            // Before any page script: count CSP violations, and what they blocked.
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.cspViolations = []; document.addEventListener('securitypolicyviolation',"
                    + " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"));
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
            driver.get(origin + "/?engine=" + engine + "#steps=400&every=200&seed=3");
            wait.until(d -> "1".equals(js.executeScript("return document.body.dataset.ready || null")));
            assertEquals(engine, driver.findElement(By.id("engine")).getText().trim(), "the page runs the engine it was asked for");
            assertTrue(driver.findElement(By.id("status")).getText().contains("32,033 words from data/names.txt"),
                "names.txt was fetched from data/ beside index.html: " + driver.findElement(By.id("status")).getText());

            driver.findElement(By.id("start")).click();
            wait.until(d -> PageTest.number(js, "window.teagradState.step") >= 400 && Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
            double last = PageTest.number(js, "(l => l.slice(l.length - 50).reduce((a, b) => a + b) / 50)(window.teagradLosses())");
            assertTrue(last < 2.9, "the loss fell from ln 27 = 3.30 in 400 steps: " + last);
            assertTrue(PageTest.number(js, "window.teagradState.devPoints") >= 1, "dev points were charted");
            assertEquals(0L, js.executeScript("return window.cspViolations.length"), "the app itself breaks none of its policy: "
                + js.executeScript("return window.cspViolations"));

            // The policy is the meta element's: this server sends none.
            js.executeScript("const s = document.createElement('script'); s.textContent = 'window.inlineRan = 1'; document.head.append(s);");
            String other = "http://localhost:" + server.getAddress().getPort() + "/favicon.svg";   // same server, another origin
            Object fetched = js.executeAsyncScript("const done = arguments[0];"
                + " fetch('" + other + "').then(r => done('fetched ' + r.status), e => done('blocked'));");
            assertEquals("blocked", fetched, "connect-src 'self' blocks another origin");
            assertEquals(null, js.executeScript("return window.inlineRan === undefined ? null : window.inlineRan"), "the inline script did not run");
            @SuppressWarnings("unchecked")
            List<String> violations = (List<String>) js.executeScript("return window.cspViolations");
            assertEquals(2, violations.size(), "two violations reported: " + violations);
            assertTrue(violations.get(0).startsWith("script-src-elem inline"), violations.get(0));
            assertTrue(violations.get(1).startsWith("connect-src " + other), violations.get(1));
        } finally {
            driver.quit();
        }
    }
}
