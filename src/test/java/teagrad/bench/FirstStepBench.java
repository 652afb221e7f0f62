package teagrad.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * bench/first-step's program (not a test): navigation to the first training step, measured as
 * {@link BrowserBench} does (a fresh browser, so an empty cache; Start clicked by BOOT_WATCH the
 * moment the page is ready), in alternating rounds of one or more builds of the page, so that two
 * builds compare on the same machine at the same load (after one load that is not counted: a
 * process's first browser launch is much slower). Per page load it prints firstStepMs and its
 * split; at the end the median, min and max per build.
 *
 * <p>Usage: FirstStepBench rounds engine webappDir [webappDir …] (engine: wasm or js)
 */
public final class FirstStepBench {
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        String engine = args[1];
        List<LoopbackServer> servers = new ArrayList<>();
        List<List<Double>> times = new ArrayList<>();
        try {
            for (int i = 2; i < args.length; i++) {
                servers.add(ServeCommand.start(0, Path.of(args[i]), TestData.namesFile()));
                times.add(new ArrayList<>());
            }
            once("http://127.0.0.1:" + servers.get(0).port(), engine);   // not counted: the first browser launch of a process is slow
            for (int r = 0; r < rounds; r++) {
                for (int b = 0; b < servers.size(); b++) {
                    String origin = "http://127.0.0.1:" + servers.get(b).port();
                    String[] result = once(origin, engine);
                    times.get(b).add(Double.parseDouble(result[0]));
                    System.out.printf(Locale.ROOT, "round %d  %-28s firstStepMs %5s   %s%n", r + 1, args[b + 2], result[0], result[1]);
                }
            }
        } finally {
            for (LoopbackServer s : servers) s.close();
        }
        for (int b = 0; b < servers.size(); b++) {
            List<Double> t = new ArrayList<>(times.get(b));
            t.sort(null);
            System.out.printf(Locale.ROOT, "%-28s firstStepMs median %.0f  min %.0f  max %.0f  (%d loads)%n",
                args[b + 2], t.get(t.size() / 2), t.get(0), t.get(t.size() - 1), t.size());
        }
    }

    /** One fresh browser: {firstStepMs, split}. */
    static String[] once(String origin, String engine) throws Exception {
        BrowserAccess.Session s = BrowserAccess.open(origin);
        ChromeDriver driver = s.driver();
        try {
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", BrowserBench.BOOT_WATCH));
            JavascriptExecutor js = driver;
            driver.get(origin + "/?engine=" + engine + "&bench&benchstart#steps=200000&every=5000&seed=42");
            new WebDriverWait(driver, Duration.ofSeconds(120))
                .until(d -> js.executeScript("return window.teagradState.firstStepAt === undefined ? null : 1") != null);
            double ms = ((Number) js.executeScript("return window.teagradState.firstStepAt")).doubleValue();
            return new String[] {String.format(Locale.ROOT, "%.0f", ms), (String) js.executeScript(BrowserBench.SPLIT)};
        } finally {
            s.close();
        }
    }
}
