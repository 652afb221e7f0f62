package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import teagrad.model.Config;

/**
 * A word list read ahead (Protocol's "ahead", sent while the page lays out) is what its data
 * message then uses, and nothing else: the run trains exactly as if the list had only been sent.
 */
class ReadAheadTest {
    static Config small() {
        Config c = new Config();
        c.widths = new int[] {16};
        c.steps = 1000;
        return c;
    }

    static Session session(Config c) {
        Session s = new Session();
        s.configure(c);
        return s;
    }

    static float[] losses(Session s, int steps) {
        s.train(steps);
        return s.takeLosses();
    }

    @Test
    void theListReadAheadIsNotSplitAgainAndTrainsBitForBitAsOneSentDirectly() {
        Session ahead = session(small());
        ahead.readAhead(SessionTest.words());
        ahead.warmUp();   // a step of a throwaway model: nothing of the session changes
        var read = ahead.readAheadData();
        assertNotNull(read);
        ahead.loadWords(SessionTest.words());
        assertSame(read, ahead.data(), "the data message used the split read ahead");
        assertNull(ahead.readAheadData(), "what was read ahead is let go once the list is loaded");

        Session direct = session(small());
        direct.loadWords(SessionTest.words());
        assertArrayEquals(losses(direct, 40), losses(ahead, 40));
        assertEquals(direct.exportModel(), ahead.exportModel());
    }

    @Test
    void settingsThatChangeTheSplitAfterTheReadSplitTheListAgain() {
        Session ahead = session(small());
        ahead.readAhead(SessionTest.words());
        var read = ahead.readAheadData();
        Config other = small();
        other.seed = 7;   // the seed decides which words are in which split
        ahead.configure(other);
        ahead.loadWords(SessionTest.words());
        assertNotSame(read, ahead.data());

        Session direct = session(other);
        direct.loadWords(SessionTest.words());
        assertEquals(direct.data().trainWords, ahead.data().trainWords);
        assertArrayEquals(losses(direct, 20), losses(ahead, 20));
    }

    @Test
    void anotherListThanTheOneReadAheadIsReadFromItsOwnText() {
        Session s = session(small());
        s.readAhead(SessionTest.words());
        s.loadWords("xavier\nyolanda\nzed\nxena\nyul\nzoe\nxu\nyves\nzara\nxi\n");
        assertEquals(".adeilnorsuvxyz", s.data().vocab.toString());
    }

    @Test
    void aListThatCannotBeReadIsDroppedQuietlyAndItsDataMessageSaysWhy() {
        Session s = session(small());
        s.readAhead("ann\na.b\n");
        assertNull(s.readAheadData());
        var e = assertThrows(IllegalArgumentException.class, () -> s.loadWords("ann\na.b\n"));
        assertTrue(e.getMessage().contains("marks the end of a word"), e.getMessage());
    }

    @Test
    void readingAheadChangesNothingOfARunUnderWay() {
        Session s = SessionTest.trained(10);
        String before = s.exportModel();
        s.readAhead("xavier\nyolanda\nzed\nxena\nyul\nzoe\n");
        s.warmUp();
        assertEquals(10, s.step());
        assertEquals(before, s.exportModel());
        s.train(3);
        assertEquals(13, s.step(), "and it trains on");
    }
}
