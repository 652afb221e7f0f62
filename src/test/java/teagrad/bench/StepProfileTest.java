package teagrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import teagrad.data.Dataset;
import teagrad.model.Config;
import teagrad.TestData;

/** bench's table of where a training step's time goes. */
class StepProfileTest {
    private static final Pattern NUMBER = Pattern.compile("\\d+\\.\\d");

    private static String profile(Config c) {
        Dataset data = new Dataset(TestData.someNames(300), c.blockSize, c.seed);
        return StepProfile.table(c, data, 5, () -> System.nanoTime() / 1e6);
    }

    @Test
    void listsEveryOpOfTheGraphWithEachBackwardNamedByItsInput() {
        String table = profile(TestData.small());
        List<String> expected = List.of(
            "embeddingLinear ", "d0.weight ", "d2.weight ",
            "batchnorm ", "dembeddingLinear ", "d3.weight ", "d3.bias ",
            "tanh ", "dbatchnorm ",
            "matmul ", "dtanh ", "d5.weight ", "d5.bias ",
            "crossEntropy ", "dmatmul ");
        int at = 0;
        for (String e : expected) {   // in graph order: forward first, output last
            int i = table.indexOf(e, at);
            assertTrue(i >= 0, e.trim() + " missing (or out of order) in:\n" + table);
            at = i + e.length();
        }
    }

    @Test
    void everyFigureIsATimeAndTheWholeStepIsPositive() {
        String table = profile(TestData.small());
        String[] lines = table.split("\\R");
        assertEquals(5 + 4 + 6, lines.length, table);   // header, five ops, all ops, rest and its six parts, whole step
        Matcher whole = Pattern.compile("whole step\\s+(\\d+\\.\\d)").matcher(table);
        assertTrue(whole.find(), table);
        assertTrue(Double.parseDouble(whole.group(1)) > 0, table);
        Matcher m = NUMBER.matcher(table);
        int figures = 0;
        while (m.find()) {
            assertTrue(Double.isFinite(Double.parseDouble(m.group())));
            figures++;
        }
        assertEquals(5 + 10 + 3 + 6, figures, "a forward per op, a backward per input, three totals and the rest's parts:\n" + table);
    }

    @Test
    void splitsTheRestOfTheStepIntoTheTrainersOwnWork() {
        String table = profile(TestData.small());
        int at = table.indexOf("rest of the step");
        for (String part : List.of("minibatch drawn", "running stats saved", "parameter grads zeroed", "op grads zeroed", "finiteness check", "SGD update")) {
            int i = table.indexOf("    " + part + " ", at);
            assertTrue(i > at, part + " missing (or out of order) under the rest of the step in:\n" + table);
            at = i;
        }
        assertTrue(table.indexOf("whole step") > at, table);
    }

    @Test
    void refusesImpossibleRepetitionCounts() {
        Config c = TestData.small();
        Dataset data = new Dataset(TestData.someNames(50), c.blockSize, c.seed);
        for (int reps : new int[] {0, -1, 100_001}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StepProfile.table(c, data, reps, () -> 0));
            assertTrue(e.getMessage().contains("reps must be in [1, 100000]"), e.getMessage());
        }
    }
}
