package teagrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import teagrad.TestData;

/** A split's distinct contexts: every example maps to a row equal to its own context, and no row appears twice. */
class ContextsTest {
    static void assertDistinctRowsCoverEveryExample(int[] x, int n, int block, Contexts c) {
        assertEquals(n, c.of.length);
        assertEquals(c.count * block, c.unique.length);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(Arrays.copyOfRange(x, i * block, (i + 1) * block),
                Arrays.copyOfRange(c.unique, c.of[i] * block, (c.of[i] + 1) * block), "example " + i);
        }
        java.util.Set<String> rows = new java.util.HashSet<>();
        for (int u = 0; u < c.count; u++) rows.add(Arrays.toString(Arrays.copyOfRange(c.unique, u * block, (u + 1) * block)));
        assertEquals(c.count, rows.size(), "a context listed twice");
    }

    @Test
    void theDevSplitOfNamesHasFewerDistinctContextsThanExamples() {
        Dataset data = new Dataset(TestData.names(), 3, 42);
        for (Dataset.Split s : new Dataset.Split[] {data.train, data.val, data.test}) {
            Contexts c = s.contexts();
            assertDistinctRowsCoverEveryExample(s.x, s.size, s.blockSize, c);
            assertEquals(true, c.count < s.size / 4, c.count + " distinct contexts of " + s.size);
        }
    }

    @Test
    void rowsThatCollideInTheHashAreStillTellApart() {
        // 31·a + b is the same hash for (0, 31) and (1, 0): a table that trusted the hash would merge them
        int[] x = {0, 31, 1, 0, 0, 31, 2, -31, 1, 0};
        Contexts c = Contexts.of(x, 5, 2);
        assertDistinctRowsCoverEveryExample(x, 5, 2, c);
        assertEquals(3, c.count);
        assertArrayEquals(new int[] {0, 1, 0, 2, 1}, c.of);
    }

    @Test
    void manyRandomContextsOfASmallAlphabet() {
        java.util.Random r = new java.util.Random(5);
        int n = 10_000, block = 4;
        int[] x = new int[n * block];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(7);
        Contexts c = Contexts.of(x, n, block);
        assertDistinctRowsCoverEveryExample(x, n, block, c);
        assertNotEquals(n, c.count);
    }

    @Test
    void anEmptySplitHasNoContexts() {
        assertEquals(0, Contexts.of(new int[0], 0, 3).count);
    }
}
