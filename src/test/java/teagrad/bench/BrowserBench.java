package teagrad.bench;

import teagrad.cli.LoopbackServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.TestData;
import teagrad.cli.ServeCommand;
import teagrad.web.BrowserAccess;

/**
 * bench/run's browser half (a program, not a test): the page in headless Chromium, once per
 * engine, with the chart live: the WASM worker with its SIMD products, the same worker on its
 * float[] products as a browser without WebAssembly SIMD runs it ({@code ?simd=off}), the
 * JavaScript worker with the same SIMD module (JsSimd: what a browser without WebAssembly GC but
 * with SIMD runs, Safari 16.4–18.1 among them), and the JavaScript worker on its float[] products
 * (js-float, {@code ?simd=off}: a browser with neither). Per engine it prints sustained training steps/s in the worker, the
 * naive-kernel baseline timed in the same worker, ms per dev-split evaluation, time from
 * navigation to the first training step, the bytes a learner's page (the product's worker, not
 * the bench worker this page runs) downloads besides names.txt (uncompressed: the proxy asks for no gzip), where a step's
 * time goes in that worker, op by op ({@link teagrad.bench.StepProfile}), and the deep network's
 * (preset deep-batchnorm, 5 × 100) training steps/s against the same baseline; and in the WASM
 * worker the cost of the live diagnostics views: steps/s with them live vs. with the worker told
 * to send none (bench-only message 'views'), in alternating rounds of the same page, and the cost of
 * the batch-norm statistics panel (on screen vs scrolled away: statsOverhead).
 *
 * <p>Usage: BrowserBench [seconds of training per engine, default 20] [engines, comma-separated, default all:
 * wasm,wasm-float,js,js-float]
 */
