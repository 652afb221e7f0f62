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
 * A/B of builds in the browser (a program, not a test): for one or more builds of the page served
 * side by side (e.g. main's and this branch's), in alternating rounds of the same run, each in a
 * fresh browser (empty cache): navigation to the first step (Start clicked the moment the page is
 * ready) with its split, the WASM worker's sustained training steps/s and its {@link StepProfile},
 * so that a change is read as a ratio on a shared machine.
 *
 * <p>Usage: BrowserProfile rounds seconds label=webappDir [label=webappDir …]; {@code -Dpreset=deep-batchnorm}
 * trains and profiles that preset's network instead of the default one, {@code -Dengine=js} the JavaScript worker.
 */
public final class BrowserProfile {
    private static final String PRESET = System.getProperty("preset") == null ? "" : "&preset=" + System.getProperty("preset");
    private static final String ENGINE = System.getProperty("engine", "wasm");

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
        double[][] rates = new double[labels.size()][rounds], first = new double[labels.size()][rounds];
        try {
            for (int r = 0; r < rounds; r++) {
                for (int b = 0; b < labels.size(); b++) {
                    String origin = "http://127.0.0.1:" + servers.get(b).port();
                    try (BrowserAccess.Session s = BrowserAccess.open(origin)) {
                        ChromeDriver driver = s.driver();
                        JavascriptExecutor js = driver;
                        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
                        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(180));   // the profile, on a loaded machine
                        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", BrowserBench.BOOT_WATCH));
                        driver.get(origin + "/?engine=" + ENGINE + "&bench&benchstart#steps=10000000&every=10000000&seed=42" + PRESET);
                        wait.until(d -> js.executeScript("return window.teagradState.firstStepAt === undefined ? null : 1") != null);
                        first[b][r] = ((Number) js.executeScript("return window.teagradState.firstStepAt")).doubleValue();
                        String split = (String) js.executeScript(BrowserBench.SPLIT);
                        Thread.sleep(2000);
                        double t0 = now(js), s0 = step(js);
                        Thread.sleep((long) (seconds * 1000));
                        rates[b][r] = (step(js) - s0) / ((now(js) - t0) / 1000);
                        driver.findElement(By.id("pause")).click();
                        wait.until(d -> Boolean.FALSE.equals(js.executeScript("return window.teagradState.running")));
                        String profile = (String) js.executeAsyncScript(
                            "const done = arguments[arguments.length - 1]; window.teagradProfile(300).then(done);");
                        System.out.printf(Locale.ROOT, "== %s, round %d: %,.0f steps/s training; first step %.0f ms: %s%n%s", labels.get(b), r + 1, rates[b][r], first[b][r], split, profile);
                    }
                }
            }
        } finally {
            for (LoopbackServer s : servers) s.close();
        }
        for (int b = 0; b < labels.size(); b++) {
            double[] v = rates[b].clone();
            java.util.Arrays.sort(v);
            double[] f = first[b].clone();
            java.util.Arrays.sort(f);
            System.out.printf(Locale.ROOT, "%-8s training steps/s, median of %d: %,.0f   (rounds %s); first step median %.0f ms %s%n",
                labels.get(b), rounds, v[rounds / 2], java.util.Arrays.toString(rates[b]), f[rounds / 2], java.util.Arrays.toString(first[b]));
        }
    }

    private static double now(JavascriptExecutor js) {
        return ((Number) js.executeScript("return performance.now()")).doubleValue();
    }

    private static double step(JavascriptExecutor js) {
        return ((Number) js.executeScript("return window.teagradState.step")).doubleValue();
    }
}
