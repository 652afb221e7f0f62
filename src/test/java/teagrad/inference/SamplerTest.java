package teagrad.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import teagrad.data.Dataset;
import teagrad.data.Vocab;
import teagrad.model.Config;
import teagrad.model.Model;
import teagrad.train.Trainer;
import teagrad.Chapter;
import teagrad.TestData;

/** Names drawn from a model. */
class SamplerTest {
    static Model trained;

    @BeforeAll
    static void trainALittle() {
        Config c = new Config();
        c.widths = new int[] {64};
        c.steps = 300;
        Dataset data = new Dataset(TestData.names().subList(0, 3000), c.blockSize, c.seed);
        Trainer t = new Trainer(Model.init(c, data.vocab), data);
        while (!t.finished()) t.trainStep();
        Inference.calibrate(t.model, data.train);
        trained = t.model;
    }

    static List<String> sample(Model m, long seed, int n) {
        Sampler s = new Sampler(m, seed);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) names.add(s.next());
        return names;
    }

    /** A network whose logits are b2 whatever the context: W2 = 0. */
    static Model fixedLogits(String vocab, float[] b2) {
        Config c = new Config();
        c.widths = new int[] {4};
        c.embedDim = 2;
        Model m = Model.init(c, Vocab.parse(vocab));
        Arrays.fill(Chapter.last(m).weight.data, 0f);
        System.arraycopy(b2, 0, Chapter.last(m).bias.data, 0, b2.length);
        return m;
    }

    @Test
    void theSameSeedGivesTheSameNames() {
        assertEquals(sample(trained, 7, 50), sample(trained, 7, 50));
        assertNotEquals(sample(trained, 7, 50), sample(trained, 8, 50));
    }

    @Test
    void namesUseOnlyVocabularyCharactersNeverDotAndAreAtMostMaxLength() {
        String letters = trained.vocab.toString().substring(1);
        // the trained model and an untrained one (near-uniform: long names that hit the cap)
        Config c = new Config();
        c.widths = new int[] {16};
        Model untrained = Model.init(c, trained.vocab);
        int capped = 0;
        for (Model m : List.of(trained, untrained)) {
            for (String name : sample(m, 3, 500)) {
                assertFalse(name.contains("."), name);
                assertTrue(name.codePointCount(0, name.length()) <= Sampler.MAX_LENGTH, name);
                for (char ch : name.toCharArray()) assertTrue(letters.indexOf(ch) >= 0, "'" + ch + "' in " + name);
                if (name.length() == Sampler.MAX_LENGTH) capped++;
            }
        }
        assertTrue(capped > 0, "with P(end) ≈ 1/27 per character some of 500 names reach the cap");
    }

    @Test
    void aTrainedModelMakesNameLikeStrings() {
        double meanLength = sample(trained, 1, 500).stream().mapToInt(String::length).average().orElse(0);
        // names.txt averages 6.1 letters; an untrained model ~26
        assertTrue(meanLength > 3 && meanLength < 12, "mean length " + meanLength);
    }

    @Test
    void biasFavouringOneLetterAndDotGivesNamesOfThatLetterOnly() {
        float[] b2 = new float[5];
        Arrays.fill(b2, -30f);
        b2[0] = 20f;   // '.'
        b2[3] = 20f;   // 'c'
        Model m = fixedLogits(".abcd", b2);
        List<String> names = sample(m, 11, 2000);
        int total = 0;
        for (String n : names) {
            assertTrue(n.matches("c*"), n);
            total += n.length();
        }
        // each character is 'c' or the end with probability ½: the length is geometric, mean 1
        // (sd of the mean of 2000: √2/√2000 ≈ 0.032; allow 5 sd)
        assertEquals(1.0, (double) total / names.size(), 0.16);
        assertTrue(names.contains(""), "'.' first gives the empty name");
    }

    @Test
    void biasFavouringOnlyOneLetterRunsToMaxLength() {
        float[] b2 = {-40f, -40f, 40f};
        Model m = fixedLogits(".ab", b2);
        for (String n : sample(m, 1, 5)) assertEquals("b".repeat(Sampler.MAX_LENGTH), n);
    }

    @Test
    void biasFavouringDotGivesEmptyNames() {
        Model m = fixedLogits(".ab", new float[] {40f, -40f, -40f});
        for (String n : sample(m, 1, 5)) assertEquals("", n);
    }

    @Test
    void aLetterOutsideTheBasicPlaneIsOneCharacterOfTheName() {
        String smile = new String(Character.toChars(0x1F600));
        Model m = fixedLogits(".a" + smile, new float[] {-40f, -40f, 40f});
        String n = new Sampler(m, 1).next();
        assertEquals(smile.repeat(Sampler.MAX_LENGTH), n);
    }

    @Test
    void charactersAreDrawnWithTheirSoftmaxProbabilities() {
        // P('.') = 0.5, P('a') = 0.3, P('b') = 0.2 at every position: the first character
        float[] b2 = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        Model m = fixedLogits(".ab", b2);
        int n = 20_000;
        int[] counts = new int[3];
        for (String name : sample(m, 5, n)) counts[name.isEmpty() ? 0 : name.charAt(0) == 'a' ? 1 : 2]++;
        double[] p = {0.5, 0.3, 0.2};
        double chi2 = 0;
        for (int i = 0; i < 3; i++) chi2 += Math.pow(counts[i] - n * p[i], 2) / (n * p[i]);
        // 2 degrees of freedom: P(χ² > 13.82) = 0.001 (fixed seed: deterministic)
        assertTrue(chi2 < 13.82, "chi-square " + chi2 + " for counts " + Arrays.toString(counts));
    }
}
