package teagrad.modelfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON of model files: RFC 8259 exactly, duplicate keys refused, every size bounded. */
class JsonTest {

    static String refused(String text) {
        return assertThrows(Json.ParseError.class, () -> Json.parse(text)).getMessage();
    }

    @Test
    void aDocumentParsesToMapsListsStringsNumbersBooleansAndNull() {
        Object v = Json.parse("{\"a\": [1, -0.5e3, \"x\\u00e9\\n\", true, false, null], \"b\": {}}");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals("1", a.get(0).toString());
        assertEquals(-500.0, ((Json.Num) a.get(1)).doubleValue());
        assertEquals("xé\n", a.get(2));
        assertEquals(List.of(true, false), a.subList(3, 5));
        assertEquals(null, a.get(5));
        assertEquals(Map.of(), m.get("b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": 1, \"a\": 2}", "{\"x\": {\"b\": 1, \"c\": 2, \"b\": 3}}", "[{\"k\": 1}, {\"k\": 1, \"k\": 1}]"})
    void aKeyTwiceInOneObjectIsRefused(String text) {
        assertTrue(refused(text).contains("appears twice"));
    }

    @Test
    void theSameKeyInDifferentObjectsIsFine() {
        Json.parse("[{\"k\": 1}, {\"k\": 2, \"o\": {\"k\": 3}}]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\u+02e\"", "\"\\u-02e\"", "\"\\u 02e\"", "\"\\u02\"", "\"\\u\uff10\uff10\uff10\uff10\"", "\"\\x41\"", "\"\\'\""})
    void anEscapeMustBeOneOfJsonsWithExactlyFourHexDigits(String text) {
        assertTrue(refused(text).contains("escape"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-01", "1.", ".5", "+1", "1e", "1e+", "-", "NaN", "Infinity", "-Infinity", "0x10", "1.e5"})
    void numbersFollowTheGrammarExactly(String text) {
        refused(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,]", "[,1]", "[1,,2]", "{\"a\": 1,}", "{,}", "[1 2]", "{\"a\" 1}", "{a: 1}", "['a']", "[1] 2", "[1]]"})
    void commasColonsAndQuotesFollowTheGrammarExactly(String text) {
        refused(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u00a0[1]", "[1,\f2]", "[\u20281]", "\"a\tb\"", "\"a\nb\""})
    void onlyJsonsFourWhiteSpacesOutsideStringsAndNoControlCharactersInside(String text) {
        refused(text);
    }

    @Test
    void aByteOrderMarkIsToleratedAtTheStartOnly() {
        assertEquals(List.of(), Json.parse("\uFEFF[]"));
        refused("[\uFEFF]");
    }

    @Test
    void nestingStringsNumbersAndTreesAreBounded() {
        Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH));
        assertTrue(refused("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1)).contains("nested more than 64"));
        new Json.Reader("\"" + "s".repeat(Json.MAX_STRING) + "\"").string();
        assertTrue(assertThrows(Json.ParseError.class, () -> new Json.Reader("\"" + "s".repeat(Json.MAX_STRING + 1) + "\"").string()).getMessage().contains("longer than 4096"));
        Json.parse("\"" + "s".repeat(100_000) + "\"");   // a whole tree of our own (reference vectors) may hold long strings
        assertTrue(refused("1" + "0".repeat(Json.MAX_NUMBER)).contains("longer than 100"));
        Json.Reader r = new Json.Reader("[1, 2, 3]");
        assertEquals(List.of("1", "2", "3"), ((List<?>) r.tree(4)).stream().map(Object::toString).toList());
        assertTrue(assertThrows(Json.ParseError.class, () -> new Json.Reader("[1, 2, 3]").tree(3)).getMessage().contains("more than 3 values"));
    }

    @Test
    void errorsSayWhereAndShowTheOffendingTextEscaped() {
        String m = refused("{\"a\": 1,\n \"b\": \u001b[2J}");
        assertTrue(m.startsWith("not valid JSON at line 2, column 7: "), m);
        assertTrue(m.contains("\\u001B"), m);
        assertTrue(m.chars().noneMatch(c -> c < 0x20), m);
    }

    @Test
    void aReaderPullsValuesOneByOne() {
        Json.Reader r = new Json.Reader("{\"shape\": [2], \"data\": [0.1, 2e-3]}");
        r.beginObject();
        assertEquals("shape", r.nextKey());
        assertEquals(List.of("2"), ((List<?>) r.tree(10)).stream().map(Object::toString).toList());
        assertEquals("data", r.nextKey());
        r.beginArray();
        assertTrue(r.hasNext());
        assertEquals(0.1f, r.floatValue());
        assertTrue(r.hasNext());
        assertEquals(2e-3f, r.floatValue());
        assertEquals(false, r.hasNext());
        assertEquals(null, r.nextKey());
        r.end();
    }
}
