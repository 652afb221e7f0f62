package teagrad.web;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page's text files smaller on the wire, for the built copies only (webapp/ keeps its comments):
 * Lighthouse's simulated mobile load is bandwidth-bound, and every byte before the first paint counts
 * (docs/PERFORMANCE.md, stops 28 and 29).
 * <ul>
 *   <li>JavaScript loses its comments and its indentation, blank lines and spaces between tokens that
 *       stay apart without them; every line break between two tokens stays, so automatic semicolon
 *       insertion reads the code as before ({@code return} then a new line, {@code a} then {@code ++b}).</li>
 *   <li>CSS loses its comments, and whitespace collapses to one space, none next to {@code { } ; ,}
 *       or after a colon; strings and {@code url(…)} stay as written.</li>
 *   <li>HTML loses its comments (a comment alone on its line, the line too); nothing else changes,
 *       and nothing inside {@code <pre>}, {@code <script>}, {@code <style>} or {@code <textarea>}.</li>
 * </ul>
 * No names are shortened: a stack trace from the page still reads like the source.
 */
final class Minify {
    private Minify() {}

    /** JavaScript with the same tokens, and a line break between two of them exactly where the source had one. */
    static String js(String src) {
        StringBuilder out = new StringBuilder();
        JsLexer.Token before = null, last = null;   // the last two tokens written
        boolean space = false, lineBreak = false;
        for (JsLexer.Token t : JsLexer.tokens(src)) {
            if (t.skipped()) {
                lineBreak |= t.breaksLine();
                space = true;
                continue;
            }
            if (last != null) {
                if (lineBreak) out.append('\n');
                else if (space && !joinable(before, last, t)) out.append(' ');
            }
            out.append(t.text());
            before = last;
            last = t;
            space = lineBreak = false;
        }
        return out.append('\n').toString();
    }

    /** Whether {@code a} and {@code b}, written with nothing between, still read as a and b ({@code before} is the token before a). */
    static boolean joinable(JsLexer.Token before, JsLexer.Token a, JsLexer.Token b) {
        String s = a.text() + b.text();
        // <!-- and --> start comments in a classic script, though no token reads them so
        if (a.text().endsWith("<") && b.text().startsWith("!") || a.text().endsWith("-") && b.text().startsWith(">")) return false;
        try {
            JsLexer.Token first = JsLexer.next(s, 0, before);
            if (!first.equals(a)) return false;
            return JsLexer.next(s, a.text().length(), a).equals(b);
        } catch (IllegalStateException unreadable) {
            return false;   // e.g. a / /x/ would become a // comment
        }
    }

    /** CSS without comments, whitespace collapsed where the rules cannot tell, and no ; before a }. */
    static String css(String src) {
        StringBuilder out = new StringBuilder();
        boolean space = false, semicolon = false;   // semicolon: out ends with a declaration's ; (not one in a string)
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                if (end < 0) throw new IllegalStateException("style.css: a comment that does not end");
                i = end + 2;
                // a comment between two names (a/**/b) separates them; the space keeps them apart
                if (out.length() > 0 && i < src.length() && cssName(out.charAt(out.length() - 1)) && cssName(src.charAt(i))) space = true;
                continue;
            }
            if (Character.isWhitespace(c)) {
                space = true;
                i++;
                continue;
            }
            char prev = out.length() == 0 ? '{' : out.charAt(out.length() - 1);
            if (space && "{};,:".indexOf(prev) < 0 && "{};,".indexOf(c) < 0) out.append(' ');
            space = false;
            int end;
            if (c == '"' || c == '\'') end = cssString(src, i);
            else if (src.regionMatches(true, i, "url(", 0, 4) && (i == 0 || !cssName(src.charAt(i - 1)))) end = cssUrl(src, i);
            else end = i + 1;
            if (c == '}' && semicolon) out.setLength(out.length() - 1);
            out.append(src, i, end);
            semicolon = c == ';';
            i = end;
        }
        return out.append('\n').toString();
    }

    private static boolean cssName(char c) { return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c > 127; }

    private static int cssString(String s, int at) {
        char quote = s.charAt(at);
        for (int i = at + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == quote) return i + 1;
            else if (c == '\n') break;
        }
        throw new IllegalStateException("style.css: a string that does not end on its line");
    }

    /** url(…) as written: its inside may hold what would otherwise read as a comment or spaces. */
    private static int cssUrl(String s, int at) {
        int i = at + 4;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        if (i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == '\'')) return at + 4;   // a quoted url: its string is read as one
        int end = s.indexOf(')', i);
        if (end < 0) throw new IllegalStateException("style.css: a url( that does not close");
        return end + 1;
    }

    private static final Pattern HTML_SKIPPED = Pattern.compile("<(pre|script|style|textarea)\\b.*?</\\1\\s*>|<!--(.*?)-->",
        Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

    /** HTML without its comments; a comment alone on its line goes with the line. Conditional comments (<!--[if …]>) stop the build. */
    static String html(String src) {
        StringBuilder out = new StringBuilder();
        Matcher m = HTML_SKIPPED.matcher(src);
        int from = 0;
        while (m.find()) {
            if (m.group(1) != null) continue;   // pre, script, style, textarea: as written
            if (m.group(2).startsWith("[") || m.group(2).toLowerCase(Locale.ROOT).contains("<![endif]")) {
                throw new IllegalStateException("index.html: a conditional comment, which a browser may read: <!--" + m.group(2) + "-->");
            }
            int start = m.start(), end = m.end();
            int lineStart = src.lastIndexOf('\n', start - 1) + 1;
            boolean alone = src.substring(lineStart, start).isBlank() && (end == src.length() || src.charAt(end) == '\n');
            if (alone) {
                start = lineStart;
                end = Math.min(end + 1, src.length());
            }
            out.append(src, from, start);
            from = end;
        }
        return out.append(src, from, src.length()).toString();
    }
}
