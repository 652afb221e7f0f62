package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teagrad.cli.MainTest.assertUsageError;
import static teagrad.cli.MainTest.json;
import static teagrad.cli.MainTest.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teagrad.TestData;
import teagrad.experiments.RunSummary;
import teagrad.experiments.Sweep;
import teagrad.model.Config;
import teagrad.modelfile.Json;
import teagrad.modelfile.ModelFile;

/**
 * {@code train --sweep}: each run of a sweep, trained on a thread beside the others, is the run
 * {@code train} makes alone with the same flags, bit for bit (its saved model, its losses).
 */
class TrainSweepTest {
    @TempDir static Path dir;
    static Path words;
    static final String[] NET = {"--steps", "300", "--widths", "32,32", "--no-batchnorm", "--seed", "7"};

    @BeforeAll
    static void words() throws IOException {
        words = dir.resolve("words.txt");
        Files.write(words, TestData.names().subList(0, 300), StandardCharsets.UTF_8);
    }

    static String[] args(String... more) {
        String[] a = new String[3 + NET.length + more.length];
        a[0] = "train";
        a[1] = "--data";
        a[2] = words.toString();
        System.arraycopy(NET, 0, a, 3, NET.length);
        System.arraycopy(more, 0, a, 3 + NET.length, more.length);
        return a;
    }

    @Test
    void everyRunOfTheSweepIsTheRunTrainMakesAloneBitForBit() throws IOException {
        List<String> gains = List.of("0.5", "5/3", "3");
        Config base = TrainCommand.config(TrainCommand.args(NET));
        List<RunSummary> swept = Sweep.parse("initGain=" + String.join(",", gains), base).run(Files.readAllLines(words), 2, false, false, r -> {});
        for (int i = 0; i < gains.size(); i++) {
            Path alone = dir.resolve("alone" + i + ".json");
            MainTest.Result r = run(args("--init-gain", gains.get(i), "--out", alone.toString()));
            assertEquals(0, r.code(), r.toString());
            RunSummary s = swept.get(i);
            // train --out also writes the minibatch generator's state, which a sweep's summary does not keep: compare the models
            ModelFile.Loaded trainedAlone = ModelFile.read(Files.readString(alone));
            assertEquals(ModelFile.write(trainedAlone.model, trainedAlone.step), ModelFile.write(s.model(), s.steps()), "initGain " + gains.get(i) + ": every weight the same");
        }
        assertTrue(swept.get(0).val() != swept.get(2).val(), "the gain changes the run");
    }

    @Test
    void theTableAndTheJsonGiveTheLossesOfTheSingleRuns() {
        MainTest.Result sweep = run(args("--sweep", "init-gain=1,3", "--json"));
        assertEquals(0, sweep.code(), sweep.toString());
        assertTrue(sweep.out().contains("initGain  first loss    train      val     test"), sweep.out());
        List<?> runs = (List<?>) json(sweep.lastLine()).get("runs");
        assertEquals(2, runs.size());
        for (int i = 0; i < 2; i++) {
            @SuppressWarnings("unchecked") Map<String, Object> row = (Map<String, Object>) runs.get(i);
            String gain = i == 0 ? "1" : "3";
            assertEquals(gain, row.get("value"));
            Map<String, Object> alone = json(run(args("--init-gain", gain, "--json")).lastLine());
            for (String key : List.of("steps", "firstLoss", "train", "val", "test")) {
                assertEquals(((Json.Num) alone.get(key)).doubleValue(), ((Json.Num) row.get(key)).doubleValue(), gain + " " + key);
            }
            String tableRow = sweep.outLines().stream().filter(l -> l.startsWith(gain + " ")).findFirst().orElseThrow();
            assertTrue(tableRow.contains(String.format(java.util.Locale.ROOT, "%.4f", ((Json.Num) alone.get("val")).doubleValue())), tableRow);
        }
    }

    @Test
    void thePresetSweepKeepsTheFlagsOverEachPreset() {
        MainTest.Result r = run("train", "--data", words.toString(), "--steps", "20", "--sweep", "preset=kaiming,embed2", "--json");
        assertEquals(0, r.code(), r.toString());
        Map<String, Object> alone = json(run("train", "--data", words.toString(), "--steps", "20", "--preset", "embed2", "--json").lastLine());
        assertEquals("embed2", alone.get("preset"));
        @SuppressWarnings("unchecked") Map<String, Object> row = (Map<String, Object>) ((List<?>) json(r.lastLine()).get("runs")).get(1);
        assertEquals(((Json.Num) alone.get("val")).doubleValue(), ((Json.Num) row.get("val")).doubleValue());
    }

    @Test
    void badSweepsAreRefusedInOneLine() {
        assertUsageError(sweep("initGain"), "NAME=v1,v2");
        assertUsageError(sweep("gain=1,2"), "no setting is called 'gain'", "initGain");
        assertUsageError(sweep("initGain=1,,2"), "empty value");
        assertUsageError(sweep("initGain=1,-2"), "initGain must be a number above 0", "-2");
        assertUsageError(sweep("widths=32/0"), "widths must be");
        assertUsageError(sweep("preset=kaiming,nope"), "unknown preset 'nope'");
        assertUsageError(sweep("lr=0.1,0.2", "--lr", "0.3"), "--sweep lr and its flag");
        assertUsageError(sweep("preset=kaiming,embed2", "--preset", "kaiming"), "--preset both");
        assertUsageError(sweep("lr=0.1,0.2", "--out", "x.json"), "--out");
        assertUsageError(sweep("lr=0.1,0.2", "--threads", String.valueOf(Sweep.cores() + 1)), "--threads must be from 1 to " + Sweep.cores());
        assertUsageError(run("train", "--data", words.toString(), "--threads", "1"), "--threads is for --sweep");
    }

    static MainTest.Result sweep(String spec, String... more) {
        String[] a = new String[5 + more.length];
        a[0] = "train";
        a[1] = "--data";
        a[2] = words.toString();
        a[3] = "--sweep";
        a[4] = spec;
        System.arraycopy(more, 0, a, 5, more.length);
        return run(a);
    }
}
