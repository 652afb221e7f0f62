package teagrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import teagrad.TestData;

/**
 * The data set, built from code points without a String per word, is example for example the
 * one the notebook's recipe builds from strings: shuffle the word list, cut it 80/10/10, slide a
 * window of blockSize characters over each word padded with '.'. The recipe is written out here
 * the plain way, on Java strings, as the specification.
 */
class DatasetRecipeTest {

    /** The notebook's build_dataset on one split's words. */
    static int[][] recipe(List<String> words, Vocab vocab, int block) {
        List<Integer> x = new ArrayList<>(), y = new ArrayList<>();
        for (String w : words) {
            int[] context = new int[block];                                 // '.' = index 0
            for (int cp : (w + ".").codePoints().toArray()) {
                int ix = vocab.index(cp);
                for (int c : context) x.add(c);
                y.add(ix);
                System.arraycopy(context, 1, context, 0, block - 1);
                context[block - 1] = ix;
            }
        }
        return new int[][] {x.stream().mapToInt(Integer::intValue).toArray(), y.stream().mapToInt(Integer::intValue).toArray()};
    }

    static void assertAsTheRecipe(List<String> words, int block, long seed) {
        Dataset d = new Dataset(words, block, seed);
        List<String> shuffled = new ArrayList<>(words);
        Rng rng = new Rng(seed, Rng.SPLIT);
        for (int i = shuffled.size() - 1; i > 0; i--) java.util.Collections.swap(shuffled, i, rng.nextInt(i + 1));   // Fisher–Yates
        int n1 = (int) (0.8 * shuffled.size()), n2 = (int) (0.9 * shuffled.size());
        List<List<String>> parts = List.of(shuffled.subList(0, n1), shuffled.subList(n1, n2), shuffled.subList(n2, shuffled.size()));
        List<Dataset.Split> splits = List.of(d.train, d.val, d.test);
        assertEquals(parts, List.of(d.trainWords, d.valWords, d.testWords));
        for (int s = 0; s < 3; s++) {
            int[][] expected = recipe(parts.get(s), d.vocab, block);
            assertArrayEquals(expected[0], splits.get(s).x, "contexts of split " + s);
            assertArrayEquals(expected[1], splits.get(s).y, "targets of split " + s);
        }
    }

    @Test
    void namesTxtGivesTheRecipesSplitsForSeveralSeedsAndBlockSizes() {
        assertAsTheRecipe(TestData.names(), 3, 42);
        assertAsTheRecipe(TestData.names(), 1, 7);
        assertAsTheRecipe(TestData.names(), 8, 2147483648L);
    }

    @Test
    void wordsOfManyScriptsGiveTheRecipesSplits() {
        String smile = new String(Character.toChars(0x1F600));
        List<String> words = new ArrayList<>();
        String[] stems = {"émile", "ζωή", "łukasz", "наташа", "a" + smile, "日本", "o'neil", "jean-luc", smile + smile + "x"};
        for (int i = 0; i < 60; i++) words.add(stems[i % stems.length] + "abc".substring(0, i % 4));
        assertAsTheRecipe(words, 3, 1);
        assertAsTheRecipe(words, 5, 99);
    }

    @Test
    void aParsedListIsAWordListReadAsStrings() {
        List<String> words = Words.parse("  emma\r\nzoë\n\n" + new String(Character.toChars(0x1F600)) + "x\n");
        assertInstanceOf(WordList.class, words);
        assertEquals(List.of("emma", "zoë", new String(Character.toChars(0x1F600)) + "x"), words);
        WordList w = (WordList) words;
        assertEquals(2, w.length(2), "a surrogate pair is one code point");
        assertEquals(w.length(0) + w.length(1), w.start(2));
        assertThrows(IndexOutOfBoundsException.class, () -> words.get(3));
    }

    @Test
    void theVocabularyLooksUpEveryCharacterAsItsBinarySearchDoes() {
        List<String> words = List.of("az", " -'", "é", "ж", "日", new String(Character.toChars(0x1F600)));
        Vocab v = Vocab.of(words);
        int[] cps = v.toString().codePoints().toArray();
        int[] out = new int[cps.length];
        v.indices(cps, 0, cps.length, out);
        for (int i = 0; i < cps.length; i++) {
            assertEquals(i, v.index(cps[i]), "index of " + Character.getName(cps[i]));
            assertEquals(i, out[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> v.index('b'));
        assertThrows(IllegalArgumentException.class, () -> v.indices(new int[] {'a', 0x4E00}, 0, 2, new int[2]));
    }
}
