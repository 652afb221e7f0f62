package teagrad.data;

import java.util.AbstractList;
import java.util.List;

/**
 * Words stored as one array of code points: word i is {@code codePoints[start[i] .. start[i + 1])}.
 * A {@code List<String>} whose strings are made only when asked for: the data set reads the code
 * points, so loading names.txt in the page's worker makes no String per word (32k of them and
 * their garbage took a fifth of the load).
 */
public final class WordList extends AbstractList<String> {
    private final int[] codePoints;
    private final int[] start;
    private final int size;

    /** The first {@code size} words of start (size + 1 offsets into codePoints); the arrays are kept, not copied. */
    WordList(int[] codePoints, int[] start, int size) {
        this.codePoints = codePoints;
        this.start = start;
        this.size = size;
    }

    /** The words as a WordList: this one if it is one, else their code points copied once. */
    public static WordList of(List<String> words) {
        if (words instanceof WordList w) return w;
        int total = 0;
        for (String w : words) total += w.codePointCount(0, w.length());
        int[] cps = new int[total], start = new int[words.size() + 1];
        int n = 0, i = 0;
        for (String w : words) {
            for (int k = 0; k < w.length(); ) {
                int cp = w.codePointAt(k);
                cps[n++] = cp;
                k += Character.charCount(cp);
            }
            start[++i] = n;
        }
        return new WordList(cps, start, words.size());
    }

    @Override public int size() { return size; }

    @Override public String get(int i) {
        java.util.Objects.checkIndex(i, size);
        return new String(codePoints, start[i], length(i));
    }

    /** Word i's length in code points. */
    public int length(int i) { return start[i + 1] - start[i]; }

    /** Where word i's code points begin in {@link #codePoints()} (i = size(): where the last one ends). */
    public int start(int i) { return start[i]; }

    /** All the words' code points, one after the other (read only). */
    int[] codePoints() { return codePoints; }
}
