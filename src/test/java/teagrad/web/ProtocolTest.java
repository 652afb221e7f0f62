package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import teagrad.model.Config;
import teagrad.model.Presets;
import teagrad.model.Setting;
import teagrad.model.Settings;

/**
 * The worker's protocol on the JVM, message in, messages out, as {@link Protocol} lists it:
 * the settings table in ready, every setting through configure and back in model.config, refusals
 * that name the field, and a run's curve through export, import and history.
 */
class ProtocolTest {
    final ListPort page = new ListPort();
    final Dispatcher worker = new Dispatcher(page, () -> 0, task -> {});

    /** The worker with the test word list loaded and these settings. */
    Dispatcher loaded(Config c) {
        worker.receive(configure(c));
        worker.receive(MapMessage.of("data", "text", SessionTest.words()));
        assertEquals(List.of("dataset", "model", "diagnostics"), page.take());
        return worker;
    }

    /** configure {config} as the page sends it: every setting by its name. */
    static MapMessage configure(Config c) {
        MapMessage config = new MapMessage();
        Settings.write(c, config);
        return MapMessage.of("configure", "config", config);
    }

    static Config small() {
        Config c = new Config();
        c.widths = new int[] {16};
        c.steps = 1000;
        return c;
    }

    @Test
    void aListSentAheadIsAnsweredByNothingAndItsWarmUpWaitsBehindTheMessagesQueuedMeanwhile() {
        java.util.List<Runnable> later = new java.util.ArrayList<>();
        Dispatcher w = new Dispatcher(page, () -> 0, later::add);
        w.receive(MapMessage.of("ahead", "text", SessionTest.words()));
        assertEquals(List.of(), page.take(), "ahead has no answer");
        assertEquals(1, later.size(), "the warm-up is a task of its own");
        w.receive(configure(small()));
        w.receive(MapMessage.of("data", "text", SessionTest.words()));
        assertEquals(List.of("dataset", "model", "diagnostics"), page.take());
        later.get(0).run();   // after the list came: it does nothing
        w.receive(MapMessage.of("ahead", "text", SessionTest.words()));
        assertEquals(1, later.size(), "once a list is loaded, a list sent ahead is ignored");
        assertEquals(List.of(), page.take());
    }

    @Test
    void readySendsTheSettingsTableTheirDefaultsAndThePresets() {
        worker.ready("js", false);
        MapMessage ready = page.last("ready");
        List<MapMessage> rows = ready.list("settings");
        assertEquals(Settings.ALL.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Setting s = Settings.ALL.get(i);
            MapMessage row = rows.get(i);
            assertEquals(s.name, row.string("name"));
            assertEquals(s.label(), row.string("label"));
            assertEquals(s.range(), row.string("range"));
            assertEquals(s.mustBe(), row.string("error"));
            assertEquals(s.max(), row.number("max"), s.name);
            assertEquals(s.inForm(), row.bool("form"), s.name);
            assertEquals(s.hashKey(), row.string("hash"));
        }
        Config back = new Config();
        back.batchSize = 1;
        back.widths = new int[] {7};
        Settings.read(ready.object("defaults"), back);
        for (Setting s : Settings.ALL) assertTrue(s.same(new Config(), back), s.name + " default");
        assertEquals(Presets.ALL.stream().map(Presets.Preset::summary).toList(),
            ready.list("presets").stream().map(p -> p.string("summary")).toList(), "the presets' text, once, from Java");
    }

    @Test
    void readyCarriesTheBootMarksWhenTheWorkerHasThemAndNothingOtherwise() {
        worker.ready("wasm", true, MapMessage.of("boot", "timeOrigin", 1000.0, "compiled", 480.5, "main", 481.0));
        Message boot = page.last("ready").object("boot");
        assertEquals(480.5, boot.number("compiled"));
        assertEquals(481.0, boot.number("main"));
        worker.ready("js", false);
        assertEquals(null, page.last("ready").object("boot"), "the JVM's dispatcher has no boot script");
    }

