package teagrad.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.TestData;
import teagrad.cli.LoopbackServer;
import teagrad.cli.ServeCommand;
import teagrad.web.BrowserAccess;

/**
 * bench/run's parallel half (a program, not a test): the page's worker pool, measured in headless
 * Chromium. Each round starts N of the product's WASM workers in one page, each training its own
 * run of the default network (seeds 42, 43, …), and counts the steps all of them take together
 * over the same seconds: N = 1 and 2 in alternating rounds (one invocation, so the ratio shares
 * the machine's load), then navigator.hardwareConcurrency. Then memory: five workers train the
 * default network's 200,000 steps each, and the browser's memory (the private memory of all of
 * Chromium's processes: JavaScript and WASM GC heaps, typed arrays, compiled code; shared
 * libraries left out, as other browsers on the machine share them) is read before and while they run. The load average is printed beside each figure: other programs on a
 * shared machine take cores from the workers.
 *
 * <p>Usage: ParallelBench [seconds per measurement, default 20; 0 skips the speeds] [steps of the memory runs, default 200000; 0 skips]
 */
public final class ParallelBench {
    /** In the page: starts n workers (the product's WASM worker), each training its own run; window.pool holds them. */
    private static final String START = """
        const [n, steps, done] = arguments;
        (async () => {
          const text = await (await fetch('/data/names.txt')).text();
          window.pool = [];
          for (let i = 0; i < n; i++) {
            const run = { step: 0, done: false, error: null, worker: new Worker('worker-wasm.js') };
            window.pool.push(run);
            await new Promise(resolve => {
              run.worker.onmessage = e => {
                const m = e.data;
                if (m.type === 'ready') {
                  run.worker.postMessage({ type: 'data', text });
                  run.worker.postMessage({ type: 'configure', config: { steps, evalEvery: 5000, seed: 42 + i } });
                  run.worker.postMessage({ type: 'start' });
                  resolve();
                } else if (m.type === 'progress') run.step = m.step;
                else if (m.type === 'done') run.done = true;
                else if (m.type === 'error') { run.error = m.message; resolve(); }
              };
            });
          }
          done(window.pool.map(r => r.error).filter(Boolean).join('; '));
        })().catch(e => done(String(e)));
        """;

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        int memorySteps = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        LoopbackServer server = ServeCommand.start(0, Path.of("target", "classes", "webapp"), TestData.namesFile());
        String origin = "http://127.0.0.1:" + server.port();
        try (BrowserAccess.Session s = BrowserAccess.open(origin)) {
            ChromeDriver driver = s.driver();
            JavascriptExecutor js = driver;
            driver.manage().timeouts().scriptTimeout(Duration.ofMinutes(5));
            driver.get(origin + "/?engine=wasm");   // the page's own worker stays idle: nothing is started in it
            new WebDriverWait(driver, Duration.ofSeconds(120)).until(d -> "1".equals(js.executeScript("return document.body.dataset.ready || null")));
            int cores = ((Number) js.executeScript("return navigator.hardwareConcurrency")).intValue();

            int rounds = seconds > 0 ? 3 : 0;
            double[] one = new double[rounds], two = new double[rounds], ratios = new double[rounds];
            double[] load = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                load[r] = loadAverage();
                one[r] = rate(js, 1, seconds);
                two[r] = rate(js, 2, seconds);
                ratios[r] = two[r] / one[r];
                System.out.printf(Locale.ROOT, "round %d (load average %.2f at its start): 1 worker %,.0f steps/s, 2 workers %,.0f steps/s together: %.2f x%n",
                    r + 1, load[r], one[r], two[r], ratios[r]);
            }
            double all = rounds == 0 ? Double.NaN : cores == 2 ? median(two) : rate(js, cores, seconds);
            double ratio = median(ratios);
            if (rounds > 0) System.out.printf(Locale.ROOT, "wasm parallel: 2 workers %.2f x one worker (median of %d rounds; load average %s); %d workers (hardwareConcurrency) %,.0f steps/s%n",
                ratio, rounds, fmt(load), cores, all);

