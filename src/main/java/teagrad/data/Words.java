package teagrad.data;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A word list: one word per line, as in makemore's names.txt.
 *
 * <p>Tolerant of how files arrive (a UTF-8 byte-order mark, CRLF line ends, blank lines,
 * spaces around a word) and strict about what cannot be a word: the end-of-word marker '.',
 * control characters (a binary file), or an empty list. Every limit is checked here, with a
 * one-line message naming the line: the size of the list, the length of a word (in
 * characters, not UTF-16 units: an emoji is one), and the distinct characters a vocabulary
 * can hold.
 */
public final class Words {
    private Words() {}

    /** Longest word accepted, in characters: names are short; a 10k-character "word" is a wrong file. */
    public static final int MAX_WORD_LENGTH = 200;
    /** Largest word list, in bytes of UTF-8 (so at most as many characters): the page refuses bigger files too. */
    public static final int MAX_BYTES = 50 << 20;
    /** Distinct characters a word list may use: the vocabulary adds '.'. */
    public static final int MAX_CHARACTERS = Vocab.MAX_SIZE - 1;

    public static List<String> parse(String text) {
        if (text.length() > MAX_BYTES) {
            throw new IllegalArgumentException("the word list has " + text.length() + " characters, more than the " + (MAX_BYTES >> 20) + " MB a word list may have");
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<String> words = new ArrayList<>();
        BitSet seen = new BitSet();
        int distinct = 0;
        int lineNo = 0;
        for (int start = 0; start <= text.length(); ) {   // the lines, as split("\n", -1) gives them (a loop: TeaVM's split is a regex)
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            String line = text.substring(start, end);
            start = end + 1;
            lineNo++;
            String w = line.strip();
            if (w.isEmpty()) continue;
            int length = w.codePointCount(0, w.length());
            if (length > MAX_WORD_LENGTH) {
                throw new IllegalArgumentException("line " + lineNo + ": a word of " + length + " characters (at most " + MAX_WORD_LENGTH + "); is this a word list?");
            }
            for (int i = 0; i < w.length(); i += Character.charCount(w.codePointAt(i))) {
                int c = w.codePointAt(i);
                if (c == '.') {
                    throw new IllegalArgumentException("line " + lineNo + ": " + Untrusted.quote(w) + " contains '.', which marks the end of a word");
                }
                if (Character.isISOControl(c) || c == '\uFFFD' || (c >= 0xd800 && c <= 0xdfff)) {
                    throw new IllegalArgumentException("line " + lineNo + ": character U+" + Untrusted.escape(c).substring(2) + " is not text; is this a word list?");
                }
                if (!seen.get(c)) {
                    seen.set(c);
                    if (++distinct > MAX_CHARACTERS) {
                        throw new IllegalArgumentException("line " + lineNo + ": character " + Untrusted.quote(new String(Character.toChars(c)))
                            + " is distinct character number " + distinct + "; a vocabulary holds at most " + MAX_CHARACTERS);
                    }
                }
            }
            words.add(w);
        }
        if (words.isEmpty()) throw new IllegalArgumentException("the word list has no words");
        return words;
    }
}