    @Test
    void everySettingGoesThroughConfigureAndComesBackInTheModelsConfig() {
        Config c = new Config();   // every setting away from its default, each kind at an edge
        c.embedDim = 7; c.blockSize = 4; c.widths = new int[] {13, 9}; c.batchNorm = false; c.outBatchNorm = false;
        c.momentum = 0.01f; c.eps = 1e-3f; c.initGain = 1.3f; c.hiddenScale = 0.5f; c.hiddenBiasScale = 0.1f;
        c.outScale = 0.2f; c.outBiasScale = 0.05f; c.batchSize = 8; c.lr = 0.05f; c.lrDecayStep = 30; c.steps = 77;
        c.seed = Config.MAX_SEED; c.evalEvery = 11;
        loaded(c);
        worker.receive(MapMessage.of("reset"));
        MapMessage model = page.last("model");
        Config back = new Config();
        Settings.read(model.object("config"), back);
        for (Setting s : Settings.ALL) assertTrue(s.same(c, back), s.name + ": " + s.text(c) + " came back as " + s.text(back));
        assertEquals("custom", model.object("config").string("preset"));
        List<String> layers = java.util.Arrays.asList((String[]) model.values.get("layers"));
        assertEquals(7, layers.size(), layers.toString());
        assertTrue(layers.get(2).startsWith("Linear(28, 13"), "blockSize 4 × embedDim 7 inputs: " + layers);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "batchSize 2.5   | config.batchSize must be a whole number from 1 to 4,096, got 2.5",
        "batchSize 0     | config.batchSize must be a whole number from 1 to 4,096, got 0",
        "widths text     | config.widths must be 1 to 10 hidden layer widths, each a whole number from 1 to 1,024, separated by commas (like 100,100,100), got \"100\"",
        "batchNorm 1     | config.batchNorm must be on or off (1 or 0, true or false), got 1",
        "seed -1         | config.seed must be a whole number from 0 to 2^53, got -1",
        "lr 20           | config.lr must be a number above 0 and at most 10, got 20",
        "batchSize 1     | config.batchSize must be at least 2 with batch norm: the variance of one value is 0 (PyTorch: \"Expected more than 1 value per channel when training\"), got 1",
    })
    void aRefusedSettingIsNamedAndTheModelStays(String change, String error) {
        loaded(small());
        worker.receive(MapMessage.of("step"));
        String before = worker.session.exportModel();
        MapMessage config = new MapMessage();
        Settings.write(small(), config);
        String[] kv = change.split(" ");
        config.values.put(kv[0], kv[1].equals("text") ? "100" : kv[0].equals("batchNorm") ? (Object) 1.0 : (Object) Double.parseDouble(kv[1]));
        page.take();
        worker.receive(MapMessage.of("configure", "config", config));
        MapMessage e = page.last("error");
        assertEquals("configure", e.string("during"));
        assertEquals(error, e.string("message"));
        assertEquals(before, worker.session.exportModel(), "the model and its step stay");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "configure | no config in the message",
        "data      | no word list text in the message (text)",
        "sample    | count must be a whole number, got nothing",
        "inspect   | layer must be a whole number, got nothing",
        "import    | no model file text in the message (json)",
        "history   | history needs losses, devSteps and devLosses",
        "fly       | unknown message type 'fly'",
        "profile   | 'profile' is for bench/ only (open the page with ?bench)",
    })
    void aMessageWithoutWhatItNeedsIsRefusedAsItself(String type, String error) {
        loaded(small());
        worker.receive(MapMessage.of(type));
        MapMessage e = page.last("error");
        assertEquals(type, e.string("during"));
        assertEquals(error, e.string("message"));
    }

    @Test
    void aSampleSeedBeyondTwoToThe53IsRefusedByName() {
        loaded(small());
        worker.receive(MapMessage.of("sample", "count", 3, "seed", 1e16));
        assertEquals("seed must be a whole number from 0 to 2^53, got 1.0E16", page.last("error").string("message"));
        worker.receive(MapMessage.of("sample", "count", 3, "seed", 7));
        assertEquals(3, ((String[]) page.last("samples").values.get("names")).length);
    }

    @Test
    void aRunsCurveGoesOutWithExportAndComesBackWithImportAndHistory() {
        loaded(small());
        for (int i = 0; i < 5; i++) worker.receive(MapMessage.of("step"));
        float[] losses = new float[5];
        int k = 0;
        for (MapMessage m : page.posted) if ("progress".equals(m.string("type"))) for (float l : (float[]) m.values.get("losses")) losses[k++] = l;
        assertEquals(5, k, "five batch losses, each reported once");
        worker.receive(MapMessage.of("export"));
        String file = page.last("exported").string("json");

        ListPort other = new ListPort();
        Dispatcher second = new Dispatcher(other, () -> 0, task -> {});
        second.receive(MapMessage.of("data", "text", SessionTest.words()));
        second.receive(MapMessage.of("import", "json", file));
        assertFalse(other.posted.stream().anyMatch(m -> "error".equals(m.string("type"))), other.posted.toString());
        MapMessage history = other.last("history");
        assertEquals(5.0, history.number("step"));
        assertArrayEquals(losses, (float[]) history.values.get("losses"), "the imported curve, bit for bit");

        MapMessage echo = MapMessage.of("history", "losses", history.values.get("losses"), "devSteps", history.values.get("devSteps"),
            "devLosses", history.values.get("devLosses"));
        second.receive(echo);   // a resumed run: the page hands the curve back
        assertFalse(other.posted.stream().anyMatch(m -> "error".equals(m.string("type"))), other.posted.toString());
        second.receive(MapMessage.of("export"));
        assertEquals(file, other.last("exported").string("json"), "the same file again");
    }

    @Test
    void theDiagnosticsDescribeEveryTanhLayerAndWeightAndTheSaturationPicture() {
        Config c = small();
        c.widths = new int[] {16, 12};
        loaded(c);
        worker.receive(MapMessage.of("inspect", "layer", 7));   // the second Tanh
        MapMessage d = page.last("diagnostics");
        assertEquals(2, d.list("tanh").size());
        for (MapMessage t : d.list("tanh")) {
            assertEquals(100, ((float[]) t.values.get("hist")).length);
            assertEquals(100, ((float[]) t.values.get("gradHist")).length);
            assertTrue(t.number("std") > 0 && t.number("gradStd") > 0, t.toString());
        }
        assertEquals(List.of("Embedding", "Linear 1", "Linear 2", "Linear 3"), d.list("weights").stream().map(w -> w.string("label")).toList());
        MapMessage sat = (MapMessage) d.object("saturation");
        assertEquals(7.0, sat.number("layer"));
        assertEquals(12.0, sat.number("cols"));
        assertEquals(sat.number("rows") * sat.number("cols"), ((byte[]) sat.values.get("bits")).length);
    }
}
