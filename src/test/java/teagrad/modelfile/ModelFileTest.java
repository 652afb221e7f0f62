package teagrad.modelfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import teagrad.autograd.Tensor;
import teagrad.data.Dataset;
import teagrad.data.Vocab;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.model.Settings;
import teagrad.train.Trainer;
import teagrad.train.History;
import teagrad.inference.Inference;
import teagrad.inference.Sampler;
import teagrad.Chapter;
import teagrad.TestData;

/** The model file: exact round trips, the documented layout, and every rejection by name. */
class ModelFileTest {

    static Config smallConfig(boolean batchNorm) {
        Config c = new Config();
        c.embedDim = 4;
        c.blockSize = 3;
        c.widths = new int[] {8};
        c.batchNorm = batchNorm;
        c.batchSize = 16;
        c.seed = 7;
        c.steps = 1234;
        c.lr = 0.05f;
        c.lrDecayStep = 600;
        c.momentum = 0.01f;
        return c;
    }

    static Model smallModel(boolean batchNorm) {
        Model m = Model.init(smallConfig(batchNorm), Vocab.parse(".abcdefgé"));
        java.util.Random rnd = new java.util.Random(3);
        for (Tensor p : m.parameters()) {
            for (int i = 0; i < p.size(); i++) p.data[i] = (float) rnd.nextGaussian();
        }
        if (Chapter.bn(m) != null) {
            for (int j = 0; j < Chapter.bn(m).features; j++) {
                Chapter.bn(m).runningMean[j] = (float) rnd.nextGaussian();
                Chapter.bn(m).runningVar[j] = (float) Math.exp(rnd.nextGaussian());
            }
        }
        // awkward floats: signed zero, the smallest subnormal, the largest float, a non-dyadic decimal
        Chapter.embedding(m).weight.data[0] = -0f;
        Chapter.embedding(m).weight.data[1] = Float.MIN_VALUE;
        Chapter.embedding(m).weight.data[2] = Float.MAX_VALUE;
        Chapter.embedding(m).weight.data[3] = 0.1f;
        Chapter.last(m).weight.data[0] = -Float.MIN_NORMAL;
        Chapter.last(m).weight.data[1] = Math.nextUp(1f);
        return m;
    }

