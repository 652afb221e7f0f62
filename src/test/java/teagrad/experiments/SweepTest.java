package teagrad.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import teagrad.model.Config;
import teagrad.model.Presets;
import teagrad.model.Setting;
import teagrad.model.Settings;

/** A sweep's spec, read by the settings table: NAME=v1,v2,… over a base config. */
class SweepTest {
    @Test
    void valuesAreReadAsTheSettingsFlagReadsThem() {
        Config base = new Config();
        base.steps = 123;
        Sweep s = Sweep.parse("initGain=0.5,1,5/3,3", base);
        assertEquals("initGain", s.name());
        assertEquals(List.of("0.5", "1", "5/3", "3"), s.values());
        float[] gains = {0.5f, 1f, 5f / 3f, 3f};
        for (int i = 0; i < 4; i++) {
            Config c = s.configs().get(i);
            assertEquals(gains[i], c.initGain);
            for (Setting other : Settings.ALL) if (other != Settings.INIT_GAIN) assertTrue(other.same(base, c), other.name + " kept");
        }
        Sweep byFlag = Sweep.parse("init-gain=0.5,1,5/3,3", base);
        assertEquals("initGain", byFlag.name(), "the flag's name finds the same setting");
        for (int i = 0; i < 4; i++) assertEquals(gains[i], byFlag.configs().get(i).initGain);
    }

    @Test
    void everySettingCanBeSweptByItsNameWithNoCodeOfItsOwn() {
        Config base = new Config();
        for (Setting s : Settings.ALL) {
            String text = s.text(base);
            String spec = s.name + "=" + text;
            Config c = Sweep.parse(spec, base).configs().get(0);
            assertTrue(s.same(base, c), spec);
        }
    }

    @Test
    void widthsAreSeparatedBySlashesAndBatchNormOffIsOffEverywhere() {
        Sweep w = Sweep.parse("widths=200/100,100", new Config());
        assertEquals("100,100", Settings.WIDTHS.text(w.configs().get(1)));
        Config deep = Presets.apply("deep-batchnorm", new Config());
        Config off = Sweep.parse("batchNorm=on,off", deep).configs().get(1);
        assertTrue(!off.batchNorm && !off.outBatchNorm, "no batch norm on the logits either, as --no-batchnorm");
    }

    @Test
    void valuesAreCutAtEverySeparatorAndAnEmptyOneIsRefused() {
        assertEquals(List.of("0.5", "1", "5/3"), Sweep.parse("initGain=0.5, 1 ,5/3", new Config()).values());
        assertEquals(List.of("a", "", "b", ""), List.of(Setting.split("a,,b,", ',')));   // as String.split(",", -1)
        assertEquals(List.of(""), List.of(Setting.split("", ',')));
        for (String spec : List.of("lr=0.1,", "lr=,0.1", "lr=0.1,,0.2", "widths=100/")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Sweep.parse(spec, new Config())).getMessage().contains("an empty value"), spec);
        }
    }

    @Test
    void theLossLogIsTheFivePresets() {
        Sweep s = Sweep.parse(Sweep.LOSS_LOG, new Config());
        assertEquals(List.of("naive-init", "small-logits", "no-saturation", "kaiming", "batchnorm"), s.values());
        for (int i = 0; i < 5; i++) assertEquals(s.values().get(i), Presets.nameOf(s.configs().get(i)));
    }

    @Test
    void aBadSpecIsRefusedSayingWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sweep.parse("nope=1", new Config())).getMessage().contains("no setting is called 'nope'"));
        Setting.Refused r = assertThrows(Setting.Refused.class, () -> Sweep.parse("batchSize=32,1", Presets.apply("batchnorm", new Config())));
        assertEquals(Settings.BATCH_SIZE, r.setting);
    }
}
