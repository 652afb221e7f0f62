package teagrad.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Text from a file, inside a message: quoted, invisible characters as \\uXXXX, at most 80 characters. */
class UntrustedTest {

    @Test
    void plainTextIsQuotedAsIs() {
        assertEquals("\"emma\"", Untrusted.quote("emma"));
        assertEquals("\"Zoë 😀 Łukasz\"", Untrusted.quote("Zoë 😀 Łukasz"));
        assertEquals("nothing", Untrusted.quote(null));
    }

    @Test
    void terminalEscapeSequencesAndOtherInvisibleCharactersAreEscaped() {
        assertEquals("\"\\u001B]0;pwned\\u0007\\u001B[2J\"", Untrusted.quote("\u001b]0;pwned\u0007\u001b[2J"), "a window title and a clear screen");
        assertEquals("\"a\\u009B31mb\"", Untrusted.quote("a\u009b31mb"), "the one-character C1 CSI");
        assertEquals("\"\\u007F\\u0000\\n\"".replace("\\n", "\\u000A"), Untrusted.quote("\u007f\u0000\n"));
        assertEquals("\"abc\\u202Efed\"", Untrusted.quote("abc\u202efed"), "a right-to-left override would show the rest reversed");
        assertEquals("\"a\\u200Bb\\uFEFF\"", Untrusted.quote("a\u200bb\ufeff"));
        assertEquals("\"\\uD800x\"", Untrusted.quote("\ud800x"), "a lone surrogate");
        assertEquals("\"\\uDB40\\uDC01\"", Untrusted.quote(new String(Character.toChars(0xE0001))), "an invisible tag character");
    }

    @Test
    void quotesAndBackslashesAreEscapedSoTheQuotedTextEndsWhereItSeems() {
        assertEquals("\"say \\\"hi\\\" \\\\ bye\"", Untrusted.quote("say \"hi\" \\ bye"));
    }

    @Test
    void longTextIsCutAtEightyCharactersWithAnEllipsisNeverInsideAnEscapeOrACharacter() {
        String q = Untrusted.quote("x".repeat(1_000_000));
        assertEquals("\"" + "x".repeat(Untrusted.MAX_CHARS) + "\"…", q);
        String escapes = Untrusted.quote("\u001b".repeat(100));
        assertTrue(escapes.endsWith("\"…"), escapes);
        assertEquals(0, (escapes.length() - 3) % 6, "whole \\u001B escapes only: " + escapes);
        assertTrue(escapes.length() - 3 <= Untrusted.MAX_CHARS);
        String emoji = Untrusted.quote("a" + "😀".repeat(100));
        assertTrue(Character.isHighSurrogate(emoji.charAt(emoji.length() - 4)) || emoji.charAt(emoji.length() - 3) == 'a',
            "the last character before the cut is whole: " + emoji);
        assertEquals("\"" + "x".repeat(Untrusted.MAX_CHARS) + "\"", Untrusted.quote("x".repeat(Untrusted.MAX_CHARS)), "exactly 80: not cut");
    }
}
