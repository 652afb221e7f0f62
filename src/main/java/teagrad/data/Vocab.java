package teagrad.data;

import java.util.Arrays;
import java.util.List;

/**
 * Characters ↔ indices. '.' is index 0 and both starts the context (padding) and ends a word;
 * then the distinct characters of the word list, sorted by code point. Characters are Unicode
 * code points, so an accented or non-Latin letter is one token.
 */
public final class Vocab {
    /** Index of '.', the start padding and end-of-word token. */
    public static final int END = 0;
    public static final int MAX_SIZE = 1000;

    /** Code points below this are looked up in a table (Latin, Greek, Cyrillic, Hebrew, Arabic…), the rest by binary search. */
    private static final int TABLE = 0x800;

    private final int[] chars;     // index → code point, chars[0] = '.'
    private final int[] indexOf;   // code point → index + 1 for code points below TABLE (0: not in the vocabulary)

    private Vocab(int[] chars) {
        this.chars = chars;
        int size = 0;
        for (int c : chars) if (c < TABLE) size = Math.max(size, c + 1);
        indexOf = new int[size];
        for (int i = 0; i < chars.length; i++) if (chars[i] < TABLE) indexOf[chars[i]] = i + 1;
    }

    public static Vocab of(List<String> words) {
        // Seen code points as flags (a TreeSet<Integer> boxed each of names.txt's 228k characters: slow in the worker).
        WordList all = WordList.of(words);
        int[] cps = all.codePoints();
        boolean[] seen = new boolean[128];
        for (int i = 0, end = all.start(all.size()); i < end; i++) {
            int c = cps[i];
            if (c >= seen.length) seen = Arrays.copyOf(seen, Math.max(c + 1, 2 * seen.length));
            seen[c] = true;
        }
        seen['.'] = false;
        int distinct = 0;
        for (boolean b : seen) if (b) distinct++;
        int[] chars = new int[distinct + 1];
        chars[0] = '.';
        int i = 1;
        for (int c = 0; c < seen.length; c++) if (seen[c]) chars[i++] = c;   // sorted by code point
        return check(chars);
    }

    /** From its string form, ".abc…" (as stored in a model file). */
    public static Vocab parse(String s) {
        int[] chars = s.codePoints().toArray();
        if (chars.length < 2 || chars[0] != '.') {
            throw new IllegalArgumentException("vocab must start with '.' and have at least one more character, got " + Untrusted.quote(s));
        }
        // Index 0 is '.' whatever the other characters are, so the order starts at index 1:
        // ' ', '-', '\'' and '(' sort below '.' and come first (as Vocab.of puts them).
        for (int i = 1; i < chars.length; i++) {
            if (chars[i] == '.' || (i > 1 && chars[i] <= chars[i - 1])) {
                throw new IllegalArgumentException("vocab characters after '.' must be distinct and sorted, got " + Untrusted.quote(s));
            }
        }
        return check(chars);
    }

    private static Vocab check(int[] chars) {
        if (chars.length > MAX_SIZE) {
            throw new IllegalArgumentException("the word list has " + (chars.length - 1) + " distinct characters; at most " + (MAX_SIZE - 1) + " are supported");
        }
        return new Vocab(chars);
    }

    public int size() { return chars.length; }

    public int index(int codePoint) {
        if (codePoint >= 0 && codePoint < indexOf.length && indexOf[codePoint] > 0) return indexOf[codePoint] - 1;   // most characters
        int i = Arrays.binarySearch(chars, 1, chars.length, codePoint);
        if (codePoint == '.') return END;
        if (i < 0) throw new IllegalArgumentException("character " + Untrusted.quote(new String(Character.toChars(codePoint))) + " is not in the vocabulary");
        return i;
    }

    /** The indices of code points cps[from .. from + n) into out[0 .. n): {@link #index} of each, in one call. */
    public void indices(int[] cps, int from, int n, int[] out) {
        int[] table = indexOf;
        for (int i = 0; i < n; i++) {
            int cp = cps[from + i];
            out[i] = cp >= 0 && cp < table.length && table[cp] > 0 ? table[cp] - 1 : index(cp);
        }
    }

    public int codePoint(int index) { return chars[index]; }

    @Override
    public boolean equals(Object o) { return o instanceof Vocab v && Arrays.equals(chars, v.chars); }

    @Override
    public int hashCode() { return Arrays.hashCode(chars); }

    /** ".abc…": the form a model file stores. */
    @Override
    public String toString() { return new String(chars, 0, chars.length); }
}