            String memory = "";
            if (memorySteps > 0) memory = memory(driver, js, memorySteps);
            System.out.printf(Locale.ROOT, "{\"parallel\": \"wasm\", \"parallelWorkers\": %d, \"parallelStepsPerSecond\": %.1f, \"oneWorkerStepsPerSecond\": %.1f, "
                    + "\"twoWorkersStepsPerSecond\": %.1f, \"twoOverOne\": %.3f, \"loadAverage\": %.2f%s}%n",
                cores, all, median(one), median(two), ratio, median(load), memory);
        } finally {
            server.close();
        }
    }

    /** Steps/s of n workers together: start them, 3 s of warm-up (V8's tiers), then count over the seconds. */
    private static double rate(JavascriptExecutor js, int n, double seconds) throws InterruptedException {
        String error = (String) js.executeAsyncScript(START, n, 10_000_000);
        if (!error.isEmpty()) throw new IllegalStateException("a worker failed: " + error);
        Thread.sleep(3000);
        double t0 = now(js), s0 = steps(js);
        Thread.sleep((long) (seconds * 1000));
        double rate = (steps(js) - s0) / ((now(js) - t0) / 1000);
        stop(js);
        return rate;
    }

    /**
     * Five runs of {@code steps} in parallel: Chromium's memory before they start, then every 10 s
     * until all have finished; returns the JSON fields.
     */
    private static String memory(ChromeDriver driver, JavascriptExecutor js, int steps) throws Exception {
        System.gc();
        Thread.sleep(2000);
        long before = chromiumPrivate();
        String error = (String) js.executeAsyncScript(START, 5, steps);
        if (!error.isEmpty()) throw new IllegalStateException("a worker failed: " + error);
        long peak = 0;
        long start = System.nanoTime();
        while (!Boolean.TRUE.equals(js.executeScript("return window.pool.every(r => r.done || r.error)"))) {
            Thread.sleep(10_000);
            long now = chromiumPrivate();
            peak = Math.max(peak, now);
            System.out.printf(Locale.ROOT, "  memory: %.0f s, steps %s, Chromium %.1f MB (%.1f MB more than before the runs), load average %.2f%n",
                (System.nanoTime() - start) / 1e9, js.executeScript("return window.pool.map(r => r.step).join(' / ')"),
                now / 1e6, (now - before) / 1e6, loadAverage());
        }
        long end = chromiumPrivate();
        Object errors = js.executeScript("return window.pool.map(r => r.error).filter(Boolean).join('; ')");
        stop(js);
        System.out.printf(Locale.ROOT, "memory of 5 parallel runs of %,d steps: Chromium %.1f MB before them, %.1f MB at the end, peak %.1f MB: the runs took %.1f MB (peak %.1f MB)%s%n",
            steps, before / 1e6, end / 1e6, Math.max(peak, end) / 1e6, (end - before) / 1e6, (Math.max(peak, end) - before) / 1e6,
            String.valueOf(errors).isEmpty() ? "" : "; errors: " + errors);
        return String.format(Locale.ROOT, ", \"memoryRuns\": 5, \"memorySteps\": %d, \"memoryBeforeMB\": %.1f, \"memoryEndMB\": %.1f, \"memoryPeakMB\": %.1f",
            steps, before / 1e6, end / 1e6, Math.max(peak, end) / 1e6);
    }

    private static void stop(JavascriptExecutor js) throws InterruptedException {
        js.executeScript("for (const r of window.pool) r.worker.terminate(); window.pool = [];");
        Thread.sleep(1000);
    }

    private static double steps(JavascriptExecutor js) {
        return ((Number) js.executeScript("return window.pool.reduce((s, r) => s + r.step, 0)")).doubleValue();
    }

    private static double now(JavascriptExecutor js) {
        return ((Number) js.executeScript("return performance.now()")).doubleValue();
    }

    /** Private memory (Private_Clean + Private_Dirty: pages no other process maps) of every Chromium process this program started, in bytes. */
    static long chromiumPrivate() {
        List<ProcessHandle> browser = new ArrayList<>();
        ProcessHandle.current().descendants()
            .filter(p -> p.info().command().map(c -> c.contains("chrom") && !c.contains("chromedriver")).orElse(false))
            .forEach(browser::add);
        long total = 0;
        for (ProcessHandle p : browser) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "smaps_rollup"))) {
                    if (line.startsWith("Private_")) total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            } catch (IOException e) {
                // the process ended meanwhile
            }
        }
        return total;
    }

    /** The 1-minute load average. */
    static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(b.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.2f", x));
        return b.toString();
    }
}
