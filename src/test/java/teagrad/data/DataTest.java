package teagrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import teagrad.TestData;

/** Word lists, the vocabulary and the (context → next character) data set. */
class DataTest {

    static IllegalArgumentException refused(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Words.parse(text));
    }

    @Nested
    class WordLists {
        @Test
        void oneWordPerLine() {
            assertEquals(List.of("emma", "olivia", "ava"), Words.parse("emma\nolivia\nava\n"));
            assertEquals(List.of("emma", "olivia"), Words.parse("emma\nolivia"), "no newline at the end");
        }

        @Test
        void crlfLineEndsAreAccepted() {
            assertEquals(List.of("emma", "olivia", "ava"), Words.parse("emma\r\nolivia\r\nava\r\n"));
        }

        @Test
        void aByteOrderMarkIsIgnored() {
            List<String> w = Words.parse("\uFEFFemma\nava\n");
            assertEquals(List.of("emma", "ava"), w);
            assertEquals('e', w.get(0).charAt(0));
        }

        @Test
        void blankLinesAreSkipped() {
            assertEquals(List.of("emma", "ava"), Words.parse("\n\nemma\n\n   \n\t\nava\n\n"));
        }

        @Test
        void spacesAroundAWordAreStripped() {
            assertEquals(List.of("emma", "ava", "mia"), Words.parse("  emma  \n\tava\t\r\n mia"));
        }

        @Test
        void uppercaseAndAccentedLettersAreKeptAsWritten() {
            assertEquals(List.of("Émile", "ZOË", "josé", "Łukasz"), Words.parse("Émile\nZOË\njosé\nŁukasz\n"));
        }

        @Test
        void aDotInAWordIsRefusedNamingTheLine() {
            IllegalArgumentException e = refused("emma\nan.na\nava\n");
            assertTrue(e.getMessage().contains("line 2"), e.getMessage());
            assertTrue(e.getMessage().contains("an.na"), e.getMessage());
        }

        @Test
        void lineNumbersCountBlankLinesAndTheCrlfFile() {
            IllegalArgumentException e = refused("emma\r\n\r\n\r\nj.r\r\n");
            assertTrue(e.getMessage().contains("line 4"), e.getMessage());
        }

        @Test
        void aNulByteIsRefusedNamingTheLineAndTheCharacter() {
            IllegalArgumentException e = refused("emma\nava\nx\u0000y\n");
            assertTrue(e.getMessage().contains("line 3"), e.getMessage());
            assertTrue(e.getMessage().contains("U+0000"), e.getMessage());
        }

        @Test
        void otherControlCharactersAreRefused() {
            assertTrue(refused("emma\u0007\n").getMessage().contains("line 1"));
            assertTrue(refused("ok\na\u007Fb\n").getMessage().contains("line 2"));
        }

        @Test
        void theReplacementCharacterOfUndecodableBytesIsRefused() {
            IllegalArgumentException e = refused("emma\nbad\uFFFDname\n");
            assertTrue(e.getMessage().contains("line 2"), e.getMessage());
            assertTrue(e.getMessage().contains("U+FFFD"), e.getMessage());
        }

        @Test
        void anEmptyListIsRefused() {
            for (String text : new String[] {"", "\n", "\r\n  \n\t\n", "\uFEFF"}) {
                IllegalArgumentException e = refused(text);
                assertTrue(e.getMessage().contains("no words"), e.getMessage());
            }
        }

        @Test
        void anAbsurdlyLongWordIsRefusedNamingTheLine() {
            String longWord = "a".repeat(Words.MAX_WORD_LENGTH + 1);
            IllegalArgumentException e = refused("emma\n" + longWord + "\n");
            assertTrue(e.getMessage().contains("line 2"), e.getMessage());
            assertEquals(List.of("a".repeat(Words.MAX_WORD_LENGTH)), Words.parse("a".repeat(Words.MAX_WORD_LENGTH)));
        }

        @Test
        void aWordsLengthIsCountedInCharactersNotUtf16Units() {
            String emoji = "\uD83D\uDE00";   // one character, two UTF-16 units
            assertEquals(List.of(emoji.repeat(Words.MAX_WORD_LENGTH)), Words.parse(emoji.repeat(Words.MAX_WORD_LENGTH)));
            IllegalArgumentException e = refused(emoji.repeat(Words.MAX_WORD_LENGTH + 1));
            assertTrue(e.getMessage().contains("a word of " + (Words.MAX_WORD_LENGTH + 1) + " characters"), e.getMessage());
        }

        @Test
        void moreDistinctCharactersThanAVocabularyHoldsAreRefusedNamingTheLine() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < Words.MAX_CHARACTERS; i++) b.append((char) (0x4e00 + i)).append('\n');
            assertEquals(Words.MAX_CHARACTERS, Vocab.of(Words.parse(b.toString())).size() - 1, "999 distinct characters are a vocabulary");
            IllegalArgumentException e = refused(b + "\u9fa0\n");
            assertTrue(e.getMessage().contains("line 1000") && e.getMessage().contains("distinct character number 1000"), e.getMessage());
        }

        @Test
        void aListLargerThanTheLimitIsRefusedBeforeItIsSplit() {
            IllegalArgumentException e = refused("a\n".repeat(Words.MAX_BYTES / 2 + 1));
            assertTrue(e.getMessage().contains("50 MB"), e.getMessage());
        }

        @Test
        void aWordInAMessageIsQuotedEscapedAndCut() {
            IllegalArgumentException e = refused("emma\na.b\u001b]0;title\u0007" + "x".repeat(150) + "\n");
            String m = e.getMessage();
            assertTrue(m.contains("\"a.b\\u001B]0;title\\u0007xxx"), m);
            assertTrue(m.contains("…") && m.length() < 200, m);
            assertTrue(m.chars().noneMatch(c -> c < 0x20), m);
        }
    }

    @Nested
    class Vocabulary {
        @Test
        void dotIsIndexZeroThenTheDistinctCharactersSorted() {
            Vocab v = Vocab.of(List.of("emma", "olivia", "ava"));
            assertEquals(".aeilmov", v.toString());
            assertEquals(8, v.size());
            assertEquals(Vocab.END, v.index('.'));
            assertEquals(0, Vocab.END);
            assertEquals('.', v.codePoint(0));
            String s = v.toString();
            for (int i = 0; i < v.size(); i++) {
                assertEquals(s.charAt(i), v.codePoint(i));
                assertEquals(i, v.index(s.charAt(i)));
            }
        }

        @Test
        void sortingIsByCodePointNotByOrderOfAppearance() {
            assertEquals(".Zabcé", Vocab.of(List.of("cba", "é", "Z")).toString());
        }

        @Test
        void parseAndToStringRoundTrip() {
            Vocab v = Vocab.of(List.of("zoë", "Ann", "bo"));
            Vocab back = Vocab.parse(v.toString());
            assertEquals(v, back);
            assertEquals(v.hashCode(), back.hashCode());
            assertEquals(v.toString(), back.toString());
        }

        @Test
        void charactersThatSortBelowTheDotRoundTripThroughParse() {
            // ' ', '!', '\'', '(' and '-' sort before '.' (0x2E), so they follow index 0 directly.
            Vocab v = Vocab.of(List.of("saint-étienne", "l'haÿ (val)", "New York", "x!"));
            assertEquals(". !'()-", v.toString().substring(0, 7));
            assertEquals(v, Vocab.parse(v.toString()));
            assertEquals(". -a", Vocab.parse(". -a").toString());
            assertThrows(IllegalArgumentException.class, () -> Vocab.parse(".- a"), "unsorted after index 0");
            assertThrows(IllegalArgumentException.class, () -> Vocab.parse(".  a"), "repeated after index 0");
        }

        @Test
        void charactersAreCodePointsSoAnEmojiIsOneToken() {
            String smile = new String(Character.toChars(0x1F600));
            Vocab v = Vocab.of(List.of("é" + smile, "a"));
            assertEquals(4, v.size(), "'.', 'a', 'é', and the emoji (one token, not two surrogates)");
            assertEquals(3, v.index(0x1F600));
            assertEquals(0x1F600, v.codePoint(3));
            assertEquals(2, v.index('é'));
            assertEquals("." + "a" + "é" + smile, v.toString());
            assertEquals(v, Vocab.parse(v.toString()));
        }

        @Test
        void parseRefusesAStringThatIsNotAVocabulary() {
            for (String bad : new String[] {"", ".", "abc", "a.bc", ".cba", ".abb", ".a.b"}) {
                assertThrows(IllegalArgumentException.class, () -> Vocab.parse(bad), bad);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocab.parse("abc"));
            assertTrue(e.getMessage().contains("'.'"), e.getMessage());
        }

        @Test
        void aCharacterOutsideTheVocabularyIsRefusedByName() {
            Vocab v = Vocab.parse(".abc");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.index('z'));
            assertTrue(e.getMessage().contains("\"z\""), e.getMessage());
        }
    }

    @Nested
    class Examples {
        @Test
        void emmaWithBlockSize3GivesTheFiveWindowsOfTheNotebook() {
            Vocab v = Vocab.of(List.of("emma"));
            int dot = v.index('.'), e = v.index('e'), m = v.index('m'), a = v.index('a');
            Dataset d = new Dataset(List.of("emma"), v, 3, 42);
            Dataset.Split s = d.windows(List.of("emma"));
            assertEquals(5, s.size);
            assertEquals(3, s.blockSize);
            // ... → e, ..e → m, .em → m, emm → a, mma → .
            assertArrayEquals(new int[] {
                dot, dot, dot,
                dot, dot, e,
                dot, e, m,
                e, m, m,
                m, m, a}, s.x);
            assertArrayEquals(new int[] {e, m, m, a, dot}, s.y);
        }

        @Test
        void eachWordStartsFromAFreshContextOfDots() {
            Vocab v = Vocab.of(List.of("ab", "c"));
            Dataset.Split s = new Dataset(List.of("ab", "c"), v, 2, 1).windows(List.of("ab", "c"));
            int a = v.index('a'), b = v.index('b'), c = v.index('c');
            assertArrayEquals(new int[] {0, 0, 0, a, a, b, 0, 0, 0, c}, s.x);
            assertArrayEquals(new int[] {a, b, 0, c, 0}, s.y);
        }

        @Test
        void aWordOfCodePointsGivesOneExamplePerCodePoint() {
            String smile = new String(Character.toChars(0x1F600));
            List<String> words = List.of("a" + smile + "é");
            Vocab v = Vocab.of(words);
            Dataset.Split s = new Dataset(words, v, 1, 1).windows(words);
            assertEquals(4, s.size, "3 code points + the end");
            assertArrayEquals(new int[] {v.index('a'), v.index(0x1F600), v.index('é'), 0}, s.y);
        }

        @Test
        void theSplitsPartitionTheShuffledWords() {
            List<String> words = new ArrayList<>();
            for (int i = 0; i < 50; i++) words.add("w" + (char) ('a' + i % 26) + (char) ('a' + i / 26));
            Dataset d = new Dataset(words, 2, 3);
            assertEquals(40, d.trainWords.size());
            assertEquals(5, d.valWords.size());
            assertEquals(5, d.testWords.size());
            List<String> all = new ArrayList<>(d.trainWords);
            all.addAll(d.valWords);
            all.addAll(d.testWords);
            assertNotEquals(words, all, "shuffled");
            all.sort(null);
            List<String> sorted = new ArrayList<>(words);
            sorted.sort(null);
            assertEquals(sorted, all);
            for (String w : d.trainWords) assertTrue(d.isTrainingWord(w));
            for (String w : d.valWords) assertFalse(d.isTrainingWord(w));
            assertSame(d.val, d.split("dev"));
            assertSame(d.val, d.split("val"));
            assertSame(d.train, d.split("train"));
            assertSame(d.test, d.split("test"));
            assertThrows(IllegalArgumentException.class, () -> d.split("bogus"));
        }

        @Test
        void blockSizeBelowOneIsRefused() {
            assertThrows(IllegalArgumentException.class, () -> new Dataset(List.of("emma", "ava"), 0, 1));
        }
    }

    @Nested
    class NamesTxt {
        final List<String> names = TestData.names();

        @Test
        void vocabularyIsDotThenTheAlphabet() {
            assertEquals(".abcdefghijklmnopqrstuvwxyz", Vocab.of(names).toString());
        }

        @Test
        void splitsAre80_10_10OfTheWordsAndTogetherHoldEveryExample() {
            Dataset d = new Dataset(names, 3, 42);
            int n = names.size();
            assertEquals(32_033, n, "makemore's names.txt");
            // the notebook: n1 = int(0.8·len(words)), n2 = int(0.9·len(words))
            assertEquals(25_626, d.trainWords.size());
            assertEquals(3_203, d.valWords.size());
            assertEquals(3_204, d.testWords.size());
            long expectedExamples = 0;
            for (String w : names) expectedExamples += w.length() + 1;
            assertEquals(228_146, expectedExamples);
            assertEquals(expectedExamples, (long) d.train.size + d.val.size + d.test.size);
            long trainExamples = 0;
            for (String w : d.trainWords) trainExamples += w.length() + 1;
            assertEquals(trainExamples, d.train.size);
            assertEquals(3 * d.train.size, d.train.x.length);
        }

        @Test
        void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
            Dataset a = new Dataset(names, 3, 42), b = new Dataset(names, 3, 42), c = new Dataset(names, 3, 43);
            assertEquals(a.trainWords, b.trainWords);
            assertEquals(a.valWords, b.valWords);
            assertArrayEquals(a.train.x, b.train.x);
            assertArrayEquals(a.test.y, b.test.y);
            assertNotEquals(a.trainWords, c.trainWords);
            assertNotEquals(a.valWords, c.valWords);
        }
    }
}
