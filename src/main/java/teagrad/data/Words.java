package teagrad.data;

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

    /** The words of a list, as a {@link WordList} (its strings are made only when read). */
    public static List<String> parse(String text) {
        if (text.length() > MAX_BYTES) {
            throw new IllegalArgumentException("the word list has " + text.length() + " characters, more than the " + (MAX_BYTES >> 20) + " MB a word list may have");
        }
        // One pass over the characters, with plain array reads and no String per word: in the page's
        // worker a String method call per character (codePointAt, substring, strip) made loading names.txt slow.
        char[] c = text.toCharArray();
        int[] cps = new int[c.length];               // the words' code points, one after the other
        int[] start = new int[16];                   // word i: cps[start[i] .. start[i + 1])
        int words = 0, n = 0;
        boolean[] seen = new boolean[128];           // code points seen so far
        int distinct = 0;
        int lineNo = 0;
        for (int at = c.length > 0 && c[0] == '\uFEFF' ? 1 : 0; at <= c.length; ) {   // the lines, as split("\n", -1) gives them
            int end = at;
            while (end < c.length && c[end] != '\n') end++;
            int from = at, to = end;                 // the word: the line stripped of white space, as String.strip() does
            at = end + 1;
            lineNo++;
            while (from < to && isSpace(c[from])) from++;
            while (to > from && isSpace(c[to - 1])) to--;
            if (from == to) continue;
            int length = 0;                          // in code points: a surrogate pair is one
            for (int i = from; i < to; i++) if (i == from || !Character.isSurrogatePair(c[i - 1], c[i])) length++;
            if (length > MAX_WORD_LENGTH) {
                throw new IllegalArgumentException("line " + lineNo + ": a word of " + length + " characters (at most " + MAX_WORD_LENGTH + "); is this a word list?");
            }
            for (int i = from; i < to; ) {
                int cp = c[i++];
                if (i < to && Character.isSurrogatePair((char) cp, c[i])) cp = Character.toCodePoint((char) cp, c[i++]);
                if (cp == '.') {
                    throw new IllegalArgumentException("line " + lineNo + ": " + Untrusted.quote(new String(c, from, to - from)) + " contains '.', which marks the end of a word");
                }
                if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == '\uFFFD' || (cp >= 0xd800 && cp <= 0xdfff)) {   // control, replacement, lone surrogate
                    throw new IllegalArgumentException("line " + lineNo + ": character U+" + Untrusted.escape(cp).substring(2) + " is not text; is this a word list?");
                }
                if (cp >= seen.length) seen = java.util.Arrays.copyOf(seen, Math.max(cp + 1, 2 * seen.length));
                if (!seen[cp]) {
                    seen[cp] = true;
                    if (++distinct > MAX_CHARACTERS) {
                        throw new IllegalArgumentException("line " + lineNo + ": character " + Untrusted.quote(new String(Character.toChars(cp)))
                            + " is distinct character number " + distinct + "; a vocabulary holds at most " + MAX_CHARACTERS);
                    }
                }
                cps[n++] = cp;
            }
            if (words + 2 > start.length) start = java.util.Arrays.copyOf(start, 2 * start.length);
            start[++words] = n;
        }
        if (words == 0) throw new IllegalArgumentException("the word list has no words");
        return new WordList(cps, start, words);
    }

    /**
     * Character.isWhitespace, with ASCII answered here: TeaVM's isWhitespace decodes a Unicode
     * table on its first call (~10 ms in the page's worker), which names.txt never needs.
     */
    private static boolean isSpace(char c) {
        if (c < 128) return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
        return Character.isWhitespace(c);
    }
}
