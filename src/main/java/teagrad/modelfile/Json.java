package teagrad.modelfile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import teagrad.data.Untrusted;
import teagrad.model.Setting;

/**
 * Just enough JSON for model files, with no dependency (TeaVM compiles it for the browser).
 *
 * <p>{@link Reader} is a pull parser: the model file asks for what it expects next, so it can
 * check a tensor's shape against the settings before it reads (or allocates room for) its
 * data, and stop at the first value too many. {@link #parse} builds the whole tree for small
 * documents: Map (objects, keys in order), List, String, Boolean, null and {@link Num}.
 *
 * <p>Strict RFC 8259 grammar (no leading zeros, no trailing commas, exactly four hex digits in
 * \\u, no NaN), duplicate keys refused, a UTF-8 byte-order mark tolerated. Bounded: nesting,
 * the length of a string and of a number, the values in a tree. Errors say where: "at line 3,
 * column 14: …".
 */
public final class Json {
    private Json() {}

    /** Deepest nesting: a model file needs 4 levels. */
    public static final int MAX_DEPTH = 64;
    /** Longest string or key, in chars: a vocabulary has at most 1,000 characters (2 chars each above U+FFFF). */
    public static final int MAX_STRING = 4096;
    /** Longest number: Python's repr of a double has at most 24 characters. */
    public static final int MAX_NUMBER = 100;

    /** A JSON number, kept as written. */
    public static final class Num implements Setting.Decimal {
        public final String text;

        Num(String text) { this.text = text; }

        @Override public String text() { return text; }

        public double doubleValue() { return Double.parseDouble(text); }

        /** The nearest float, correctly rounded on every target (see {@link DecimalFloat}). */
        @Override public float floatValue() { return DecimalFloat.parse(text, 0, text.length()); }

        /** Whether it is written as a whole number: digits, with a '-' perhaps, no '.' or exponent. */
        public boolean isInteger() {
            for (int i = text.startsWith("-") ? 1 : 0; i < text.length(); i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') return false;
            }
            return true;
        }

        @Override
        public String toString() { return text; }
    }

    public static final class ParseError extends IllegalArgumentException {
        ParseError(String message) { super(message); }
    }

    /** The whole document as a tree (strings of any length: for documents we wrote, such as reference vectors). */
    public static Object parse(String text) {
        Reader r = new Reader(text, Integer.MAX_VALUE);
        Object v = r.tree(Integer.MAX_VALUE);
        r.end();
        return v;
    }

    /**
     * Reads a document one value at a time. Objects: {@link #beginObject} then {@link #nextKey}
     * until it returns null; arrays: {@link #beginArray} then {@link #hasNext} before each element.
     */
    public static final class Reader {
        private final String s;
        private int pos;
        private int depth;
        private int lastNumber;   // where the number read last starts
        private final boolean[] first = new boolean[MAX_DEPTH + 1];   // no element read yet at this depth
        private final List<Set<String>> keys = new ArrayList<>();     // the keys seen in each open object
        private final int maxString;

        /** A reader whose strings and keys have at most {@link #MAX_STRING} characters. */
        public Reader(String text) {
            this(text, MAX_STRING);
        }

        public Reader(String text, int maxString) {
            s = text;
            this.maxString = maxString;
            if (s.startsWith("\uFEFF")) pos = 1;   // a byte-order mark, as some Windows editors save UTF-8
            space();
        }

        // ---- structure

        /** The kind of the next value: '{', '[', '"', 'n' (null), 't' (true or false) or '0' (a number), '?' (none of these); '\0' at the end. */
        public char peek() {
            space();
            if (pos >= s.length()) return '\0';
            char c = s.charAt(pos);
            if (c == '{' || c == '[' || c == '"' || c == 'n' || c == 't') return c;
            if (c == 'f') return 't';
            return c == '-' || (c >= '0' && c <= '9') ? '0' : '?';
        }

