package teagrad.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.TestData;
import teagrad.cli.LoopbackServer;
import teagrad.cli.ServeCommand;
import teagrad.web.BrowserAccess;

/**
 * bench/profile's browser half (a program, not a test): the WASM worker's {@link StepProfile}
 * and its sustained training steps/s, for one or more builds of the page served side by side
 * (e.g. main's and this branch's), in alternating rounds of the same run, so that a change is
 * read as a ratio on a shared machine.
 *
 * <p>Usage: BrowserProfile rounds seconds label=webappDir [label=webappDir …]
 */
public final class BrowserProfile {
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        List<String> labels = new ArrayList<>();
        List<LoopbackServer> servers = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            labels.add(kv[0]);
            servers.add(ServeCommand.start(0, Path.of(kv[1]), TestData.namesFile()));
        }
        double[][] rates = new double[labels.size()][rounds];
        try {
            for (int r = 0; r < rounds; r++) {
                for (int b = 0; b < labels.size(); b++) {
                    String origin = "http://127.0.0.1:" + servers.get(b).port();
                    try (BrowserAccess.Session s = BrowserAccess.open(origin)) {
                        ChromeDriver driver = s.driver();
                        JavascriptExecutor js = driver;
                        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
                        driver.get(origin + "/?engine=wasm&bench#steps=10000000&every=10000000&seed=42");
                        wait.until(d -> "1".equals(js.executeScript("return document.body.dataset.ready || null")));
                        driver.findElement(By.id("start")).click();
                        Thread.sleep(2000);
                        double t0 = now(js), s0 = step(js);
                        Thread.sleep((long) (seconds * 1000));
                        rates[b][r] = (step(js) - s0) / ((now(js) - t0) / 1000);
                        driver.findElement(By.id("pause")).click();
                        wait.until(d -> Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
                        String profile = (String) js.executeAsyncScript(
                            "const done = arguments[arguments.length - 1]; window.teagradProfile(1000).then(done);");
                        System.out.printf(Locale.ROOT, "== %s, round %d: %,.0f steps/s training%n%s", labels.get(b), r + 1, rates[b][r], profile);
                    }
                }
            }
        } finally {
            for (LoopbackServer s : servers) s.close();
        }
        for (int b = 0; b < labels.size(); b++) {
            double[] v = rates[b].clone();
            java.util.Arrays.sort(v);
            System.out.printf(Locale.ROOT, "%-8s training steps/s, median of %d: %,.0f   (rounds %s)%n", labels.get(b), rounds, v[rounds / 2], java.util.Arrays.toString(rates[b]));
        }
    }

    private static double now(JavascriptExecutor js) {
        return ((Number) js.executeScript("return performance.now()")).doubleValue();
    }

    private static double step(JavascriptExecutor js) {
        return ((Number) js.executeScript("return window.teagradState.step")).doubleValue();
    }
}
