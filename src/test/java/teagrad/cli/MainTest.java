package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import teagrad.modelfile.Json;
import teagrad.TestData;

/**
 * The command line end to end through {@code Main.run}, with every file in a temporary folder
 * and {@code --data} always given (the default data/names.txt may trigger a download).
 */
class MainTest {
    @TempDir static Path dir;
    static Path words, model;
    static Result trained;

    record Result(int code, String out, String err) {
        List<String> outLines() { return lines(out); }

        List<String> errLines() { return lines(err); }

        String lastLine() {
            List<String> l = outLines();
            return l.isEmpty() ? "" : l.get(l.size() - 1);
        }

        private static List<String> lines(String s) {
            List<String> l = new ArrayList<>(Arrays.asList(s.split("\\R")));
            l.removeIf(String::isEmpty);
            return l;
        }

        @Override
        public String toString() { return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String line) {
        Object v = Json.parse(line);
        assertTrue(v instanceof Map, "a JSON object: " + line);
        return (Map<String, Object>) v;
    }

    static double number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof Json.Num, key + " is a number in " + m);
        return ((Json.Num) v).doubleValue();
    }

    @BeforeAll
    static void trainASmallModel() throws IOException {
        words = dir.resolve("words.txt");
        Files.write(words, TestData.names().subList(0, 200), StandardCharsets.UTF_8);
        model = dir.resolve("model.json");
        trained = run("train", "--data", words.toString(), "--steps", "300", "--hidden", "32",
            "--json", "--out", model.toString());
    }

    /** Exit 2 and exactly one line on stderr, starting "error:", with no stack trace. */
    static Result assertUsageError(Result r, String... mentions) {
        assertEquals(2, r.code(), r.toString());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), "one line on stderr: " + r);
        String line = lines.get(0);
        assertTrue(line.startsWith("error:"), r.toString());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r);
        for (String m : mentions) assertTrue(line.contains(m), "stderr should mention '" + m + "': " + r);
        return r;
    }

    // ---------------------------------------------------------------- train, eval, sample

    @Test
    void trainExitsZeroSavesTheModelAndEndsWithAJsonSummary() {
        assertEquals(0, trained.code(), trained.toString());
        assertEquals("", trained.err());
        assertTrue(Files.isRegularFile(model), "model saved");
        Map<String, Object> j = json(trained.lastLine());
        for (String key : List.of("steps", "train", "val", "test", "stepsPerSecond", "seconds")) {
            assertTrue(j.containsKey(key), key + " in " + j);
        }
        assertEquals(300, number(j, "steps"));
        // Measured: train 2.358, val 2.501, test 2.552 (300 steps, hidden 32, 200 names, seed 42).
        // An untrained model scores ln 27 = 3.30 on every split; the dev and test splits have
        // only 20 names each, so they get more room than the training split.
        assertTrue(number(j, "train") > 2.0 && number(j, "train") < 2.55, "train loss " + number(j, "train"));
        for (String split : List.of("val", "test")) {
            double loss = number(j, split);
            assertTrue(loss > 2.0 && loss < 2.8, split + " loss " + loss);
        }
        assertTrue(number(j, "stepsPerSecond") > 0);
        assertTrue(number(j, "seconds") >= 0);
        assertEquals(Boolean.FALSE, j.get("diverged"));
    }

    @Test
    void trainOutKeepsTheMinibatchGeneratorSoTheRunGoesOnWithItsOwnBatches() throws IOException {
        // The same run on the JVM, 300 steps then 5 more: a continuation from the file must draw those 5 batches.
        teagrad.model.Config c = new teagrad.model.Config();
        c.widths = new int[] {32};
        c.steps = 305;
        teagrad.data.Dataset data = new teagrad.data.Dataset(TestData.names().subList(0, 200), c.blockSize, c.seed);
        teagrad.train.Trainer whole = new teagrad.train.Trainer(teagrad.model.Model.init(c, data.vocab), data);
        for (int i = 0; i < 300; i++) whole.trainStep();
        float[] next = new float[5];
        for (int i = 0; i < 5; i++) next[i] = whole.trainStep();

        teagrad.modelfile.ModelFile.Loaded saved = teagrad.modelfile.ModelFile.read(Files.readString(model));
        assertTrue(saved.batchRng != null, "the file keeps the generator's state");
        saved.model.config.steps = 305;
        teagrad.train.Trainer continued = new teagrad.train.Trainer(saved.model, data, saved.step, saved.batchRng);
        for (int i = 0; i < 5; i++) assertEquals(next[i], continued.trainStep(), "step " + (301 + i));
    }

    @Test
    void evalAndSampleLoadAModelTrainedOnCityNamesWithSpacesAndHyphens() throws IOException {
        // ' ', '-', '\'' and '(' sort below '.': such a model used to save but not load back.
        Path cities = dir.resolve("cities.txt"), cityModel = dir.resolve("cities.json");
        Files.write(cities, List.of("New York", "Saint-Étienne", "L'Haÿ-les-Roses", "Rio (RJ)", "Zürich",
            "san josé", "ann arbor", "winston-salem", "coeur d'alene", "el paso"), StandardCharsets.UTF_8);
        Result t = run("train", "--data", cities.toString(), "--steps", "20", "--hidden", "8", "--batch-size", "8",
            "--out", cityModel.toString());
        assertEquals(0, t.code(), t.toString());
        Result e = run("eval", "--model", cityModel.toString(), "--data", cities.toString(), "--split", "all", "--json");
        assertEquals(0, e.code(), e.toString());
        Result s = run("sample", "--model", cityModel.toString(), "--count", "3", "--seed", "1", "--data", cities.toString());
        assertEquals(0, s.code(), s.toString());
        assertEquals("", s.err());
    }

    @Test
    void evalReportsTheSameLossesAsTrainDid() {
        Result r = run("eval", "--model", model.toString(), "--data", words.toString(), "--json");
        assertEquals(0, r.code(), r.toString());
        Map<String, Object> e = json(r.lastLine()), t = json(trained.lastLine());
        for (String split : List.of("train", "val", "test")) {
            assertEquals(number(t, split), number(e, split), 1e-6, split);
        }
        assertEquals(300, number(e, "step"));
    }

    @Test
    void evalOfEveryWordWithSplitAll() {
        Result r = run("eval", "--model", model.toString(), "--data", words.toString(), "--split", "all", "--json");
        assertEquals(0, r.code(), r.toString());
        Map<String, Object> e = json(r.lastLine());
        assertTrue(e.containsKey("all") && !e.containsKey("train"), e.toString());
        long examples = 0;
        for (String w : TestData.names().subList(0, 200)) examples += w.length() + 1;
        assertTrue(r.out().contains("(" + examples + " examples)"), r.toString());
        // all = the example-weighted mean of the three splits
        Map<String, Object> t = json(trained.lastLine());
        double all = number(e, "all");
        double lo = Math.min(number(t, "train"), Math.min(number(t, "val"), number(t, "test")));
        double hi = Math.max(number(t, "train"), Math.max(number(t, "val"), number(t, "test")));
        assertTrue(all >= lo - 1e-6 && all <= hi + 1e-6, all + " within [" + lo + ", " + hi + "]");
    }

    @Test
    void evalOfOneSplit() {
        Result r = run("eval", "--model", model.toString(), "--data", words.toString(), "--split", "val", "--json");
        assertEquals(0, r.code(), r.toString());
        Map<String, Object> e = json(r.lastLine());
        assertEquals(number(json(trained.lastLine()), "val"), number(e, "val"), 1e-6);
        assertFalse(e.containsKey("test"));
    }

    @Test
    void samplePrintsTheNamesAndASummaryAndIsDeterministic() {
        Result a = run("sample", "--model", model.toString(), "--count", "5", "--seed", "1", "--data", words.toString());
        assertEquals(0, a.code(), a.toString());
        List<String> lines = a.outLines();
        assertEquals(6, lines.size(), "5 names and a summary: " + a);
        for (String line : lines.subList(0, 5)) {
            assertTrue(line.matches("[a-z]*  \\((new|in training set)\\)"), "a name line: '" + line + "'");
        }
        assertTrue(lines.get(5).matches("\\d of 5 are new"), lines.get(5));
        assertEquals(a, run("sample", "--model", model.toString(), "--count", "5", "--seed", "1", "--data", words.toString()));
        Result b = run("sample", "--model", model.toString(), "--count", "5", "--seed", "2", "--data", words.toString());
        assertNotEquals(a.out(), b.out(), "another seed, other names");
    }

    @Test
    void trainWithZeroStepsEvaluatesTheUntrainedModel() {
        Result r = run("train", "--data", words.toString(), "--steps", "0", "--hidden", "8", "--json");
        assertEquals(0, r.code(), r.toString());
        Map<String, Object> j = json(r.lastLine());
        assertEquals(0, number(j, "steps"));
        int vocab = teagrad.data.Vocab.of(TestData.names().subList(0, 200)).size();
        assertEquals(Math.log(vocab), number(j, "val"), 0.2, "near-uniform at init: ln(vocab size)");
    }

    @Test
    void trainWithZeroStepsAndDiagnosticsPutsTheInitsDiagnosticsInItsJson() {
        Result r = run("train", "--data", words.toString(), "--steps", "0", "--hidden", "8", "--diagnostics", "--json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(1, r.out().split("step 0 \\(the init, on one batch\\)", -1).length - 1, "the init's table, once: " + r);
        assertFalse(r.out().contains("(the last batch)"), "no step was taken: " + r);
        Map<String, Object> j = json(r.lastLine());
        assertTrue(j.get("diagnostics") instanceof Map, "the step-0 diagnostics are in the JSON: " + r.lastLine());
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) j.get("diagnostics");
        List<?> tanh = (List<?>) d.get("tanh");
        assertEquals(1, tanh.size(), "one hidden layer, one tanh: " + d);
        @SuppressWarnings("unchecked")
        double saturated = number((Map<String, Object>) tanh.get(0), "saturated");
        assertTrue(saturated >= 0 && saturated <= 1, "a fraction: " + saturated);
        assertFalse(((List<?>) d.get("weights")).isEmpty(), d.toString());
    }

    /**
     * data/names.txt is used for the new/seen marks when no --data is given; a model trained on
     * another alphabet still samples, without the marks and with a one-line note (an explicit
     * --data that does not fit stays an error).
     */
    @Test
    void sampleWithADefaultListThatDoesNotFitTheModelSamplesUnmarkedWithANote() throws IOException {
        assertTrue(Files.isRegularFile(DataFile.DEFAULT), "this test needs data/names.txt in place, as the others do");
        Path abc = dir.resolve("abc.txt");
        Files.write(abc, List.of("abc", "bca", "cab", "acb", "bac", "cba", "aab", "bba", "cca", "abba"), StandardCharsets.UTF_8);
        Path abcModel = dir.resolve("abc.json");
        Result trainedOnAbc = run("train", "--data", abc.toString(), "--steps", "5", "--hidden", "8", "--out", abcModel.toString());
        assertEquals(0, trainedOnAbc.code(), trainedOnAbc.toString());

        Result r = run("sample", "--model", abcModel.toString(), "--count", "4", "--seed", "1");
        assertEquals(0, r.code(), r.toString());
        List<String> names = r.out().lines().toList(); // an untrained model may well sample the empty name
        assertEquals(4, names.size(), "4 names and no new/seen summary: " + r);
        for (String name : names) assertTrue(name.matches("[abc]*"), "an unmarked name of a, b, c: '" + name + "'");
        assertEquals(1, r.errLines().size(), r.toString());
        String note = r.errLines().get(0);
        assertTrue(note.startsWith("note: " + DataFile.DEFAULT + " does not fit the model: character \""), note);
        assertTrue(note.endsWith("; the names are not marked new or seen"), note);

        assertUsageError(run("sample", "--model", abcModel.toString(), "--data", DataFile.DEFAULT.toString()), "does not fit");
    }

    // ---------------------------------------------------------------- help

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        Result r = run("help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("usage:") && r.out().contains("train") && r.out().contains("sample"), r.toString());
        assertEquals("", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "eval", "sample", "serve"})
    void commandHelpPrintsItsFlagsAndExitsZero(String command) {
        Result r = run(command, "--help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("usage:") && r.out().contains(command), r.toString());
        assertEquals(r, run("help", command));
    }

    @Test
    void trainHelpListsItsFlags() {
        String out = run("train", "--help").out();
        for (String flag : List.of("--data", "--steps", "--hidden", "--lr", "--batch-size", "--out", "--json")) {
            assertTrue(out.contains(flag), flag);
        }
    }

    @Test
    void noArgumentsPrintsTheUsageOnStderrAndExitsTwo() {
        Result r = run();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("usage:"), r.toString());
    }

    // ---------------------------------------------------------------- errors: exit 2, one line

    @Test
    void anUnknownCommand() {
        assertUsageError(run("fly", "--data", words.toString()), "fly");
    }

    @Test
    void anUnknownFlag() {
        assertUsageError(run("train", "--data", words.toString(), "--bogus", "1"), "--bogus");
        assertUsageError(run("eval", "--model", model.toString(), "--data", words.toString(), "--steps", "3"), "--steps");
    }

    @Test
    void aFlagWithoutItsValue() {
        assertUsageError(run("train", "--data", words.toString(), "--steps"), "--steps");
    }

    @Test
    void aPositionalArgument() {
        assertUsageError(run("train", "--data", words.toString(), "extra"), "extra");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "2.5", "abc", "5000"})
    void anImpossibleHiddenSize(String hidden) {
        assertUsageError(run("train", "--data", words.toString(), "--hidden", hidden, "--steps", "1"), "--hidden");
    }

    @Test
    void negativeSteps() {
        assertUsageError(run("train", "--data", words.toString(), "--steps", "-1"), "--steps");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-0.1", "0", "11"})
    void anImpossibleLearningRate(String lr) {
        assertUsageError(run("train", "--data", words.toString(), "--lr", lr, "--steps", "1"), "lr");
    }

    @Test
    void aLearningRateTooSmallForAFloatIsRefusedNamingTheFlag() {
        // 1e-50 passes the flag's range check as a double but becomes 0 as a float
        assertUsageError(run("train", "--data", words.toString(), "--lr", "1e-50", "--steps", "1"), "--lr");
    }

    @Test
    void batchSizeOneWithBatchNorm() {
        assertUsageError(run("train", "--data", words.toString(), "--batch-size", "1", "--steps", "1"),
            "--batch-size", "batch norm");
    }

    @Test
    void batchSizeOneWithoutBatchNormTrains() {
        Result r = run("train", "--data", words.toString(), "--batch-size", "1", "--no-batchnorm", "--steps", "5",
            "--hidden", "8", "--json");
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void aMissingDataFile() {
        Path missing = dir.resolve("no-such-file.txt");
        assertUsageError(run("train", "--data", missing.toString(), "--steps", "1"), missing.toString(), "does not exist");
        assertFalse(Files.exists(missing), "a --data path is never downloaded");
    }

    @Test
    void aDirectoryAsData() {
        assertUsageError(run("train", "--data", dir.toString(), "--steps", "1"), "directory");
    }

    @Test
    void anEmptyWordList() throws IOException {
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n  \n\n");
        assertUsageError(run("train", "--data", empty.toString(), "--steps", "1"), "empty.txt", "no words");
    }

    @Test
    void aWordListOfOneWordHasNoTrainingSplit() throws IOException {
        Path one = dir.resolve("one.txt");
        Files.writeString(one, "emma\n");
        assertUsageError(run("train", "--data", one.toString(), "--steps", "1"), "2 words");
    }

    @Test
    void aWordListWithANulByte() throws IOException {
        Path bin = dir.resolve("binary.txt");
        Files.write(bin, new byte[] {'e', 'm', 'm', 'a', '\n', 'a', 0, 'b', '\n'});
        assertUsageError(run("train", "--data", bin.toString(), "--steps", "1"), "line 2", "U+0000");
    }

    @Test
    void aWordListThatIsNotUtf8() throws IOException {
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, new byte[] {'j', 'o', 's', (byte) 0xE9, '\n'});   // é in ISO-8859-1
        assertUsageError(run("train", "--data", latin1.toString(), "--steps", "1"), "line 1", "U+FFFD");
    }

    @Test
    void aCorruptModelFile() throws IOException {
        Path bad = dir.resolve("corrupt.json");
        String good = Files.readString(model);
        Files.writeString(bad, good.substring(0, good.length() / 3));
        assertUsageError(run("eval", "--model", bad.toString(), "--data", words.toString()), "corrupt.json", "line");
        assertUsageError(run("sample", "--model", bad.toString(), "--data", words.toString()), "corrupt.json", "line");
    }

    @Test
    void aModelFileThatIsNotAModel() throws IOException {
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"format\": \"something-else\"}");
        assertUsageError(run("eval", "--model", other.toString(), "--data", words.toString()), "format");
        assertUsageError(run("sample", "--model", dir.resolve("absent.json").toString(), "--data", words.toString()),
            "absent.json");
    }

    @Test
    void aMissingModelFlag() {
        assertUsageError(run("eval", "--data", words.toString()), "--model");
        assertUsageError(run("sample", "--data", words.toString()), "--model");
    }

    @Test
    void anUnknownSplit() {
        assertUsageError(run("eval", "--model", model.toString(), "--data", words.toString(), "--split", "bogus"), "bogus");
    }

    @Test
    void aWordListWithCharactersTheModelDoesNotKnow() throws IOException {
        Path other = dir.resolve("accented.txt");
        Files.writeString(other, "zoë\nchloë\nnoël\n");
        assertUsageError(run("eval", "--model", model.toString(), "--data", other.toString()), "does not fit");
    }

    @Test
    void aSampleCountOfZero() {
        assertUsageError(run("sample", "--model", model.toString(), "--count", "0", "--data", words.toString()), "--count");
    }

    @Test
    void anUnwritableOutputFailsWithOneErrorLine() {
        Result r = run("train", "--data", words.toString(), "--steps", "2", "--hidden", "8", "--out", dir.toString());
        assertNotEquals(0, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.errLines().get(0).startsWith("error:"), r.toString());
    }
}