        /** What the next value is, for "must be …, got …" messages. */
        public String describeNext() {
            switch (peek()) {
                case '{': return "an object";
                case '[': return "an array";
                case '"':
                    int at = pos;
                    try {
                        return Untrusted.quote(string());
                    } catch (ParseError e) {
                        return "a string";
                    } finally {
                        pos = at;   // only a look ahead
                    }
                case 'n': return "null";
                case 't': return s.startsWith("true", pos) ? "true" : "false";
                case '0': return Untrusted.quote(s.substring(pos, numberEnd(s, pos) < 0 ? pos + 1 : numberEnd(s, pos))).replace("\"", "");
                case '\0': return "nothing (the document ends)";
                default: return Untrusted.quote(s.substring(pos, token()));
            }
        }

        /** Where the word starting here ends (at a delimiter, white space, or 40 characters on), to show it. */
        private int token() {
            int end = pos + 1;
            while (end < s.length() && end < pos + 40 && ",:[]{}\" \t\r\n".indexOf(s.charAt(end)) < 0) end++;
            return end;
        }

        public void beginObject() {
            expect('{');
            open();
            keys.get(depth - 1).clear();
        }

        /** The next key of the open object (its ':' read), or null at its end. A key seen before is refused. */
        public String nextKey() {
            if (!hasNext('}')) return null;
            if (peek() != '"') throw error("expected a key in quotes");
            String key = string();
            if (!keys.get(depth - 1).add(key)) throw error("the key " + Untrusted.quote(key) + " appears twice in one object");
            space();
            expect(':');
            return key;
        }

        public void beginArray() {
            expect('[');
            open();
        }

        /** Whether the open array has another element (its ',' read); false at its end. */
        public boolean hasNext() { return hasNext(']'); }

        private void open() {
            if (depth == MAX_DEPTH) throw error("nested more than " + MAX_DEPTH + " deep");
            depth++;
            first[depth] = true;
            if (keys.size() < depth) keys.add(new HashSet<>());
        }

        private boolean hasNext(char close) {
            space();
            if (peek() == '\0') throw error("the document ends early");
            if (s.charAt(pos) == close) {
                pos++;
                depth--;
                return false;
            }
            if (!first[depth]) {
                if (s.charAt(pos) != ',') throw error("expected ',' or '" + close + "'");
                pos++;
                space();
                if (pos < s.length() && s.charAt(pos) == close) throw error("expected a value after ','");
            }
            first[depth] = false;
            return true;
        }

        /** Nothing but white space may follow the document. */
        public void end() {
            space();
            if (pos < s.length()) throw error("unexpected " + Untrusted.quote(String.valueOf(s.charAt(pos))) + " after the end of the document");
        }

        // ---- values

