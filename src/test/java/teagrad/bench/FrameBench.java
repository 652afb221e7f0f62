package teagrad.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.cli.LoopbackServer;
import teagrad.cli.ServeCommand;
import teagrad.web.BrowserAccess;

/**
 * The page's frame rate while it trains (a program, not a test): headless Chromium without a GPU
 * (--disable-gpu: compositing and canvas in software), the default network training, and the page
 * counting its own requestAnimationFrame callbacks for a few seconds: frames/s and the longest gap
 * between two frames. Once with the chart in sight (the top of the live panel) and once with the
 * diagnostics views in sight, at a desktop's width (1400 px, the panel beside the text) and a
 * phone's (420 px, the panel after it), in alternating rounds for every page given, so two versions
 * of the page (say main's and a branch's, each a built webapp directory) are compared in one run on
 * one machine. Steps/s in the worker are printed too: drawing less must not slow training.
 *
 * <p>Usage: FrameBench [seconds per measurement, default 5] [label=webapp-dir ...]
 * (default: page=target/classes/webapp)
 */
public final class FrameBench {
    record Page(String label, Path root) {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        List<Page> pages = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            pages.add(new Page(kv[0], Path.of(kv[1])));
        }
        if (pages.isEmpty()) pages.add(new Page("page", Path.of("target", "classes", "webapp")));
        Path data = Path.of("data", "names.txt");
        System.out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());
        System.out.printf(Locale.ROOT, "%-10s %5s %-6s %-6s %9s %12s %10s%n", "page", "width", "sight", "state", "frames/s", "longest gap", "steps/s");
        for (int round = 1; round <= 2; round++) {
            for (int width : new int[] {1400, 420}) {
                for (Page page : pages) {
                    try (LoopbackServer server = ServeCommand.start(0, page.root(), data)) {
                        measure(page.label(), "http://127.0.0.1:" + server.port(), width, seconds);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
    }

    /** One page at one width: idle, then training, with the chart and then the views in sight. */
    private static void measure(String label, String origin, int width, double seconds) throws Exception {
        try (BrowserAccess.Session s = BrowserAccess.open(origin)) {
            ChromeDriver driver = s.driver();
            JavascriptExecutor js = driver;
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", width < 600 ? 860 : 1000, "deviceScaleFactor", 1, "mobile", false));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds((long) seconds + 60));
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
            driver.get(origin + "/?engine=wasm#steps=10000000&every=10000000&seed=42");
            wait.until(d -> "1".equals(js.executeScript("return document.body.dataset.ready || null")));
            js.executeScript("document.getElementById('live').scrollIntoView()");
            print(label, width, "chart", "idle", frames(js, seconds), Double.NaN);
            driver.findElement(By.id("start")).click();
            Thread.sleep(2000);   // past the first steps and the JIT's warm-up
            for (String sight : List.of("chart", "views")) {
                js.executeScript(sight.equals("chart") ? "document.getElementById('live').scrollIntoView()" : "document.getElementById('views').scrollIntoView()");
                double s0 = step(js);
                long t0 = System.nanoTime();
                double[] f = frames(js, seconds);
                double rate = (step(js) - s0) / ((System.nanoTime() - t0) / 1e9);
                print(label, width, sight, "train", f, rate);
            }
        }
    }

    /** {frames/s, longest gap in ms} of requestAnimationFrame callbacks over the next {@code seconds}. */
    private static double[] frames(JavascriptExecutor js, double seconds) {
        @SuppressWarnings("unchecked")
        List<Number> r = (List<Number>) js.executeAsyncScript(
            "const done = arguments[arguments.length - 1], ms = arguments[0] * 1000;"
                + "let n = 0, first = 0, last = 0, gap = 0;"
                + "const tick = t => { if (n === 0) first = t; else gap = Math.max(gap, t - last); last = t; n++;"
                + "  if (t - first < ms) requestAnimationFrame(tick); else done([(n - 1) / ((last - first) / 1000), gap]); };"
                + "requestAnimationFrame(tick);", seconds);
        return new double[] {r.get(0).doubleValue(), r.get(1).doubleValue()};
    }

    private static double step(JavascriptExecutor js) {
        return ((Number) js.executeScript("return window.teagradState.step")).doubleValue();
    }

    private static void print(String label, int width, String sight, String state, double[] f, double stepsPerSecond) {
        System.out.printf(Locale.ROOT, "%-10s %5d %-6s %-6s %9.1f %9.0f ms %10s%n", label, width, sight, state, f[0], f[1],
            Double.isNaN(stepsPerSecond) ? "" : String.format(Locale.ROOT, "%,.0f", stepsPerSecond));
    }

    private static String loadAverage() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
