package teagrad.data;

/**
 * The distinct contexts of a split, and which one each example has. The dev split's 22,655
 * examples have only 2,965 different three-letter contexts (the training split: 182,625 and about
 * 5,500): in eval mode the network's output depends on the context alone, so a whole-split loss
 * runs the network once per distinct context and looks the rest up.
 */
public final class Contexts {
    /** The distinct contexts, in order of first appearance: context u is unique[u·block .. (u+1)·block). */
    public final int[] unique;
    /** How many there are. */
    public final int count;
    /** of[i] = the distinct context of example i. */
    public final int[] of;

    private Contexts(int[] unique, int count, int[] of) {
        this.unique = unique;
        this.count = count;
        this.of = of;
    }

    /** The distinct rows of x, n rows of {@code block} ints: an open-addressing hash table over the rows. */
    public static Contexts of(int[] x, int n, int block) {
        int[] of = new int[n];
        int[] unique = new int[n * block];
        int capacity = Integer.highestOneBit(Math.max(2 * n, 2) - 1) << 1;   // a power of two ≥ 2n: at most half full
        int[] slot = new int[capacity];                                     // 0 = empty, else u + 1
        int count = 0;
        for (int i = 0; i < n; i++) {
            int h = 0;
            for (int p = 0; p < block; p++) h = 31 * h + x[i * block + p];
            h ^= h >>> 16;                                                  // spread the high bits into the mask
            int s = h & (capacity - 1);
            while (slot[s] != 0 && !sameRow(unique, (slot[s] - 1) * block, x, i * block, block)) s = (s + 1) & (capacity - 1);
            if (slot[s] == 0) {
                System.arraycopy(x, i * block, unique, count * block, block);
                slot[s] = ++count;
            }
            of[i] = slot[s] - 1;
        }
        return new Contexts(java.util.Arrays.copyOf(unique, count * block), count, of);
    }

    private static boolean sameRow(int[] a, int ao, int[] b, int bo, int block) {
        for (int p = 0; p < block; p++) if (a[ao + p] != b[bo + p]) return false;
        return true;
    }
}