        public String string() {
            space();
            if (peek() != '"') throw error("expected a string");
            int start = pos++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) { pos = start; throw error("a string that never ends"); }
                char c = s.charAt(pos++);
                if (c == '"') return b.toString();
                if (b.length() == maxString) { pos = start; throw error("a string longer than " + maxString + " characters"); }
                if (c < 0x20) { pos--; throw error("control character " + Untrusted.escape(c) + " in a string (write it as an escape)"); }
                if (c != '\\') { b.append(c); continue; }
                char e = pos < s.length() ? s.charAt(pos++) : '\0';
                switch (e) {
                    case '"': case '\\': case '/': b.append(e); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u': b.append((char) hex4()); break;
                    default: pos -= 2; throw error("bad escape " + Untrusted.quote("\\" + e) + " in a string");
                }
            }
        }

        /** The four hex digits of a \\u escape: exactly [0-9a-fA-F]{4}, no sign (Integer.parseInt would take "+02e"). */
        private int hex4() {
            int v = 0;
            for (int k = 0; k < 4; k++) {
                char c = pos < s.length() ? s.charAt(pos) : '\0';
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0) { pos -= 2 + k; throw error("bad \\u escape: it needs four hex digits"); }
                v = 16 * v + d;
                pos++;
            }
            return v;
        }

        public Num number() {
            int start = numberStart();
            return new Num(s.substring(start, pos));
        }

        /** The next number as the nearest float, without keeping its text. */
        public float floatValue() {
            int start = numberStart();
            return DecimalFloat.parse(s, start, pos);
        }

        /** Where the reader is: chars read so far. */
        public int position() { return pos; }

        /** The text of the number read last (for a message about it). */
        public String lastNumber() { return s.substring(lastNumber, pos); }

        private int numberStart() {
            space();
            if (peek() != '0') throw error("expected a number");
            int start = pos, end = numberEnd(s, pos);
            if (end < 0) { pos = -end - 1; throw error("a number needs a digit here"); }
            if (end - start > MAX_NUMBER) throw error("a number longer than " + MAX_NUMBER + " characters");
            pos = end;
            lastNumber = start;
            return start;
        }

        public boolean bool() {
            if (peek() != 't') throw error("expected true or false");
            if (s.startsWith("true", pos)) {
                pos += 4;
                return true;
            }
            literal("false");
            return false;
        }

        /** Reads null; false (reading nothing) if the next value is something else. */
        public boolean nullValue() {
            if (peek() != 'n') return false;
            literal("null");
            return true;
        }

        private void literal(String word) {
            if (!s.startsWith(word, pos)) throw error("expected " + word);
            pos += word.length();
        }

        /**
         * The next value as a tree (Map, List, String, Boolean, null, Num), of at most
         * {@code maxValues} values in all: for small parts such as a config.
         */
        public Object tree(int maxValues) {
            int[] budget = {maxValues};
            return tree(budget, maxValues);
        }

        private Object tree(int[] budget, int maxValues) {
            if (--budget[0] < 0) throw error("more than " + maxValues + " values in one part of the document");
            switch (peek()) {
                case '{':
                    Map<String, Object> m = new LinkedHashMap<>();
                    beginObject();
                    for (String key; (key = nextKey()) != null; ) m.put(key, tree(budget, maxValues));
                    return m;
                case '[':
                    List<Object> a = new ArrayList<>();
                    beginArray();
                    while (hasNext()) a.add(tree(budget, maxValues));
                    return a;
                case '"': return string();
                case 't': return bool();
                case 'n': literal("null"); return null;
                case '0': return number();
                case '\0': throw error("the document ends early");
                default: throw error("unexpected " + Untrusted.quote(String.valueOf(s.charAt(pos))));
            }
        }

        /** Reads past the next value (of at most {@code maxValues} values), keeping nothing. */
        public void skip(int maxValues) {
            int[] budget = {maxValues};
            skip(budget, maxValues);
        }

        private void skip(int[] budget, int maxValues) {
            if (--budget[0] < 0) throw error("more than " + maxValues + " values in one part of the document");
            switch (peek()) {
                case '{': beginObject(); while (nextKey() != null) skip(budget, maxValues); break;
                case '[': beginArray(); while (hasNext()) skip(budget, maxValues); break;
                case '0': numberStart(); break;
                case '"': string(); break;
                case 't': bool(); break;
                case 'n': literal("null"); break;
                case '\0': throw error("the document ends early");
                default: throw error("unexpected " + Untrusted.quote(String.valueOf(s.charAt(pos))));
            }
        }

        // ---- where

        /** An error at the current position: "not valid JSON at line 3, column 14: …". */
        public ParseError error(String what) {
            int line = 1, col = 1;
            for (int i = 0; i < pos && i < s.length(); i++) {
                if (s.charAt(i) == '\n') { line++; col = 1; } else col++;
            }
            return new ParseError("not valid JSON at line " + line + ", column " + col + ": " + what);
        }

        private void space() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
                pos++;
            }
        }

        private void expect(char c) {
            space();
            if (pos >= s.length()) throw error("the document ends early");
            if (s.charAt(pos) != c) throw error("expected '" + c + "', got " + describeNext());
            pos++;
        }
    }

    /**
     * Where the JSON number starting at {@code i} ends: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?.
     * Returns −(position + 1) of the first character that breaks the grammar.
     */
    static int numberEnd(String s, int i) {
        if (i < s.length() && s.charAt(i) == '-') i++;
        if (i < s.length() && s.charAt(i) == '0') {
            i++;
        } else {
            int d = digits(s, i);
            if (d == i) return -i - 1;
            i = d;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            int d = digits(s, i + 1);
            if (d == i + 1) return -(i + 1) - 1;
            i = d;
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int d = digits(s, i);
            if (d == i) return -i - 1;
            i = d;
        }
        return i;
    }

    private static int digits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        return i;
    }

    /** A JSON string literal, quotes included. */
    public static String quote(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        String h = Integer.toHexString(c);
                        b.append("\\u").append("0000".substring(h.length())).append(h);
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}
