package teagrad.modelfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for model files, with no dependency (TeaVM compiles it for the browser).
 * Parsing gives Map (objects, keys in order), List, String, Boolean, null and {@link Num};
 * a number keeps its text so a float parses straight to the nearest float, never through a
 * double (which could round twice). Errors say where: "at line 3, column 14: …".
 */
public final class Json {
    private Json() {}

    /** A JSON number, kept as written. */
    public static final class Num {
        public final String text;

        Num(String text) { this.text = text; }

        public double doubleValue() { return Double.parseDouble(text); }

        /**
         * The nearest float. TeaVM's Float.parseFloat is off by one ulp for about 1 value in 3,000
         * (0.2781149 reads as 0.27811489 in the browser), which would make a model exported and
         * imported again a different model, and a resumed run a different run. So a float written
         * by Float.toString (every model file teagrad writes) is read back as the float whose
         * Float.toString it is: the parsed value or one of its two neighbours.
         */
        public float floatValue() {
            float f = Float.parseFloat(text);
            if (!Float.isFinite(f) || Float.toString(f).equals(text)) return f;
            float up = Math.nextUp(f), down = Math.nextDown(f);
            if (Float.toString(up).equals(text)) return up;
            if (Float.toString(down).equals(text)) return down;
            return f;
        }

        @Override
        public String toString() { return text; }
    }

    public static final class ParseError extends IllegalArgumentException {
        ParseError(String message) { super(message); }
    }

    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.space();
        Object v = p.value(0);
        p.space();
        if (p.pos < text.length()) throw p.error("unexpected '" + text.charAt(p.pos) + "' after the end of the document");
        return v;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) { this.s = s; }

        ParseError error(String what) {
            int line = 1, col = 1;
            for (int i = 0; i < pos && i < s.length(); i++) {
                if (s.charAt(i) == '\n') { line++; col = 1; } else col++;
            }
            return new ParseError("not valid JSON at line " + line + ", column " + col + ": " + what);
        }

        void space() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
                pos++;
            }
        }

        Object value(int depth) {
            if (depth > 64) throw error("nested too deeply");
            if (pos >= s.length()) throw error("the document ends early");
            char c = s.charAt(pos);
            switch (c) {
                case '{': return object(depth);
                case '[': return array(depth);
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    throw error("unexpected '" + c + "'");
            }
        }

        Object literal(String word, Object v) {
            if (!s.startsWith(word, pos)) throw error("expected " + word);
            pos += word.length();
            return v;
        }

        Map<String, Object> object(int depth) {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            space();
            if (peek() == '}') { pos++; return m; }
            while (true) {
                space();
                if (peek() != '"') throw error("expected a key in quotes");
                String key = string();
                space();
                expect(':');
                space();
                m.put(key, value(depth + 1));
                space();
                char c = next();
                if (c == '}') return m;
                if (c != ',') { pos--; throw error("expected ',' or '}'"); }
            }
        }

        List<Object> array(int depth) {
            List<Object> a = new ArrayList<>();
            pos++;
            space();
            if (peek() == ']') { pos++; return a; }
            while (true) {
                space();
                a.add(value(depth + 1));
                space();
                char c = next();
                if (c == ']') return a;
                if (c != ',') { pos--; throw error("expected ',' or ']'"); }
            }
        }

        String string() {
            pos++;   // opening quote
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos++);
                if (c == '"') return b.toString();
                if (c < 0x20) { pos--; throw error("control character in a string"); }
                if (c != '\\') { b.append(c); continue; }
                char e = next();
                switch (e) {
                    case '"': case '\\': case '/': b.append(e); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u':
                        if (pos + 4 > s.length()) throw error("bad \\u escape");
                        try {
                            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                        break;
                    default: pos--; throw error("bad escape '\\" + e + "'");
                }
            }
        }

        Num number() {
            int start = pos;
            if (peek() == '-') pos++;
            digits();
            if (peek() == '.') { pos++; digits(); }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') pos++;
                digits();
            }
            return new Num(s.substring(start, pos));
        }

        void digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
            if (pos == start) throw error("expected a digit");
        }

        char peek() { return pos < s.length() ? s.charAt(pos) : '\0'; }

        char next() {
            if (pos >= s.length()) throw error("the document ends early");
            return s.charAt(pos++);
        }

        void expect(char c) {
            if (next() != c) { pos--; throw error("expected '" + c + "'"); }
        }
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