    static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }

    static void assertSameModel(Model want, Model got) {
        assertEquals(want.vocab, got.vocab);
        List<Tensor> a = want.parameters(), b = got.parameters();
        assertEquals(a.size(), b.size(), "parameter count");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name, b.get(i).name);
            assertArrayEquals(a.get(i).shape, b.get(i).shape, a.get(i).name + " shape");
            assertArrayEquals(bits(a.get(i).data), bits(b.get(i).data), a.get(i).name + " bits");
        }
        assertEquals(Chapter.bn(want) == null, Chapter.bn(got) == null, "batch norm present");
        assertEquals(want.net.toString(), got.net.toString(), "the same layers");
        if (Chapter.bn(want) != null) {
            assertArrayEquals(bits(Chapter.bn(want).runningMean), bits(Chapter.bn(got).runningMean), "running mean bits");
            assertArrayEquals(bits(Chapter.bn(want).runningVar), bits(Chapter.bn(got).runningVar), "running var bits");
            assertEquals(Chapter.bn(want).eps, Chapter.bn(got).eps);
            assertEquals(Chapter.bn(want).momentum, Chapter.bn(got).momentum);
        }
        Config c = want.config, d = got.config;
        assertEquals(c.embedDim, d.embedDim);
        assertEquals(c.blockSize, d.blockSize);
        assertArrayEquals(c.widths, d.widths);
        assertEquals(c.batchNorm, d.batchNorm);
        assertEquals(c.momentum, d.momentum);
        assertEquals(c.eps, d.eps);
        assertEquals(c.initGain, d.initGain);
        assertEquals(c.outScale, d.outScale);
        assertEquals(c.batchSize, d.batchSize);
        assertEquals(c.lr, d.lr);
        assertEquals(c.lrDecayStep, d.lrDecayStep);
        assertEquals(c.steps, d.steps);
        assertEquals(c.seed, d.seed);
        assertEquals(c.evalEvery, d.evalEvery);
    }

    // ---------------------------------------------------------------- round trips

    @ParameterizedTest(name = "batchNorm {0}")
    @ValueSource(booleans = {true, false})
    void writeThenReadIsBitExactForEveryParameterAndRunningStatistic(boolean batchNorm) {
        Model m = smallModel(batchNorm);
        String text = ModelFile.write(m, 321);
        ModelFile.Loaded back = ModelFile.read(text);
        assertEquals(321, back.step);
        assertSameModel(m, back.model);
        assertEquals(text, ModelFile.write(back.model, back.step), "writing the loaded model gives the same file");
    }

    @Test
    void aModelTrainedALittleRoundTripsWithTheSameLossesAndSamples() {
        List<String> words = TestData.names().subList(0, 400);
        Config c = new Config();
        c.widths = new int[] {24};
        c.steps = 30;
        c.seed = 5;
        Dataset data = new Dataset(words, c.blockSize, c.seed);
        Model m = Model.init(c, data.vocab);
        Trainer t = new Trainer(m, data);
        while (!t.finished()) t.trainStep();
        assertTrue(Chapter.bn(m).runningMean[0] != 0f, "training moved the running statistics");

        ModelFile.Loaded back = ModelFile.read(ModelFile.write(m, t.stepsDone()));
        assertEquals(30, back.step);
        assertSameModel(m, back.model);
        for (Dataset.Split s : List.of(data.train, data.val, data.test)) {
            assertEquals(new Inference(m).loss(s), new Inference(back.model).loss(s), 0.0, "eval loss identical");
        }
        Sampler a = new Sampler(m, 11), b = new Sampler(back.model, 11);
        for (int i = 0; i < 20; i++) assertEquals(a.next(), b.next(), "sample " + i);
    }

    @Test
    void aModelTrainedOnCityNamesWithSpacesHyphensAndApostrophesRoundTrips() {
        // ' ', '-', '\'' and '(' sort below '.', the vocabulary's index 0: a file with them was
        // written but refused on reading ("must be distinct and sorted").
        List<String> words = List.of("New York", "Saint-Étienne", "L'Haÿ-les-Roses", "Rio (RJ)", "Zürich",
            "san josé", "st louis", "ann arbor", "winston-salem", "coeur d'alene");
        Config c = new Config();
        c.widths = new int[] {8};
        c.steps = 5;
        c.batchSize = 8;
        Dataset data = new Dataset(words, c.blockSize, c.seed);
        assertEquals(". '()-", data.vocab.toString().substring(0, 6));
        Model m = Model.init(c, data.vocab);
        Trainer t = new Trainer(m, data);
        while (!t.finished()) t.trainStep();

        ModelFile.Loaded back = ModelFile.read(ModelFile.write(m, t.stepsDone()));
        assertEquals(data.vocab, back.model.vocab);
        assertSameModel(m, back.model);
    }

    // ---------------------------------------------------------------- layout

    @SuppressWarnings("unchecked")
    static Map<String, Object> doc(String text) { return (Map<String, Object>) Json.parse(text); }

    @SuppressWarnings("unchecked")
    static Map<String, Object> layer(Map<String, Object> doc, int i) {
        return (Map<String, Object>) ((List<Object>) doc.get("layers")).get(i);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> tensor(Map<String, Object> doc, int layer, String key) {
        return (Map<String, Object>) layer(doc, layer).get(key);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key) { return (List<Object>) m.get(key); }

    static String shape(Map<String, Object> tensor) { return list(tensor, "shape").toString(); }

    @Test
    void theFileHasTheDocumentedPyTorchLayoutWithLinearWeightsStoredInByOut() {
        Model m = smallModel(true);
        Map<String, Object> d = doc(ModelFile.write(m, 0));
        assertEquals("teagrad-model", d.get("format"));
        assertEquals("2", d.get("version").toString());
        assertEquals(".abcdefgé", d.get("vocab"));
        List<String> types = new ArrayList<>();
        for (Object l : list(d, "layers")) types.add((String) ((Map<?, ?>) l).get("type"));
        assertEquals(List.of("embedding", "flatten", "linear", "batchnorm1d", "tanh", "linear"), types);
        int fanIn = 3 * 4, hidden = 8, vocab = 9;
        assertEquals("[" + vocab + ", 4]", shape(tensor(d, 0, "weight")), "embedding [vocab, embed]");
        assertEquals("[" + fanIn + ", " + hidden + "]", shape(tensor(d, 2, "weight")), "first linear [in, out]");
        assertNull(layer(d, 2).get("bias"), "no b1 with batch norm");
        assertTrue(layer(d, 2).containsKey("bias"), "bias is written, as null");
        assertEquals("[" + hidden + "]", shape(tensor(d, 3, "runningVar")));
        assertEquals("[" + hidden + ", " + vocab + "]", shape(tensor(d, 5, "weight")), "last linear [in, out]");
        assertEquals("[" + vocab + "]", shape(tensor(d, 5, "bias")));
        // row-major [in, out]: element (p, j) of the first linear's weight is W1[p, j]
        List<Object> w1 = list(tensor(d, 2, "weight"), "data");
        int p = 5, j = 3;
        assertEquals(Chapter.first(m).weight.data[p * hidden + j], Float.parseFloat(w1.get(p * hidden + j).toString()));

        Map<String, Object> plain = doc(ModelFile.write(smallModel(false), 0));
        assertEquals(5, list(plain, "layers").size());
        assertEquals("[" + hidden + "]", shape(tensor(plain, 2, "bias")), "b1 without batch norm");
    }

    // ---------------------------------------------------------------- rejections

    /** A JSON writer for the parsed tree (Json.Num keeps its text, so numbers survive exactly). */
    static String toJson(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return Json.quote(s);
        if (v instanceof Boolean || v instanceof Json.Num) return v.toString();
        StringBuilder b = new StringBuilder();
        if (v instanceof Map<?, ?> m) {
            b.append('{');
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (b.length() > 1) b.append(", ");
                b.append(Json.quote((String) e.getKey())).append(": ").append(toJson(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (v instanceof List<?> l) {
            b.append('[');
            for (Object o : l) {
                if (b.length() > 1) b.append(", ");
                b.append(toJson(o));
            }
            return b.append(']').toString();
        }
        throw new IllegalArgumentException("not JSON: " + v);
    }

    static Json.Num num(String text) { return new Json.Num(text); }

    /** The message of reading a valid file after {@code edit} changed its JSON tree. */
    static String rejection(boolean batchNorm, Consumer<Map<String, Object>> edit) {
        Map<String, Object> d = doc(ModelFile.write(smallModel(batchNorm), 10));
        edit.accept(d);
        String text = toJson(d);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.read(text));
        assertTrue(e.getMessage().startsWith("model file: "), e.getMessage());
        return e.getMessage();
    }

    static void assertMentions(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "message should mention " + p + ": " + message);
    }

    @Test
    void theUneditedTreeIsAccepted() {
        // guards the helpers: a rejection below is the edit's doing, not toJson's
        Model m = smallModel(true);
        assertSameModel(m, ModelFile.read(toJson(doc(ModelFile.write(m, 10)))).model);
    }

    @Test
    void textThatIsNotJsonIsRefusedWithLineAndColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ModelFile.read("{\"format\": \"teagrad-model\",\n  \"version\": 1,,\n}"));
        assertMentions(e.getMessage(), "line 2", "column 16");
        String whole = ModelFile.write(smallModel(true), 0);
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.read(whole.substring(0, whole.length() / 2)));
        assertMentions(e.getMessage(), "not valid JSON", "line", "column");
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.read(""));
        assertMentions(e.getMessage(), "line 1, column 1");
    }

    @Test
    void aDocumentThatIsNotAnObjectIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModelFile.read("[1, 2, 3]"));
    }

    @Test
    void theWrongFormatIsRefused() {
        assertMentions(rejection(true, d -> d.put("format", "keras")), "\"format\"", "teagrad-model", "\"keras\"");
        assertMentions(rejection(true, d -> d.remove("format")), "\"format\"");
    }

    @Test
    void anUnsupportedVersionIsRefused() {
        assertMentions(rejection(true, d -> d.put("version", num("3"))), "version 3", "not supported");
        assertMentions(rejection(true, d -> d.put("version", "2")), "version");
    }

    @Test
    void aVocabularyNotStartingWithDotIsRefused() {
        assertMentions(rejection(true, d -> d.put("vocab", "abcdefgéh")), "vocab", "'.'");
    }

    @Test
    void aVocabSizeThatDiffersFromTheVocabIsRefused() {
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("vocabSize", num("10"))),
            "vocabSize", "10", "9");
    }

    @Test
    void layersWhoseShapesDoNotChainAreRefusedNamingTheLayer() {
        // without the first linear layer, batch norm over 8 features meets the 12 of the flatten
        assertMentions(rejection(true, d -> list(d, "layers").remove(2)),
            "layers[2] BatchNorm1d(8)", "expects 8 features", "12 features", "layers[1] Flatten()");
        // a linear layer after the embedding without a flatten sees 3 × 4 per example
        assertMentions(rejection(true, d -> list(d, "layers").remove(1)), "layers[1] Linear(12, 8", "[3, 4] per example");
    }

    @Test
    void aNetworkThatDoesNotEndInOneLogitPerSymbolIsRefused() {
        assertMentions(rejection(true, d -> list(d, "layers").remove(5)), "the last layer gives 8 logits", "9 characters");
        assertMentions(rejection(true, d -> list(d, "layers").subList(1, 6).clear()), "the last layer gives [3, 4] per example");
    }

    @Test
    void theEmbeddingMustComeFirstAndUnknownLayersAreRefused() {
        assertMentions(rejection(true, d -> list(d, "layers").remove(0)), "layers[0] must be an embedding");
        assertMentions(rejection(true, d -> layer(d, 4).put("type", "relu")), "layers[4].type", "\"relu\"", "tanh");
        assertMentions(rejection(true, d -> list(d, "layers").clear()), "\"layers\" is empty");
    }

    @Test
    void aTensorOfTheWrongShapeIsRefusedNamingExpectedAndActualShape() {
        // the first linear's weight written transposed, as [out, in]: a Linear(8, 12) that does not fit
        String m = rejection(true, d -> tensor(d, 2, "weight").put("shape", List.of(num("8"), num("12"))));
        assertMentions(m, "layers[2] Linear(8, 12", "expects 8 inputs", "12 features");
        assertMentions(rejection(true, d -> tensor(d, 3, "runningMean").put("shape", List.of(num("8"), num("1")))),
            "layers[3].runningMean", "[8]");
        assertMentions(rejection(true, d -> tensor(d, 0, "weight").put("shape", List.of(num("10"), num("4")))),
            "layers[0].weight", "10 rows", "9 characters");
        assertMentions(rejection(true, d -> tensor(d, 2, "weight").put("shape", List.of(num("12"), num("0")))),
            "layers[2].weight.shape[1]", "not a size");
    }

    @Test
    void dataOfTheWrongLengthIsRefused() {
        String m = rejection(true, d -> list(tensor(d, 5, "bias"), "data").remove(0));
        assertMentions(m, "layers[5].bias", "8 values", "9");
    }

    @Test
    void aNonFiniteValueIsRefusedNamingWhere() {
        assertMentions(rejection(true, d -> list(tensor(d, 5, "weight"), "data").set(7, "NaN")),
            "layers[5].weight.data[7]", "\"NaN\"", "finite");
        assertMentions(rejection(true, d -> list(tensor(d, 0, "weight"), "data").set(2, num("1e999"))),
            "layers[0].weight.data[2]", "1e999");
        assertMentions(rejection(true, d -> list(tensor(d, 3, "runningVar"), "data").set(0, null)),
            "layers[3].runningVar.data[0]");
    }

    @Test
    void aNegativeRunningVarianceIsRefused() {
        assertMentions(rejection(true, d -> list(tensor(d, 3, "runningVar"), "data").set(4, num("-0.5"))),
            "runningVar", "negative");
    }

    @Test
    void anInvalidConfigIsRefusedNamingTheSetting() {
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("blockSize", num("2.5"))),
            "blockSize", "whole number");
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("blockSize", num("0"))), "blockSize");
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).remove("blockSize")), "blockSize");
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("batchSize", num("1"))),
            "batchSize");
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("lr", num("-1"))), "config", "lr");
    }

    /** The config as the settings table reads it from {@code edit}'s values. */
    static Config configAfter(Consumer<Map<String, Object>> edit) {
        Map<String, Object> d = doc(ModelFile.write(smallModel(true), 10));
        edit.accept((Map<String, Object>) d.get("config"));
        return ModelFile.read(toJson(d)).model.config;
    }

    @Test
    void wholeNumbersInTheConfigAreReadExactlyNotThroughADouble() {
        assertEquals(Config.MAX_SEED, configAfter(c -> c.put("seed", num("9007199254740992"))).seed, "2^53, the largest seed");
        // As a double 2^53 + 1 is 2^53: it would pass as the largest seed.
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("seed", num("9007199254740993"))),
            "config.seed must be a whole number from 0 to 2^53", "9007199254740993");
        // 2^32 + 3 would pass as a whole number if read through a double and cast; it is no int.
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("steps", num("4294967299"))),
            "config.steps must be a whole number from 0 to 10,000,000", "4294967299");
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("steps", num("1e3"))),
            "config.steps must be a whole number", "1e3");
    }

    @Test
    void floatSettingsAreRoundedOnceFromTheirDecimalText() {
        // Just above the midpoint of 1 and the next float: through a double it lands on the midpoint,
        // which then rounds to even (1); rounded once it is the float above 1.
        String aboveMidpoint = "1.0000000596046447753906250000001";
        assertEquals(1f, (float) Double.parseDouble(aboveMidpoint), "the double rounding this guards against");
        assertEquals(Math.nextUp(1f), configAfter(c -> c.put("lr", num(aboveMidpoint))).lr);
        assertEquals(Math.nextUp(1f), configAfter(c -> c.put("initGain", num(aboveMidpoint))).initGain);
    }

    @Test
    void settingsOutsideTheTablesRangesAreRefusedWithTheTablesMessage() {
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("lr", num("11"))),
            "config", Settings.LR.name + " " + Settings.LR.mustBe(), "got 11");
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("evalEvery", num("0"))),
            Settings.EVAL_EVERY.mustBe());
        // The batch norm layers carry their own momentum and eps; the config's must be in range all the same.
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("momentum", num("2"))),
            "config.momentum " + Settings.MOMENTUM.mustBe(), "got 2");
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("eps", num("0"))),
            "config.eps " + Settings.EPS.mustBe());
        assertMentions(rejection(true, d -> ((Map<String, Object>) d.get("config")).put("outScale", "\u001b[2J")),
            "outScale " + Settings.OUT_SCALE.mustBe(), "got \"\\u001B[2J\"");
    }

    @Test
    void batchNormEpsAndMomentumOutsideTheirRangesAreRefused() {
        assertMentions(rejection(true, d -> layer(d, 3).put("eps", num("2"))), "layers[3].eps");
        assertMentions(rejection(true, d -> layer(d, 3).put("momentum", num("-0.1"))), "layers[3].momentum");
    }

    // ---------------------------------------------------------------- version 2: any network

    @Test
    void theSmallestFileNeedsOnlyVocabBlockSizeAndLayers() {
        String file = "{\"format\": \"teagrad-model\", \"version\": 2, \"vocab\": \".ab\", \"config\": {\"blockSize\": 2},"
            + " \"layers\": [{\"type\": \"embedding\", \"weight\": {\"shape\": [3, 1], \"data\": [0.5, -1, 2]}},"
            + " {\"type\": \"flatten\"}, {\"type\": \"linear\", \"weight\": {\"shape\": [2, 3], \"data\": [1, 0, 0, 0, 1, 0]}, \"bias\": null}]}";
        ModelFile.Loaded back = ModelFile.read(file);
        Model m = back.model;
        assertEquals(0, back.step);
        assertEquals(2, m.config.blockSize);
        assertEquals(new Config().steps, m.config.steps, "other settings default as train's do");
        assertEquals(new Config().lr, m.config.lr);
        assertEquals(List.of("Embedding(3, 1)", "Flatten()", "Linear(2, 3, bias=False)"), m.net.layers().stream().map(Object::toString).toList());
        // logits of context "ab" = [C[a], C[b]] · W = [-1, 2] · W = [-1, 2, 0]
        float[] logits = new float[3];
        new Inference(m).logits(new int[] {1, 2}, 0, logits);
        assertArrayEquals(new float[] {-1, 2, 0}, logits);
    }

    @ParameterizedTest(name = "batchNorm {0}")
    @ValueSource(booleans = {true, false})
    void aDeepNetworkRoundTripsBitForBit(boolean batchNorm) {
        Config c = smallConfig(batchNorm);
        c.widths = new int[] {6, 5, 7};
        c.outBatchNorm = batchNorm;
        c.outScale = batchNorm ? 0.1f : 0.01f;
        List<String> words = TestData.names().subList(0, 300);
        Dataset data = new Dataset(words, c.blockSize, c.seed);
        c.steps = 20;
        Model m = Model.init(c, data.vocab);
        Trainer t = new Trainer(m, data);
        while (!t.finished()) t.trainStep();
        String text = ModelFile.write(m, t.stepsDone());
        ModelFile.Loaded back = ModelFile.read(text);
        assertSameModel(m, back.model);
        assertEquals(m.batchNorms().size(), back.model.batchNorms().size());
        for (int k = 0; k < m.batchNorms().size(); k++) {
            assertArrayEquals(bits(m.batchNorms().get(k).runningVar), bits(back.model.batchNorms().get(k).runningVar), "running var " + k);
        }
        assertEquals(c.outBatchNorm, back.model.config.outBatchNorm);
        assertEquals(text, ModelFile.write(back.model, back.step));
        assertEquals(new Inference(m).loss(data.val), new Inference(back.model).loss(data.val), 0.0);
    }

    /** The same model as the version-1 document the previous teagrad wrote. */
    @SuppressWarnings("unchecked")
    static String asVersion1(Model m, int step) {
        Map<String, Object> d = doc(ModelFile.write(m, step));
        d.put("version", num("1"));
        Map<String, Object> cfg = (Map<String, Object>) d.get("config");
        Config c = m.config;
        cfg.put("vocabSize", num(Integer.toString(m.vocab.size())));
        cfg.put("embedDim", num(Integer.toString(c.embedDim)));
        cfg.put("hidden", num(Integer.toString(c.widths[0])));
        cfg.put("batchNorm", c.batchNorm);
        for (String key : List.of("preset", "hiddenScale", "hiddenBiasScale", "outBiasScale")) cfg.remove(key);
        return toJson(d);
    }

    @ParameterizedTest(name = "batchNorm {0}")
    @ValueSource(booleans = {true, false})
    void version1FilesKeepLoading(boolean batchNorm) {
        Model m = smallModel(batchNorm);
        ModelFile.Loaded back = ModelFile.read(asVersion1(m, 77));
        assertEquals(77, back.step);
        assertSameModel(m, back.model);
        assertTrue(ModelFile.write(back.model, 77).contains("\"version\": 2"), "written back as version 2");
    }

    @Test
    void version1RefusesWhatItAlwaysRefused() {
        Model m = smallModel(true);
        Map<String, Object> d = doc(asVersion1(m, 1));
        list(d, "layers").remove(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.read(toJson(d)));
        assertMentions(e.getMessage(), "expected 6 layers", "got 5");
        Map<String, Object> d2 = doc(asVersion1(m, 1));
        layer(d2, 3).put("eps", num("0.001"));
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.read(toJson(d2)));
        assertMentions(e.getMessage(), "layers[3]", "eps");
        Map<String, Object> d3 = doc(asVersion1(m, 1));
        ((Map<String, Object>) d3.get("config")).put("hidden", num("0"));
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.read(toJson(d3)));
        assertMentions(e.getMessage(), "config", "hidden");
    }

    @Test
    void aNegativeStepIsRefused() {
        assertMentions(rejection(true, d -> d.put("step", num("-1"))), "step");
    }

    // ---------------------------------------------------------------- the optional history

    static History history(int steps) {
        History h = new History();
        for (int i = 0; i < steps; i++) h.addLoss(3.3f - i * 0.01f);
        h.addDev(5, 2.9f);
        h.addDev(10, 2.75f);
        return h;
    }

    @Test
    void theHistoryRoundTripsExactlyAndIsOptional() {
        Model m = smallModel(true);
        String text = ModelFile.write(m, 10, history(10));
        ModelFile.Loaded back = ModelFile.read(text);
        assertArrayEquals(bits(history(10).losses()), bits(back.history.losses()));
        assertArrayEquals(new int[] {5, 10}, back.history.devSteps());
        assertArrayEquals(bits(new float[] {2.9f, 2.75f}), bits(back.history.devLosses()));
        assertEquals(text, ModelFile.write(back.model, back.step, back.history));
        assertNull(ModelFile.read(ModelFile.write(m, 10)).history, "a file without history has none");
        assertFalse(ModelFile.write(m, 10, new History()).contains("history"), "an empty history is left out");
    }

    @Test
    void aHistoryThatCannotBeTheRunsIsRefused() {
        Model m = smallModel(true);
        Map<String, Object> d = doc(ModelFile.write(m, 10, history(10)));
        String longer = toJson(edit(d, h -> list(h, "losses").add(num("2.5"))));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> ModelFile.read(longer)).getMessage(), "history.losses", "more than 10 values", "10 steps");
        String nan = toJson(edit(doc(ModelFile.write(m, 10, history(10))), h -> list(h, "losses").set(3, "NaN")));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> ModelFile.read(nan)).getMessage(), "history.losses[3]", "finite");
        String backwards = toJson(edit(doc(ModelFile.write(m, 10, history(10))), h -> list(h, "devSteps").set(1, num("4"))));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> ModelFile.read(backwards)).getMessage(), "history.devSteps[1]");
        String uneven = toJson(edit(doc(ModelFile.write(m, 10, history(10))), h -> list(h, "devLosses").remove(0)));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> ModelFile.read(uneven)).getMessage(), "differ in length");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> edit(Map<String, Object> doc, Consumer<Map<String, Object>> edit) {
        edit.accept((Map<String, Object>) doc.get("history"));
        return doc;
    }

    // ---------------------------------------------------------------- refusing a big file by its start

    @Test
    void noCutOfAValidFileIsRefusedByItsStart() {
        Model m = smallModel(true);
        String text = ModelFile.write(m, 2000, history(2000), new int[] {1, 2, 3, 4}).replace("\"vocab\": \".", "\"vocab\": \"\\u002e");
        assertTrue(text.length() > 2 * ModelFile.START_MARGIN, "long enough to be cut anywhere: " + text.length());
        // Shorter cuts cannot be refused; these are inside numbers, strings, escapes, literals and keys.
        for (int cut = ModelFile.START_MARGIN; cut <= text.length(); cut++) {
            assertNull(ModelFile.refusalOfStart(text.substring(0, cut)), "cut at " + cut);
        }
    }

    @Test
    void aFileThatGoesWrongEarlyIsRefusedByItsStartWithTheMessageOfTheWholeFile() {
        String text = ModelFile.write(smallModel(true), 10).replaceFirst("\"data\": \\[", "\"data\": [" + "0.5, ".repeat(100_000));
        String whole = assertThrows(IllegalArgumentException.class, () -> ModelFile.read(text)).getMessage();
        assertEquals(whole, ModelFile.refusalOfStart(text.substring(0, 100_000)).getMessage());
        assertMentions(whole, "layers[0].weight.data has more than 36 values");
    }
}
