package teagrad.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The names data set as the chapter builds it: every word becomes (context → next character)
 * examples with a sliding window of {@code blockSize} characters, padded with '.' at the start,
 * and '.' as the target after the last character. The words are shuffled with the seeded RNG
 * and split 80% / 10% / 10% into train / dev (val) / test, as the notebook does.
 */
public final class Dataset {
    /** Examples of one split: x[i·block + p] is the p-th context character of example i. */
    public static final class Split {
        public final int[] x;
        public final int[] y;
        public final int size;
        public final int blockSize;

        public Split(int[] x, int[] y, int blockSize) {
            this.x = x;
            this.y = y;
            this.size = y.length;
            this.blockSize = blockSize;
        }

        private Contexts contexts;   // computed once: a split's arrays are not changed after it is made

        /** The split's distinct contexts (eval runs the network once per distinct context). */
        public Contexts contexts() {
            if (contexts == null) contexts = Contexts.of(x, size, blockSize);
            return contexts;
        }
    }

    public final Vocab vocab;
    public final int blockSize;
    public final List<String> trainWords, valWords, testWords;
    public final Split train, val, test;
    private final java.util.Set<String> trainWordSet;

    public Dataset(List<String> words, int blockSize, long seed) {
        this(words, Vocab.of(words), blockSize, seed);
    }

    public Dataset(List<String> words, Vocab vocab, int blockSize, long seed) {
        if (blockSize < 1) throw new IllegalArgumentException("blockSize must be at least 1, got " + blockSize);
        this.vocab = vocab;
        this.blockSize = blockSize;
        List<String> shuffled = new ArrayList<>(words);
        new Rng(seed, Rng.SPLIT).shuffle(shuffled);
        int n1 = (int) (0.8 * shuffled.size()), n2 = (int) (0.9 * shuffled.size());
        trainWords = shuffled.subList(0, n1);
        valWords = shuffled.subList(n1, n2);
        testWords = shuffled.subList(n2, shuffled.size());
        train = windows(trainWords);
        val = windows(valWords);
        test = windows(testWords);
        trainWordSet = new java.util.HashSet<>(trainWords);
    }

    /** The (context, target) examples of some words. */
    public Split windows(List<String> words) {
        int count = 0;
        for (String w : words) count += w.codePointCount(0, w.length()) + 1;   // each char, then '.'
        int[] x = new int[count * blockSize], y = new int[count];
        int[] context = new int[blockSize];                                      // all '.' = index 0
        int e = 0;
        for (String w : words) {
            java.util.Arrays.fill(context, Vocab.END);
            for (int i = 0; i <= w.length(); ) {                                  // each character, then '.'
                int target = Vocab.END;
                if (i < w.length()) {
                    int cp = w.codePointAt(i);
                    target = vocab.index(cp);
                    i += Character.charCount(cp);
                } else {
                    i++;
                }
                System.arraycopy(context, 0, x, e * blockSize, blockSize);
                y[e++] = target;
                System.arraycopy(context, 1, context, 0, blockSize - 1);          // slide the window
                context[blockSize - 1] = target;
            }
        }
        return new Split(x, y, blockSize);
    }

    public boolean isTrainingWord(String w) { return trainWordSet.contains(w); }

    public Split split(String name) {
        switch (name) {
            case "train": return train;
            case "val": case "dev": return val;
            case "test": return test;
            default: throw new IllegalArgumentException("unknown split '" + name + "' (train, val or test)");
        }
    }
}
