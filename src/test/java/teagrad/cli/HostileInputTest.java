package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static teagrad.cli.MainTest.assertUsageError;
import static teagrad.cli.MainTest.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import teagrad.TestData;

/**
 * Files made by an attacker or a careless user, through {@code eval} and {@code sample}: each
 * is refused with one {@code error:} line under 300 characters, control characters escaped,
 * naming what is wrong; none hangs, overflows or runs out of memory (each case has seconds);
 * and the valid oddities (a byte-order mark, no checksum, an explicit null bias) are accepted.
 */
@Timeout(30)
class HostileInputTest {
    @TempDir static Path dir;
    static Path words;
    static String model, deep;   // the text of a trained model, and of one with 10 hidden layers (linear, tanh)

    @BeforeAll
    static void trainTwoModels() throws IOException {
        words = dir.resolve("words.txt");
        Files.write(words, TestData.names().subList(0, 300), StandardCharsets.UTF_8);
        Path m = dir.resolve("m.json"), d = dir.resolve("deep.json");
        assertEquals(0, run("train", "--data", words.toString(), "--steps", "20", "--hidden", "32", "--out", m.toString()).code());
        assertEquals(0, run("train", "--data", words.toString(), "--steps", "20", "--widths", "8,8,8,8,8,8,8,8,8,8", "--no-batchnorm", "--out", d.toString()).code());
        model = Files.readString(m);
        deep = Files.readString(d);
    }

