package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the worker tells the page when something throws (Dispatcher posts it as error {during, message}). */
class FailureTest {
    @ParameterizedTest
    @ValueSource(strings = {"evaluate", "profile", "baseline", "reset", "sample", "data", "configure", "import", "export", "pause"})
    void aMessageThatFailsIsReportedAsItselfAndLeavesTrainingRunning(String type) {
        Failure f = Failure.of(type, new IllegalArgumentException("no"));
        assertEquals(type, f.during, "not reported as 'train'");
        assertEquals("no", f.message);
        assertFalse(f.stopsTraining(), type + " failing does not stop a run that is going");
    }

    @Test
    void aFailedSliceOrStartStopsTraining() {
        assertTrue(Failure.of("train", new RuntimeException("x")).stopsTraining());
        assertTrue(Failure.of("start", new RuntimeException("x")).stopsTraining());
    }

    @Test
    void anErrorNotOnlyAnExceptionIsReportedByName() {
        Failure f = Failure.of("train", new StackOverflowError());
        assertEquals("StackOverflowError", f.message);
        assertTrue(f.stopsTraining());
        assertEquals("OutOfMemoryError", Failure.of("evaluate", new OutOfMemoryError()).message);
        assertEquals("Java heap space", Failure.of("train", new OutOfMemoryError("Java heap space")).message);
    }

    @ParameterizedTest
    @NullAndEmptySource   // a message with no type, or with type ""
    void aMessageWithoutATypeIsReportedAsUnknown(String type) {
        assertEquals("unknown", Failure.of(type, new IllegalArgumentException("unknown message type ''")).during);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n"})
    void aThrowableWithABlankMessageIsReportedByName(String blank) {
        assertEquals("IllegalStateException", Failure.of("evaluate", new IllegalStateException(blank)).message);
    }
}
