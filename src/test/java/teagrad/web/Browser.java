package teagrad.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven through its chromedriver. Locally, a machine without them
 * skips the browser tests with a message; in CI (CI=true) their absence is a failure.
 */
final class Browser {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium"), DRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {}

    static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI needs " + CHROMIUM + " and " + DRIVER + " (apt-get install -y chromium chromium-driver)");
        }
        Assumptions.assumeTrue(present, "browser tests skipped: install chromium and chromium-driver to run them");
    }

    /** The built page and names.txt served on a free loopback port, as {@code serve} does (Chromium required). */
    static teagrad.cli.LoopbackServer serveBuiltApp() throws java.io.IOException {
        requireChromium();
        return teagrad.cli.ServeCommand.start(0, builtWebapp(), teagrad.TestData.namesFile());
    }

    static String origin(teagrad.cli.LoopbackServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    /** The built page: TeaVM writes the workers into target/classes/webapp during process-classes. */
    static Path builtWebapp() {
        Path root = Path.of("target", "classes", "webapp");
        if (!Files.exists(root.resolve("wasm/worker.wasm")) || !Files.exists(root.resolve("js/worker.js"))) {
            throw new AssertionError("the workers are not built: run the tests through Maven (mvn verify), which compiles them with TeaVM first");
        }
        return root;
    }

    /**
     * Runs {@code body} (the body of an async function, ending in a return) in the open page, where
     * {@code await page('runs-table.js')} imports one of the page's modules: what it exports, as the page's code has it.
     */
    static Object inPage(org.openqa.selenium.JavascriptExecutor js, String body, Object... args) {
        return js.executeAsyncScript("const done = arguments[arguments.length - 1], args = Array.from(arguments).slice(0, -1);"
            + " const page = name => import(new URL(name, location.href).href);"
            + " (async () => { " + body + " })().then(done, e => done('failed: ' + e));", args);
    }

    static ChromeDriver start() {
        return start(null);
    }

    /** The page's viewport in CSS pixels (a phone: 420 × 860), as the layout sees it, whatever the window. */
    static void viewport(ChromeDriver driver, int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
            java.util.Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** @param proxy host:port of a {@link RecordingProxy} that sees every request, or null */
    static ChromeDriver start(String proxy) {
        ChromeOptions options = new ChromeOptions();
        if (proxy != null) options.addArguments("--proxy-server=http://" + proxy, "--proxy-bypass-list=<-loopback>");
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1000",
            "--disable-features=NetworkTimeServiceQuerying");   // the browser's own clock check, not the page's
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER.toString()))   // never let Selenium Manager download one
            .usingAnyFreePort()
            .build();
        return new ChromeDriver(service, options);
    }
}
