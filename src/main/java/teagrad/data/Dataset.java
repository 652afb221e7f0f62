package teagrad.data;

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
    /** The shuffled words of each split (their strings are made when read). */
    public final List<String> trainWords, valWords, testWords;
    public final Split train, val, test;
    private java.util.Set<String> trainWordSet;   // made on the first question: only sampling asks

    public Dataset(List<String> words, int blockSize, long seed) {
        this(words, Vocab.of(words), blockSize, seed);
    }

    public Dataset(List<String> words, Vocab vocab, int blockSize, long seed) {
        if (blockSize < 1) throw new IllegalArgumentException("blockSize must be at least 1, got " + blockSize);
        this.vocab = vocab;
        this.blockSize = blockSize;
        WordList all = WordList.of(words);
        int[] order = new int[all.size()];                 // the words' shuffled order: order[k] is the k-th
        for (int i = 0; i < order.length; i++) order[i] = i;
        new Rng(seed, Rng.SPLIT).shuffle(order);
        int n1 = (int) (0.8 * order.length), n2 = (int) (0.9 * order.length);
        trainWords = inOrder(all, order, 0, n1);
        valWords = inOrder(all, order, n1, n2);
        testWords = inOrder(all, order, n2, order.length);
        train = windows(all, order, 0, n1);
        val = windows(all, order, n1, n2);
        test = windows(all, order, n2, order.length);
    }

    /** The (context, target) examples of some words. */
    public Split windows(List<String> words) {
        int[] order = new int[words.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        return windows(WordList.of(words), order, 0, order.length);
    }

    /** The examples of words order[from..to), in that order: every character of a word, then '.', after the blockSize characters before it. */
    private Split windows(WordList words, int[] order, int from, int to) {
        int count = 0, longest = 0;
        for (int k = from; k < to; k++) {
            int n = words.length(order[k]);
            count += n + 1;                                        // each character, then '.'
            longest = Math.max(longest, n);
        }
        int[] x = new int[count * blockSize], y = new int[count];
        int[] word = new int[longest + 1];                         // the word as indices, then '.'
        int e = 0;
        for (int k = from; k < to; k++) {
            int w = order[k], n = words.length(w);
            vocab.indices(words.codePoints(), words.start(w), n, word);
            word[n] = Vocab.END;
            for (int i = 0; i <= n; i++, e++) {
                for (int p = 0; p < blockSize; p++) {              // the context: the blockSize characters before, '.' before the word
                    int before = i - blockSize + p;
                    x[e * blockSize + p] = before < 0 ? Vocab.END : word[before];
                }
                y[e] = word[i];
            }
        }
        return new Split(x, y, blockSize);
    }

    /** Words order[from..to) as a list. */
    private static List<String> inOrder(WordList words, int[] order, int from, int to) {
        return new java.util.AbstractList<>() {
            @Override public String get(int k) { return words.get(order[from + java.util.Objects.checkIndex(k, to - from)]); }
            @Override public int size() { return to - from; }
        };
    }

    public boolean isTrainingWord(String w) {
        if (trainWordSet == null) trainWordSet = new java.util.HashSet<>(trainWords);
        return trainWordSet.contains(w);
    }

    public Split split(String name) {
        switch (name) {
            case "train": return train;
            case "val": case "dev": return val;
            case "test": return test;
            default: throw new IllegalArgumentException("unknown split '" + name + "' (train, val or test)");
        }
    }
}
