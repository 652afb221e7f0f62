package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import teagrad.model.Config;
import teagrad.model.Setting;
import teagrad.model.Settings;

/**
 * {@code train}'s settings flags and its help come from the settings table: for every setting
 * with a flag, the help shows the table's range and default, the flag takes the default's text
 * and the ends of the range, and a value outside is refused in the table's words, by the flag.
 */
class TrainFlagsTest {
    static Stream<Setting> flagged() {
        return Settings.ALL.stream().filter(s -> s.flag() != null);
    }

    static Config parse(String... argv) {
        return TrainCommand.config(TrainCommand.args(argv));
    }

    static String refusal(String... argv) {
        return assertThrows(Args.UsageError.class, () -> parse(argv), String.join(" ", argv)).getMessage();
    }

    /** "1024", "0.001": a bound as a flag value. */
    static String text(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flagged")
    void theHelpShowsTheTablesHelpRangeAndDefault(Setting s) {
        String line = TrainCommand.HELP.lines().dropWhile(l -> !l.trim().startsWith("--" + s.flag() + " ") && !l.trim().startsWith("--" + s.flag() + ","))
            .limit(2).reduce("", (a, b) -> a + " " + b.trim());
        assertFalse(line.isBlank(), "a line for --" + s.flag() + " in\n" + TrainCommand.HELP);
        assertTrue(line.contains(s.help()), line);
        assertTrue(line.contains("[" + s.range() + "; default " + s.text(new Config()) + "]"), line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flagged")
    void theDefaultsTextGivesTheDefault(Setting s) {
        Config defaults = new Config();
        Config c = s.kind.equals("bool") ? parse("--" + s.flag()) : parse("--" + s.flag(), s.text(defaults));
        assertTrue(s.same(defaults, c), s.name + " from '" + s.text(defaults) + "': " + s.text(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flagged")
    void theRangesEndsAreTakenAndWhatLiesBeyondIsRefusedInTheTablesWords(Setting s) {
        String flag = "--" + s.flag();
        String prefix = flag + " " + s.mustBe() + ", got ";
        switch (s.kind) {
            case "bool":
                assertFalse(s.same(parse(flag), parse("--no-" + s.flag(), "--no-batchnorm")), "--" + s.flag() + " and --no-" + s.flag() + " differ");
                assertTrue(refusal(flag, "--no-" + s.flag()).contains("not both"));
                return;
            case "widths":
                assertEquals(10, Settings.WIDTHS.text(parse(flag, "1,1,1,1,1,1,1,1,1," + Config.MAX_HIDDEN)).split(",").length);
                for (String bad : List.of("0", "1,2,3,4,5,6,7,8,9,10,11", (Config.MAX_HIDDEN + 1) + "", "100,,100", "abc")) {
                    assertTrue(refusal(flag, bad).startsWith(prefix), refusal(flag, bad));
                }
                return;
            default:
                for (double end : new double[] {s.min(), s.max()}) {
                    boolean open = end == s.min() ? s.minOpen() : s.maxOpen();
                    if (open) assertTrue(refusal(flag, text(end)).startsWith(prefix), refusal(flag, text(end)));
                    else parse(flag, text(end), "--no-batchnorm");   // taken (batch norm aside: it needs batches of 2)
                }
                for (String bad : List.of(text(s.min() - 1), text(s.max() + Math.max(1, Math.ulp(s.max()))), "abc")) assertEquals(prefix + bad, refusal(flag, bad));
        }
    }

    @Test
    void batchNormWithBatchesOfOneIsRefusedByTheRuleBetweenSettings() {
        assertEquals("--batch-size " + Config.BATCH_NORM_RULE + ", got 1", refusal("--batch-size", "1"));
        assertEquals(1, parse("--batch-size", "1", "--no-batchnorm").batchSize);
    }

    @Test
    void hiddenIsOneLayerOfWidthsAndNamesItselfWhenRefused() {
        assertEquals("[64]", java.util.Arrays.toString(parse("--hidden", "64").widths));
        assertTrue(refusal("--hidden", "0").startsWith("--hidden " + Settings.WIDTHS.mustBe()));
        assertTrue(refusal("--hidden", "8", "--widths", "8").contains("not both"));
    }

    @Test
    void aPresetSetsTheNetworkAndTheFlagsOverrideIt() {
        Config c = parse("--preset", "deep-gain3", "--init-gain", "2");
        assertEquals("100,100,100,100,100", Settings.WIDTHS.text(c));
        assertEquals(2f, c.initGain);
        assertTrue(refusal("--preset", "nope").contains("deep-batchnorm"), "names the presets");
    }

    @Test
    void aFloatTakesAFractionAndRefusesWhatRoundsToZero() {
        assertEquals(5f / 3f, parse("--init-gain", "5/3").initGain);
        assertEquals("--lr " + Settings.LR.mustBe() + ", got 1e-50, which is 0 as a float", refusal("--lr", "1e-50"));
    }
}
