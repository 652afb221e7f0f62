package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * format.js's fmtInt writes what toLocaleString('en-US') writes, without Intl (whose first call costs
 * the page's start 55–115 ms): for integers of every length and sign, for the page's round tick values
 * with a fraction, and for the non-finite values a diverged run sends.
 */
class FormatTest extends PageTest {

    @Test
    void fmtIntGroupsDigitsAsTheEnglishLocaleDoes() {
        ChromeDriver driver = Browser.start();
        try {
            openReady(driver, new WebDriverWait(driver, Duration.ofSeconds(60)), "/?engine=js");
            @SuppressWarnings("unchecked")
            List<Object> differ = (List<Object>) Browser.inPage(driver,
                "const { fmtInt } = await page('format.js');"
                    + "let seed = 7; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;"
                    + "const xs = [0, -0, 1, -1, 9, 10, 999, 1000, -1000, 1001, 99999, 100000, 999999, 1000000, 200000, 2 ** 31, -(2 ** 31), 2 ** 53 - 1,"
                    + "  1500.5, 2500.25, 12345.125, 1234.5678, -4321.75, 0.001, NaN, Infinity, -Infinity, '5000'];"
                    + "for (let i = 0; i < 2000; i++) xs.push(Math.floor((rnd() - 0.3) * 10 ** (1 + Math.floor(rnd() * 15))));"
                    + "return xs.filter(x => fmtInt(x) !== Number(x).toLocaleString('en-US')).map(x => `${x}: ${fmtInt(x)} vs ${Number(x).toLocaleString('en-US')}`);");
            assertEquals(List.of(), differ);
            Object grouped = Browser.inPage(driver, "const { fmtInt } = await page('format.js'); return fmtInt(1234567);");
            assertTrue("1,234,567".equals(grouped), String.valueOf(grouped));
        } finally {
            driver.quit();
        }
    }
}