    /** A line an attacker controls, shown to the user: one line, short, nothing a terminal would act on. */
    static void assertCleanLine(MainTest.Result r, String... mentions) {
        assertUsageError(r, mentions);
        String line = r.errLines().get(0);
        assertTrue(line.length() < 300, line.length() + " characters: " + line);
        assertFalse(line.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)), "control characters in " + line);
    }

    static String replace(String text, String regex, String with) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " is in the file");
        return m.replaceFirst(Matcher.quoteReplacement(with));
    }

    static String withoutChecksum(String text) { return replace(text, ",\\n \"crc32\": \"[0-9a-f]{8}\"", ""); }

    /** Flips the 7th digit of the 100th number: a valid float, another model. */
    static String flipADigit(String text) {
        Matcher m = Pattern.compile("-?\\d\\.\\d{7}").matcher(text);
        for (int i = 0; i < 100; i++) assertTrue(m.find());
        int at = m.start() + m.group().indexOf('.') + 7;
        char c = text.charAt(at);
        return text.substring(0, at) + (char) (c == '9' ? '0' : c + 1) + text.substring(at + 1);
    }

    /** The last linear layer's bias key and value removed. */
    static String outputBiasDeleted(String text) {
        int last = text.lastIndexOf("{\"type\": \"linear\"");
        String layer = text.substring(last);
        return text.substring(0, last) + replace(layer, ", \"bias\": \\{\"shape\": \\[\\d+\\], \"data\": \\[[^\\]]*\\]\\}", "");
    }

    /** The deep model with one more hidden block (linear 8 → 8, tanh): 11 hidden layers. */
    static String elevenHiddenLayers(String text) {
        int second = text.indexOf("{\"type\": \"linear\"", text.indexOf("{\"type\": \"linear\"") + 1);
        int after = text.indexOf("{\"type\": \"linear\"", second + 1);
        return text.substring(0, second) + text.substring(second, after) + text.substring(second);
    }

    static String manyTanh(String text, int n) {
        return replace(text, "\\{\"type\": \"tanh\"\\}", ("{\"type\": \"tanh\"}, ").repeat(n - 1) + "{\"type\": \"tanh\"}");
    }

    static Stream<Arguments> hostileModelFiles() {
        return Stream.of(
            hostile("a layer claiming 2^24 × 2^24 weights", t -> replace(t, "\"shape\": \\[30, 32\\]", "\"shape\": [16777216, 16777216]"),
                "layers[2].weight.shape[0] is 16777216", "1024"),
            hostile("a shape claiming 10^9 values", t -> replace(t, "\"shape\": \\[30, 32\\]", "\"shape\": [60000, 16667]"), "60000", "1024"),
            hostile("30 MB of numbers in a tensor of 270", t -> t.replaceFirst("\"data\": \\[", "\"data\": [" + "0.25, ".repeat(5_000_000)),
                "layers[0].weight.data has more than 270 values", "[27, 10]"),
            hostile("10,000 tanh layers", t -> manyTanh(t, 10_000), "more than 35 layers"),
            hostile("11 hidden layers (the settings allow 10)", t -> elevenHiddenLayers(deep), "11 hidden layers", "at most 10"),
            hostile("a seed of 2^53 + 1", t -> t.replace("\"seed\": 42", "\"seed\": 9007199254740993"), "seed", "9007199254740993"),
            hostile("a seed of 4.5", t -> t.replace("\"seed\": 42", "\"seed\": 4.5"), "config.seed", "whole number"),
            hostile("the output layer's bias key deleted", HostileInputTest::outputBiasDeleted, "layers[5] needs \"bias\""),
            hostile("a key twice", t -> t.replace("\"step\": 20,", "\"step\": 20, \"step\": 5,"), "\"step\" appears twice"),
            hostile("a key twice in the config", t -> t.replace("\"lr\": 0.1,", "\"lr\": 0.1, \"lr\": 9,"), "\"lr\" appears twice"),
            hostile("the invalid escape \\u+02e", t -> t.replace("\"format\": \"teagrad-model\"", "\"format\": \"teagrad-model\", \"n\": \"\\u+02e\""), "\\u escape"),
            hostile("\"step\": 2000000000", t -> t.replace("\"step\": 20,", "\"step\": 2000000000,"), "\"step\"", "10000000"),
            hostile("a negative step", t -> t.replace("\"step\": 20,", "\"step\": -1,"), "\"step\""),
            hostile("a batch size of 2^31 - 1", t -> t.replace("\"batchSize\": 32", "\"batchSize\": 2147483647"), "batchSize"),
            hostile("a flipped digit in a weight", HostileInputTest::flipADigit, "crc32", "damaged"),
            hostile("a checksum that is not one", t -> replace(t, "\"crc32\": \"[0-9a-f]{8}\"", "\"crc32\": 7"), "crc32", "8 hex digits"),
            hostile("a checksum in capitals", t -> replace(t, "\"crc32\": \"[0-9a-f]{8}\"", "\"crc32\": \"ABCDEF01\""), "crc32", "8 hex digits"),
            hostile("a checksum of 7 digits", t -> replace(t, "\"crc32\": \"[0-9a-f]{8}\"", "\"crc32\": \"abcdef0\""), "crc32", "8 hex digits"),
            hostile("a checksum with a g", t -> replace(t, "\"crc32\": \"[0-9a-f]{8}\"", "\"crc32\": \"abcdefg1\""), "crc32", "8 hex digits"),
            hostile("a generator state of zeros", t -> replace(t, "\"batchRng\": \\[[^\\]]*\\]", "\"batchRng\": [0, 0, 0, 0]"), "batchRng", "zeros"),
            hostile("a generator state out of range", t -> replace(t, "\"batchRng\": \\[[^\\]]*\\]", "\"batchRng\": [1, 2, 3, 4294967296]"), "batchRng[3]"),
            hostile("a vocabulary with terminal escapes", t -> t.replace("\"vocab\": \".", "\"vocab\": \".\\u001b]0;pwned\\u0007\\u001b[2J"), "\\u001B"),
            hostile("a vocabulary of a million characters", t -> t.replace("\"vocab\": \".", "\"vocab\": \"." + "x".repeat(1_000_000)), "4096"),
            hostile("a format of a million characters with escapes", t -> t.replace("\"teagrad-model\"", "\"\\u001b[2J" + "y".repeat(1_000_000) + "\""), "string longer"),
            hostile("a layer type with escapes", t -> t.replace("\"type\": \"flatten\"", "\"type\": \"\\u001b[31mred" + "z".repeat(3000) + "\""),
                "layers[1].type", "\\u001B[31mred", "…"),
            hostile("nesting 100,000 deep", t -> t.replace("\"format\"", "\"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + ", \"format\""), "nested more than 64"),
            hostile("a leading zero", t -> t.replace("\"step\": 20,", "\"step\": 020,"), "line 3"),
            hostile("a trailing comma", t -> t.replace("\"step\": 20,", "\"step\": 20,,"), "line 3"),
            hostile("NaN in the data", t -> t.replaceFirst("\"data\": \\[", "\"data\": [NaN, "), "layers[0].weight.data[0] is \"NaN\""),
            hostile("a float beyond the float range", t -> replace(t, "\"data\": \\[-?[0-9.E-]+", "\"data\": [1e39"), "layers[0].weight.data[0] is 1e39"),
            hostile("a history longer than the steps", t -> t.replace("\"format\"", "\"history\": {\"losses\": [" + "1.0, ".repeat(20) + "1.0], \"devSteps\": [], \"devLosses\": []}, \"format\""),
                "history.losses has 21 values", "20 steps taken"),
            hostile("half a file", t -> t.substring(0, t.length() / 2), "the document ends"),
            hostile("a binary file", t -> "\u0000\u0001\u00ff\u001b[2J", "must be an object", "\\u0000"),
            hostile("nothing", t -> "", "empty"));
    }

    static Arguments hostile(String name, UnaryOperator<String> edit, String... mentions) {
        return Arguments.of(name, edit, mentions);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileModelFiles")
    void aHostileModelFileGetsOneCleanLineFromEvalAndSample(String name, UnaryOperator<String> edit, String[] mentions) throws IOException {
        Path file = dir.resolve("hostile.json");
        Files.writeString(file, edit.apply(model), StandardCharsets.UTF_8);
        assertCleanLine(run("eval", "--model", file.toString(), "--data", words.toString(), "--split", "val"), mentions);
        assertCleanLine(run("sample", "--model", file.toString(), "--data", words.toString(), "--count", "2"), mentions);
    }

    static Stream<Arguments> validOddities() {
        return Stream.of(
            Arguments.of("a UTF-8 byte-order mark", (UnaryOperator<String>) t -> "\uFEFF" + t),
            Arguments.of("no checksum (as PyTorch writes it)", (UnaryOperator<String>) HostileInputTest::withoutChecksum),
            Arguments.of("an explicit null bias, no checksum", (UnaryOperator<String>) t -> {
                int last = t.lastIndexOf("{\"type\": \"linear\"");
                return withoutChecksum(t.substring(0, last) + replace(t.substring(last), "\"bias\": \\{\"shape\": \\[\\d+\\], \"data\": \\[[^\\]]*\\]\\}", "\"bias\": null"));
            }),
            Arguments.of("a seed of 2^53", (UnaryOperator<String>) t -> t.replace("\"seed\": 42", "\"seed\": 9007199254740992")),
            Arguments.of("the largest step", (UnaryOperator<String>) t -> t.replace("\"step\": 20,", "\"step\": 10000000,")),
            Arguments.of("10 hidden layers", (UnaryOperator<String>) t -> deep),
            Arguments.of("a key this teagrad does not know", (UnaryOperator<String>) t -> t.replace("\"format\"", "\"about\": {\"by\": [\"torch\", 2.1]}, \"format\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validOddities")
    void validOdditiesAreAccepted(String name, UnaryOperator<String> edit) throws IOException {
        Path file = dir.resolve("odd.json");
        Files.writeString(file, edit.apply(model), StandardCharsets.UTF_8);
        MainTest.Result eval = run("eval", "--model", file.toString(), "--data", words.toString(), "--split", "val");
        assertEquals(0, eval.code(), eval.toString());
        assertEquals(0, run("sample", "--model", file.toString(), "--count", "2").code());
    }

    // ---------------------------------------------------------------- word lists

    static String names() { return String.join("\n", TestData.names().subList(0, 300)) + "\n"; }

    static Stream<Arguments> hostileWordLists() {
        StringBuilder distinct = new StringBuilder();
        for (int i = 0; i < 1000; i++) distinct.append((char) (0x4e00 + i)).append("a\n");
        return Stream.of(
            Arguments.of("1,000 distinct characters", distinct.toString(), List.of("line 999", "distinct character number 1000", "999")),
            Arguments.of("a line of 201 emoji", names() + "😀".repeat(201) + "\n", List.of("line 301", "201 characters", "200")),
            Arguments.of("a line of a million characters", names() + "b".repeat(1_000_000) + "\n", List.of("1000000 characters")),
            Arguments.of("a word with '.' and terminal escapes", names() + "a.b\u001b]0;x\u0007" + "q".repeat(150) + "\n", List.of("line 301", "\\u001B]0;x\\u0007", "…")),
            Arguments.of("an escape character", names() + "a\u001b[31mb\n", List.of("line 301", "U+001B")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileWordLists")
    void aHostileWordListGetsOneCleanLine(String name, String text, List<String> mentions) throws IOException {
        Path file = dir.resolve("hostile.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        assertCleanLine(run("train", "--data", file.toString(), "--steps", "0"), mentions.toArray(new String[0]));
    }

    @Test
    void aLineOf200EmojiIs200Characters() throws IOException {
        Path file = dir.resolve("emoji.txt");
        Files.writeString(file, names() + "😀".repeat(200) + "\n", StandardCharsets.UTF_8);
        MainTest.Result r = run("train", "--data", file.toString(), "--steps", "0");
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void anEndlessFileStopsAtTheSizeLimit() {
        Path zero = Path.of("/dev/zero");
        if (!Files.exists(zero)) return;   // not a Unix: nothing endless at hand
        assertCleanLine(run("train", "--data", zero.toString(), "--steps", "0"), "/dev/zero", "larger than 50 MB");
        assertCleanLine(run("eval", "--model", zero.toString(), "--data", words.toString()), "/dev/zero", "larger than 256 MB");
    }
}
