package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The loss curve and its chart, in the page's own modules (curve.js, chart.js, store.js) in Chromium:
 * a NaN gap is never bridged by a line; the bounded-memory curve answers what the chart asks (per
 * column min/max, moving means) as a full-resolution one does; 10 M steps fed to the curve, the chart
 * and the store stay under the page's memory figure, typed arrays counted.
 */
class CurveTest extends PageTest {
    ChromeDriver driver;
    JavascriptExecutor js;


    @BeforeEach
    void open() {
        driver = Browser.start();
        js = driver;
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(300));
        openReady(driver, new WebDriverWait(driver, Duration.ofSeconds(60)), "/?engine=js");
    }

    @AfterEach
    void close() {
        if (driver != null) driver.quit();
    }

    /** Steps 1..n with 40% to 60% NaN (an imported model's missing steps), drawn 600 × 300: the x-span of every line of the curve (its batch losses and their mean). */
    @ParameterizedTest(name = "{0} steps")
    @ValueSource(ints = {300, 20000})
    void aNanGapIsNeverBridged(int n) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) Browser.inPage(js,
            "const { LossChart } = await page('chart.js'), { Curve } = await page('curve.js');"
                + "const n = args[0], from = Math.floor(n * 0.4), to = Math.floor(n * 0.6);"
                + "const canvas = document.createElement('canvas'); document.body.append(canvas);"
                + "const chart = new LossChart(canvas), curve = new Curve();"
                + "curve.append(0, Float32Array.from({ length: n }, (_, i) => i >= from && i < to ? NaN : 2 + Math.sin(i / 50) / 4));"
                + "chart.show(curve, n); chart.sight = { w: 600, h: 300, seen: true, fit: (c, ctx) => { c.width = 600; c.height = 300; return { w: 600, h: 300, dpr: 1 }; } };"
                + "const lines = []; let at = null; const ctx = chart.ctx, move = ctx.moveTo.bind(ctx), line = ctx.lineTo.bind(ctx);"
                + "ctx.moveTo = (x, y) => { at = x; move(x, y); }; ctx.lineTo = (x, y) => { if (/^#1f5fbf$|^rgba\\(31, 95, 191/.test(ctx.strokeStyle)) lines.push([Math.min(at, x), Math.max(at, x)]); at = x; line(x, y); };"
                + "chart.draw();"
                + "const X = s => 50 + (s / n) * (600 - 50 - 18);"
                + "const mid = X((from + to) / 2);"   // a line of the curve over the middle of the gap bridges it
                + "return { lines: lines.length, bridging: lines.filter(([a, b]) => a < mid - 1 && b > mid + 1).length };", n);
        assertTrue(((Number) r.get("lines")).intValue() > 50, "the curve was drawn: " + r);
        assertEquals(0L, ((Number) r.get("bridging")).longValue(), "lines across the gap: " + r);
    }

    /**
     * 400,000 steps (past the recent window, so most of them only in buckets), with a NaN gap: for
     * columns of 64 steps and more (any plot up to 1,024 px wide) min/max are those of full
     * resolution exactly, and moving means over ≥ 1,000 steps within 1e-3 (in log10 of the loss: a
     * tenth of a pixel on the chart); the recent steps are kept exactly.
     */
    @Test
    void theBoundedCurveAnswersAsFullResolutionDoes() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) Browser.inPage(js,
            "const { Curve } = await page('curve.js');"
                + "let seed = 1; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;"
                + "const N = 400000, vals = new Float32Array(N); for (let i = 0; i < N; i++) vals[i] = i > 1000 && i < 1500 ? NaN : 2 + Math.sin(i / 5000) + rnd();"
                + "const c = new Curve(); for (let i = 0; i < N; i += 777) c.append(i, vals.subarray(i, i + 777));"
                + "const logs = Array.from(vals, v => v > 0 ? Math.log10(v) : NaN);"
                + "const full = (a, b) => { const k = Math.min(23, Math.floor(Math.log2(b - a)) - 2), S = 2 ** (k + 1); let lo = Infinity, hi = -Infinity;"
                + "  for (let i = Math.floor(a / S) * S; i < Math.min(N, (Math.floor((b - 1) / S) + 1) * S); i++) if (logs[i] === logs[i]) { lo = Math.min(lo, logs[i]); hi = Math.max(hi, logs[i]); } return [lo, hi]; };"
                + "const mean = (a, b) => { let s = 0, k = 0; for (let i = Math.max(0, a); i < b; i++) if (logs[i] === logs[i]) { s += logs[i]; k++; } return k ? s / k : NaN; };"
                + "let differ = 0, worst = 0;"
                + "for (let t = 0; t < 3000; t++) { const a = Math.floor(rnd() * N), b = Math.min(N, a + 64 + Math.floor(rnd() * 6000));"
                + "  const x = c.rangeMinMax(a, b), y = full(a, b); if (x[0] !== Math.fround(y[0]) && Math.abs(x[0] - y[0]) > 1e-6 || Math.abs(x[1] - y[1]) > 1e-6) differ++;"
                + "  const w = 1000 + Math.floor(rnd() * 3000), m = mean(b - w, b); if (m === m) worst = Math.max(worst, Math.abs(c.windowMean(b - w, b) - m)); }"
                + "const recent = c.losses(); let exact = recent.length > 65536; for (let i = 0; i < recent.length; i++) if (!Object.is(recent[i], vals[c.from + i])) exact = false;"
                + "return { differ, worst, exact, from: c.from };");
        assertEquals(0L, ((Number) r.get("differ")).longValue(), "column min/max that differ from full resolution: " + r);
        assertTrue(((Number) r.get("worst")).doubleValue() < 1e-3, "moving means: " + r);
        assertEquals(Boolean.TRUE, r.get("exact"), "the recent steps, bit for bit: " + r);
        assertTrue(((Number) r.get("from")).intValue() > 0, "older steps left the recent window: " + r);
    }

    /**
     * A run imported at step 9,999,000 (its earlier losses unknown) and trained on: the curve skips the
     * gap without pushing each of its steps, and then answers exactly as one that pushed 9,999,000
     * NaN one by one (min/max, moving means, the recent window).
     */
    @Test
    void aFarGapIsSkippedAsIfEveryStepWereNan() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) Browser.inPage(js,
            "const { Curve } = await page('curve.js');"
                + "const before = Float32Array.from({ length: 70000 }, (_, i) => 2 + Math.sin(i / 900) / 3), from = 9999000;"
                + "const after = Float32Array.from({ length: 150000 }, (_, i) => 1.8 + Math.cos(i / 700) / 4);"
                + "let seed = 3; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;"
                + "const fast = new Curve(); fast.append(0, before); let pushes = 0; const push = fast.push.bind(fast); fast.push = l => { pushes++; push(l); };"
                + "fast.append(from, after);"
                + "const slow = new Curve(); slow.append(0, before); while (slow.n < from) slow.push(NaN); slow.append(from, after);"
                + "let differ = 0; const N = fast.n;"
                + "for (let q = 0; q < 4000; q++) { const a = Math.floor(rnd() * N), b = Math.min(N, a + 64 + Math.floor(rnd() * 2e6));"
                + "  const x = fast.rangeMinMax(a, b), y = slow.rangeMinMax(a, b), m = fast.windowMean(a, b), n = slow.windowMean(a, b);"
                + "  if (!Object.is(x[0], y[0]) || !Object.is(x[1], y[1]) || !(Object.is(m, n) || Math.abs(m - n) < 1e-9)) differ++; }"
                + "const fl = fast.losses(), sl = slow.losses(); let recent = fast.from === slow.from && fl.length === sl.length && fl.length > 65536;"
                + "for (let i = 0; i < fl.length; i++) if (!Object.is(fl[i], sl[i])) recent = false;"
                + "return { differ, recent, n: fast.n, slowN: slow.n, pushes };");
        assertEquals(((Number) r.get("slowN")).longValue(), ((Number) r.get("n")).longValue(), "steps: " + r);
        assertEquals(0L, ((Number) r.get("differ")).longValue(), "ranges answered differently: " + r);
        assertEquals(Boolean.TRUE, r.get("recent"), "the recent losses, bit for bit: " + r);
        assertTrue(((Number) r.get("pushes")).longValue() < 500_000, "the gap skipped, not pushed step by step: " + r);
    }

    /**
     * 10 M synthetic steps fed to a run's curve, drawn by the chart and appended to the store in
     * chunks, as the page does for a run that long: the page's memory after garbage collection (the
     * JS heap plus array buffers' backing stores, from the DevTools protocol) grows by less than 35 MB
     * (measured: 29 MB, nearly all of it the curve's typed arrays: 1.75 bytes a step of their capacity).
     */
    @Test
    void tenMillionStepsStayUnderTheMemoryFigure() {
        try (LongRunTest.Cdp cdp = new LongRunTest.Cdp(driver)) {
            cdp.attachPage();
            double before = pageBytes(cdp);
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) Browser.inPage(js,
                "const { Curve } = await page('curve.js'), { LossChart } = await page('chart.js'), { RunStore, CHUNK } = await page('store.js');"
                    + "const curve = new Curve(), store = new RunStore(), chart = new LossChart(document.getElementById('chart'));"
                    + "chart.show(curve, 1e7); const slice = Float32Array.from({ length: CHUNK }, (_, i) => 2 + Math.sin(i / 100) / 4);"
                    + "const id = 'memory-test', rec = { id, status: 'paused', step: 0, json: '{}', savedAt: 0 };"
                    + "for (let s = 0, index = 0; s < 1e7; s += CHUNK, index++) {"
                    + "  curve.append(s, slice);"
                    + "  if (index % 32 === 31) { chart.invalidate(); await new Promise(r => requestAnimationFrame(r)); }"
                    + "  await store.save({ ...rec, step: s + CHUNK }, [{ index, losses: slice.slice() }]); }"
                    + "chart.invalidate(); await new Promise(r => requestAnimationFrame(r));"
                    + "window.kept10M = { curve, chart, store };"
                    + "const back = await store.curve(id, curve.n);"   // the store has every step
                    + "return { steps: curve.n, curveBytes: curve.bytes(), stored: back.length, last: back[back.length - 1] };");
            double after = pageBytes(cdp);
            System.out.printf(Locale.ROOT, "10 M steps: page memory %.1f MB before, %.1f MB after (+%.1f MB; the curve's typed arrays %.1f MB)%n",
                before / 1e6, after / 1e6, (after - before) / 1e6, ((Number) r.get("curveBytes")).doubleValue() / 1e6);
            assertTrue(((Number) r.get("steps")).longValue() >= 10_000_000L, "every step went in: " + r);
            assertEquals(((Number) r.get("steps")).longValue(), ((Number) r.get("stored")).longValue(), "and into the store: " + r);
            assertTrue(((Number) r.get("curveBytes")).doubleValue() < 30e6, "the curve's arrays: " + r);
            assertTrue(after - before < 35e6, String.format(Locale.ROOT, "the page grew by %.1f MB", (after - before) / 1e6));
        }
    }

    /** The page's JS heap in use plus the backing stores of its array buffers, after two full collections, in bytes. */
    static double pageBytes(LongRunTest.Cdp cdp) {
        return cdp.heap(cdp.page)[0] * 1048576;
    }
}
