package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import teagrad.TestData;
import teagrad.experiments.RunSummary;
import teagrad.model.Config;
import teagrad.model.Presets;

/**
 * The experiments section in Chromium, used as a learner does (buttons by their text): the loss log
 * on a short schedule gives, row for row, the numbers of the CLI's {@code train --preset NAME
 * --steps 1000 --seed 42}, bit for bit; the gain sweep and the learning-rate finder draw, and the
 * finder's suggestion on the chapter's network lies between 0.01 and 1 and is one click from use;
 * the embedding view draws every character.
 */
class ExperimentsPageTest extends PageTest {
    static ChromeDriver open(WebDriverWait[] wait) {
        ChromeDriver driver = Browser.start();
        wait[0] = new WebDriverWait(driver, Duration.ofSeconds(600));
        openReady(driver, wait[0], "/?engine=wasm");
        return driver;
    }

    static void click(ChromeDriver driver, String text) {
        driver.findElement(By.xpath("//button[normalize-space()='" + text + "']")).click();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> state(JavascriptExecutor js, String part) {
        return (Map<String, Object>) js.executeScript("return window.teagradExperiments." + part);
    }

    @Test
    void theLossLogWithAShortScheduleIsTheClisPresetRunsBitForBit() {
        WebDriverWait[] wait = new WebDriverWait[1];
        ChromeDriver driver = open(wait);
        try {
            new Select(driver.findElement(By.id("exp-steps"))).selectByValue("1000");
            click(driver, "Run the whole loss log");
            wait[0].until(d -> Boolean.TRUE.equals(driver.executeScript(
                "const l = window.teagradExperiments.lossLog; return ['naive-init', 'small-logits', 'no-saturation', 'kaiming', 'batchnorm'].every(p => l[p])")));
            Map<String, Object> rows = state(driver, "lossLog");
            for (String preset : List.of("naive-init", "small-logits", "no-saturation", "kaiming", "batchnorm")) {
                Config c = new Config();
                c.steps = 1000;
                c = Presets.apply(preset, c);
                RunSummary jvm = RunSummary.train(preset, c, TestData.names(), false, false);
                @SuppressWarnings("unchecked") Map<String, Object> row = (Map<String, Object>) rows.get(preset);
                assertEquals(jvm.firstLoss(), ((Number) row.get("firstLoss")).floatValue(), preset + " first loss");
                assertEquals(jvm.train(), ((Number) row.get("train")).doubleValue(), preset + " train");
                assertEquals(jvm.val(), ((Number) row.get("val")).doubleValue(), preset + " val");
                assertEquals(jvm.test(), ((Number) row.get("test")).doubleValue(), preset + " test");
                String shown = driver.findElement(By.cssSelector("#exp-row-" + preset + " .exp-val")).getText();
                assertEquals(String.format(java.util.Locale.ROOT, "%.4f", jvm.val()), shown, preset + " in the table");
            }
            assertTrue(((Number) driver.executeScript("return Number(document.getElementById('exp-curves').dataset.points)")).intValue() > 0,
                "the curves are overlaid");
        } finally {
            driver.quit();
        }
    }

    @Test
    void theGainSweepAndTheLearningRateFinderDrawAndTheSuggestionIsOneClickFromUse() {
        WebDriverWait[] wait = new WebDriverWait[1];
        ChromeDriver driver = open(wait);
        JavascriptExecutor js = driver;
        try {
            click(driver, "Find the learning rate");
            wait[0].until(d -> js.executeScript("return window.teagradExperiments.lrFind") != null);
            double suggestion = ((Number) state(js, "lrFind").get("suggestion")).doubleValue();
            assertTrue(suggestion >= 0.01 && suggestion <= 1, "suggestion on the chapter's net: " + suggestion);
            assertTrue(points(js, "exp-lr") >= 2000, "the batch loss and the smoothed curve, 1,000 points each: " + points(js, "exp-lr"));
            driver.findElement(By.id("exp-use-lr")).click();
            double lr = Double.parseDouble(driver.findElement(By.id("cfg-lr")).getAttribute("value"));
            assertEquals(suggestion, lr, suggestion * 0.05, "the panel's learning rate is the suggestion (2 digits)");

            new Select(driver.findElement(By.id("exp-steps"))).selectByValue("1000");
            click(driver, "Gain sweep");
            wait[0].until(d -> ((Number) js.executeScript("return Object.keys(window.teagradExperiments.gainSweep).length")).intValue() == 10);
            assertEquals(20, points(js, "exp-gain-loss"), "final and step-1,000 loss, 5 gains, with and without batch norm");
            assertEquals(20, points(js, "exp-gain-saturation"), "saturation at init and at the end, 5 gains, with and without batch norm");
            @SuppressWarnings("unchecked") Map<String, Map<String, Object>> sweep = (Map<String, Map<String, Object>>) (Object) state(js, "gainSweep");
            double sat3 = ((Number) sweep.get("plain-3").get("saturationStart")).doubleValue(), sat1 = ((Number) sweep.get("plain-1").get("saturationStart")).doubleValue();
            assertTrue(sat3 > sat1, "gain 3 saturates the deep net's tanh more than gain 1 at init: " + sat3 + " vs " + sat1);
        } finally {
            driver.quit();
        }
    }

    @Test
    void theEmbeddingViewDrawsEveryCharacterOfThePanelsRun() {
        WebDriverWait[] wait = new WebDriverWait[1];
        ChromeDriver driver = open(wait);
        JavascriptExecutor js = driver;
        try {
            wait[0].until(d -> js.executeScript("return window.teagradExperiments.plane") != null);
            assertEquals(Boolean.TRUE, state(js, "plane").get("projected"), "embedding size 10: two principal components");
            driver.findElement(By.cssSelector("button.preset[data-preset='embed2']")).click();
            wait[0].until(d -> Boolean.FALSE.equals(js.executeScript("return window.teagradExperiments.plane.projected")));
            assertEquals(27, points(js, "exp-plane"), "a point per character of names.txt's vocabulary");
        } finally {
            driver.quit();
        }
    }

    /**
     * The embedding view far down the chapter is drawn when it comes into sight, not at start and on every
     * message before that (long tasks for a picture nobody sees); its data-points says at once what it holds.
     */
    @Test
    void theEmbeddingViewIsDrawnWhenItComesIntoSight() throws Exception {
        WebDriverWait[] wait = new WebDriverWait[1];
        ChromeDriver driver = open(wait);
        JavascriptExecutor js = driver;
        try {
            wait[0].until(d -> js.executeScript("return window.teagradExperiments.plane") != null);
            Thread.sleep(300);   // diagnostics keep coming: each would have drawn it
            assertEquals(27, points(js, "exp-plane"), "what it holds is known before it is drawn");
            assertEquals(0L, inked(js), "out of sight: not drawn");
            js.executeScript("document.getElementById('exp-plane').scrollIntoView({ block: 'center' })");
            wait[0].until(d -> inked(js) > 0);
        } finally {
            driver.quit();
        }
    }

    /** How many of the embedding view's pixels have any ink. */
    static long inked(JavascriptExecutor js) {
        return ((Number) js.executeScript("const c = document.getElementById('exp-plane');"
            + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
            + " for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n;")).longValue();
    }

    static int points(JavascriptExecutor js, String canvas) {
        return ((Number) js.executeScript("return Number(document.getElementById(arguments[0]).dataset.points)", canvas)).intValue();
    }
}