public final class BrowserBench {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        LoopbackServer server = ServeCommand.start(0, Path.of("target", "classes", "webapp"), TestData.namesFile());
        String origin = "http://127.0.0.1:" + server.port();
        StringBuilder json = new StringBuilder("[");
        try {
            FirstStepBench.once(origin, "wasm");   // not counted: a process's first browser launch is much slower (5.1 s against 2.1 s)
            List<String> engines = args.length > 1 ? List.of(args[1].split(",")) : List.of("wasm", "wasm-float", "js", "js-float");
            for (String engine : engines) {
                String row = run(origin, engine, seconds);
                json.append(json.length() > 1 ? ", " : "").append(row);
            }
        } finally {
            server.close();
        }
        System.out.println(json.append("]"));
    }

    /**
     * Injected before any page script: window.benchWorker (the worker, for 'views'), and in
     * window.benchTimes the page-side moments of the first-step split (performance.now()): the
     * worker created, its ready (with the worker's own boot marks), the word list sent, the
     * dataset built; with {@code &benchstart} in the URL it clicks Start the moment the page is ready and Start enabled.
     */
    static final String BOOT_WATCH = String.join("\n",
        "window.benchTimes = {};",
        "const W = window.Worker;",
        "window.Worker = class extends W {",
        "  constructor(...a) {",
        "    super(...a); window.benchWorker = this;",
        "    const t = window.benchTimes; if (t.worker === undefined) t.worker = performance.now();",
        "    this.addEventListener('message', e => {",
        "      const m = e.data || {};",
        "      if (m.type === 'ready' && t.ready === undefined) { t.ready = performance.now(); t.boot = m.boot; }",
        "      if (m.type === 'dataset' && t.dataset === undefined) t.dataset = performance.now();",
        "    });",
        "  }",
        "  postMessage(m, ...r) {",
        "    const t = window.benchTimes;",
        "    if (m && m.type === 'data' && t.dataSent === undefined) t.dataSent = performance.now();",
        "    return super.postMessage(m, ...r);",
        "  }",
        "};",
        "if (new URLSearchParams(location.search).has('benchstart')) {",
        "  const o = new MutationObserver(() => {",
        "    const start = document.getElementById('start');",
        "    if (document.body && document.body.dataset.ready === '1' && start && !start.disabled) {   // enabled: a click on a disabled button is lost",
        "      o.disconnect(); window.benchTimes.clicked = performance.now(); start.click();",
        "    }",
        "  });",
        "  o.observe(document, { attributes: true, subtree: true, childList: true });   // documentElement may not exist yet",
        "}");

    /** The first-step split as one line, on the page's clock (the worker's boot marks moved onto it). */
    static final String SPLIT = String.join("\n",
        "const t = window.benchTimes, nav = performance.getEntriesByType('navigation')[0] || {}, r = x => Math.round(x);",
        "const names = performance.getEntriesByType('resource').find(e => e.name.endsWith('/data/names.txt'));",
        "const b = t.boot || {}, onPage = x => b.timeOrigin + x - performance.timeOrigin;",
        "const parts = [['HTML', nav.responseEnd], ['scripts run', nav.domContentLoadedEventEnd], ['worker created', t.worker],",
        "  ['worker script', onPage(b.started)], ['runtime', onPage(b.runtime)], ['kernels.wasm', onPage(b.kernels)], ['names.txt in worker', onPage(b.names)],",
        "  ['worker compiled', onPage(b.compiled)], ['main', onPage(b.main)], ['ready', t.ready],",
        "  ['names.txt on page', names && names.startTime, names && names.responseEnd], ['words sent', t.dataSent],",
        "  ['dataset built', t.dataset], ['Start clicked', t.clicked], ['first step', window.teagradState.firstStepAt]];",
        "return parts.filter(p => Number.isFinite(p[1])).map(p => p[0] + ' ' + r(p[1]) + (p.length > 2 && Number.isFinite(p[2]) ? '-' + r(p[2]) : '')).join(', ');");

    private static String run(String origin, String engine, double seconds) throws Exception {
        String query = "engine=" + engine.replace("-float", "") + (engine.endsWith("-float") ? "&simd=off" : "");
        long bytes = learnersBytes(origin, query);
        BrowserAccess.Session s = BrowserAccess.open(origin);
        ChromeDriver driver = s.driver();
        try {
            // Before any page script: a handle on the worker, for the bench-only 'views' message, and the moments of the first-step split.
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", BOOT_WATCH));
            JavascriptExecutor js = driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
            // ?bench: the timing hooks; &benchstart: Start clicked the moment the page says ready (BOOT_WATCH), no polling delay
            driver.get(origin + "/?" + query + "&bench&benchstart#steps=200000&every=5000&seed=42");
            wait.until(d -> js.executeScript("return window.teagradState.firstStepAt === undefined ? null : 1") != null);
            double firstStepMs = ((Number) js.executeScript("return window.teagradState.firstStepAt")).doubleValue();
            String split = (String) js.executeScript(SPLIT);
            Thread.sleep(3000);   // warm-up: the JIT tiers of V8
            double t0 = now(js), s0 = step(js);
            Thread.sleep((long) (seconds * 1000));
            double t1 = now(js), s1 = step(js);
            driver.findElement(By.id("pause")).click();
            wait.until(d -> Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
            double rate = (s1 - s0) / ((t1 - t0) / 1000);
            // The yardstick, in the same worker, now that training is paused.
            double baseline = ((Number) js.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; window.teagradBaseline(3000).then(done);")).doubleValue();
            @SuppressWarnings("unchecked")
            List<Number> devMs = (List<Number>) js.executeScript("return window.teagradState.devMs || []");
            double dev = devMs.stream().mapToDouble(Number::doubleValue).sorted().skip(devMs.size() / 2).findFirst().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "%-10s worker: %,7.0f steps/s (%.3f ms/step, chart live)   naive baseline %,6.0f steps/s   ratio %.2f x   SIMD %s%n",
                engine, rate, 1000 / rate, baseline, rate / baseline, js.executeScript("return window.teagradState.simd === true"));
            System.out.printf(Locale.ROOT, "     dev-split eval %.1f ms (median of %d)   navigation to first step %.0f ms   %,d bytes besides names.txt%n",
                dev, devMs.size(), firstStepMs, bytes);
            System.out.println("     first step, ms after navigation: " + split);
            String profile = (String) js.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; window.teagradProfile(1000).then(done);");
            System.out.print(profile.replaceAll("(?m)^", "     "));

            // The lecture's deep network (5 x 100 with batch norm), against the same baseline.
            // Picked with its button, as a learner does (a #preset= link works too: DiagnosticsPageTest).
            openBench(driver, wait, origin + "/?" + query + "&bench#steps=10000000&every=10000000&seed=42");
            driver.findElement(By.cssSelector("button.preset[data-preset='deep-batchnorm']")).click();
            wait.until(d -> String.valueOf(js.executeScript("return location.hash")).contains("preset=deep-batchnorm")
                && ((Number) js.executeScript("return (document.getElementById('net-layers').textContent.match(/Linear/g) || []).length")).intValue() >= 6);
            double deep = trainFor(driver, wait, js, seconds);
            System.out.printf(Locale.ROOT, "     deep-batchnorm (5 x 100 + batch norm): %,7.0f steps/s (%.3f ms/step)   ratio %.2f x the baseline above%n",
                deep, 1000 / deep, deep / baseline);

            // The diagnostics views' cost: the default network with them live, and with the worker told
            // to stop sending them (so the page draws none), in alternating rounds of the same page.
            String views = "";
            if (engine.equals("wasm")) {
                openBench(driver, wait, origin + "/?" + query + "&bench#steps=10000000&every=10000000&seed=42");
                driver.findElement(By.id("start")).click();
                Thread.sleep(3000);
                int rounds = 3;
                double[] live = new double[rounds], off = new double[rounds], ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    live[r] = rateOver(js, seconds / 4, true);
                    off[r] = rateOver(js, seconds / 4, false);
                    ratios[r] = live[r] / off[r];
                }
                java.util.Arrays.sort(ratios);
                double median = ratios[rounds / 2];
                System.out.printf(Locale.ROOT, "     views live vs not drawn, %d alternating rounds of %.0f s: live %s, off %s steps/s; live/off median %.3f%n",
                    rounds, seconds / 4, fmt(live), fmt(off), median);
                views = String.format(Locale.ROOT, ", \"viewsLiveOverOff\": %.3f", median);
                views += statsOverhead(js, seconds / 4, rounds);
            }
            return String.format(Locale.ROOT,
                "{\"runtime\": \"%s\", \"stepsPerSecond\": %.1f, \"baselineStepsPerSecond\": %.1f, \"ratio\": %.3f, \"devEvalMs\": %.2f, \"firstStepMs\": %.0f, \"firstStepSplit\": \"%s\", \"bytesBeforeData\": %d, \"deepStepsPerSecond\": %.1f, \"deepRatio\": %.3f%s}",
                engine, rate, baseline, rate / baseline, dev, firstStepMs, split, bytes, deep, deep / baseline, views);
        } finally {
            s.close();
        }
    }

    /** What a learner's page (without ?bench, so with the product's worker) downloads besides names.txt, uncompressed, in a browser of its own. */
    private static long learnersBytes(String origin, String query) throws Exception {
        try (BrowserAccess.Session s = BrowserAccess.open(origin)) {
            s.driver().get(origin + "/?" + query);
            new WebDriverWait(s.driver(), Duration.ofSeconds(120))
                .until(d -> "1".equals(((JavascriptExecutor) d).executeScript("return document.body.dataset.ready || null")));
            return s.bytesBefore("/data/names.txt");
        }
    }

    /** Opens the page with bench/'s worker handle (window.benchWorker) and waits until it is ready. */
    private static void openBench(ChromeDriver driver, WebDriverWait wait, String url) {
        driver.get("about:blank");   // a new page and worker, not a hash change on the old one
        driver.get(url);
        wait.until(d -> "1".equals(((JavascriptExecutor) d).executeScript("return document.body.dataset.ready || null")));
    }

    /** Starts training, warms up 3 s, returns the steps/s over the next {@code seconds}, pauses. */
    private static double trainFor(ChromeDriver driver, WebDriverWait wait, JavascriptExecutor js, double seconds) throws InterruptedException {
        driver.findElement(By.id("start")).click();
        Thread.sleep(3000);
        double t0 = now(js), s0 = step(js);
        Thread.sleep((long) (seconds * 1000));
        double t1 = now(js), s1 = step(js);
        driver.findElement(By.id("pause")).click();
        wait.until(d -> Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
        return (s1 - s0) / ((t1 - t0) / 1000);
    }

    /**
     * The batch-norm statistics panel's cost (issue 16: at most 5 %): steps/s with the panel on screen,
     * where it asks for a unit's statistics four times a second and the dev loss four ways within its
     * budget, against steps/s with it scrolled away (it asks nothing), in alternating rounds while the
     * same run trains. Each round on screen starts after the panel's first dev-loss answer (a look at
     * the panel costs one evalmodes first: its ms is printed). Returns the JSON fields.
     */
    private static String statsOverhead(JavascriptExecutor js, double seconds, int rounds) throws InterruptedException {
        js.executeScript("window.benchWorker.postMessage({type: 'views', live: true})");
        double[] on = new double[rounds], away = new double[rounds], ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double answered = ((Number) js.executeScript("return window.teagradBatchNorm.evalReplies")).doubleValue();
            js.executeScript("document.getElementById('bn-stats').scrollIntoView()");
            for (int i = 0; i < 200 && ((Number) js.executeScript("return window.teagradBatchNorm.evalReplies")).doubleValue() <= answered; i++) Thread.sleep(50);
            on[r] = rateAfterSettling(js, seconds);
            js.executeScript("document.getElementById('live').scrollTop = 0; window.scrollTo(0, 0)");
            away[r] = rateAfterSettling(js, seconds);
            ratios[r] = on[r] / away[r];
        }
        java.util.Arrays.sort(ratios);
        double overhead = 1 - ratios[rounds / 2];
        double evalMs = ((Number) js.executeScript("return window.teagradBatchNorm.evalModes ? window.teagradBatchNorm.evalModes.ms : NaN")).doubleValue();
        System.out.printf(Locale.ROOT, "     batch-norm statistics panel on screen vs away, %d alternating rounds of %.0f s: on %s, away %s steps/s;"
            + " statsOverhead %.1f%% (median); dev loss four ways %.0f ms, %d statistics answers%n",
            rounds, seconds, fmt(on), fmt(away), 100 * overhead, evalMs,
            ((Number) js.executeScript("return window.teagradBatchNorm.replies")).intValue());
        return String.format(Locale.ROOT, ", \"statsOverhead\": %.4f, \"evalModesMs\": %.1f", overhead, evalMs);
    }

    /** Steps/s over {@code seconds}, 1 s after the page changed what it shows. */
    private static double rateAfterSettling(JavascriptExecutor js, double seconds) throws InterruptedException {
        Thread.sleep(1000);
        double t0 = now(js), s0 = step(js);
        Thread.sleep((long) (seconds * 1000));
        return (step(js) - s0) / ((now(js) - t0) / 1000);
    }

    /** Steps/s over {@code seconds} with the diagnostics views live or not (1 s to settle first). */
    private static double rateOver(JavascriptExecutor js, double seconds, boolean live) throws InterruptedException {
        js.executeScript("window.benchWorker.postMessage({type: 'views', live: arguments[0]})", live);
        Thread.sleep(1000);
        double t0 = now(js), s0 = step(js);
        Thread.sleep((long) (seconds * 1000));
        return (step(js) - s0) / ((now(js) - t0) / 1000);
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(b.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f", x));
        return b.toString();
    }

    private static double now(JavascriptExecutor js) {
        return ((Number) js.executeScript("return performance.now()")).doubleValue();
    }

    private static double step(JavascriptExecutor js) {
        return ((Number) js.executeScript("return window.teagradState.step")).doubleValue();
    }
}
