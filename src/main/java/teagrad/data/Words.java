package teagrad.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A word list: one word per line, as in makemore's names.txt.
 *
 * <p>Tolerant of how files arrive (a UTF-8 byte-order mark, CRLF line ends, blank lines,
 * spaces around a word) and strict about what cannot be a word: the end-of-word marker '.',
 * control characters (a binary file), or an empty list. Errors name the line.
 */
public final class Words {
    private Words() {}

    /** Longest word accepted: names are short; a 10k-character "word" is a wrong file. */
    public static final int MAX_WORD_LENGTH = 200;

    public static List<String> parse(String text) {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<String> words = new ArrayList<>();
        int lineNo = 0;
        for (int start = 0; start <= text.length(); ) {   // the lines, as split("\n", -1) gives them (a loop: TeaVM's split is a regex)
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            String line = text.substring(start, end);
            start = end + 1;
            lineNo++;
            String w = line.strip();
            if (w.isEmpty()) continue;
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                if (c == '.') {
                    throw new IllegalArgumentException("line " + lineNo + ": '" + w + "' contains '.', which marks the end of a word");
                }
                if (Character.isISOControl(c) || c == '\uFFFD') {
                    throw new IllegalArgumentException("line " + lineNo + ": character U+" + hex(c) + " is not text; is this a word list?");
                }
            }
            if (w.length() > MAX_WORD_LENGTH) {
                throw new IllegalArgumentException("line " + lineNo + ": a word of " + w.length() + " characters (at most " + MAX_WORD_LENGTH + "); is this a word list?");
            }
            words.add(w);
        }
        if (words.isEmpty()) throw new IllegalArgumentException("the word list has no words");
        return words;
    }

    private static String hex(char c) {
        String h = Integer.toHexString(c).toUpperCase();
        return "0000".substring(h.length()) + h;
    }
}
