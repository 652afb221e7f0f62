package teagrad.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * JavaScript cut into tokens, as much of the language as {@link Minify} needs to drop comments and
 * spaces without changing what the code says: strings, template literals (with code, strings and
 * templates nested in their {@code ${…}}), regular expressions told from division by the token
 * before them, numbers, names, punctuators, comments and whitespace. The tokens, joined, are the
 * source again. What it cannot read (an unterminated string, template, comment or regex) stops the
 * build with the line, rather than making a page that breaks later.
 */
final class JsLexer {
    private JsLexer() {}

    enum Kind { SPACE, COMMENT, STRING, TEMPLATE, REGEX, NUMBER, NAME, PUNCT }

    record Token(Kind kind, String text) {
        /** Whitespace and comments: what the parser skips. */
        boolean skipped() { return kind == Kind.SPACE || kind == Kind.COMMENT; }

        /** Whether it holds a line break, which automatic semicolon insertion reads. */
        boolean breaksLine() { return skipped() && text.chars().anyMatch(JsLexer::lineTerminator); }
    }

    /** After these names a slash starts a regex (return /x/.test(s)); after any other name it divides. */
    private static final Set<String> BEFORE_EXPRESSION = Set.of(
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await");

    /** Longest first, so that the first that matches is the one the language reads. */
    private static final String[] PUNCTUATORS = {
        ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
        "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>",
        "{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "!", "~", "?", ":", "=", ".", "@", "#"};

    /** The whole source as tokens, whitespace and comments included. */
    static List<Token> tokens(String src) {
        List<Token> tokens = new ArrayList<>();
        Token previous = null;   // the last token the parser reads
        for (int at = 0; at < src.length(); ) {
            Token t = next(src, at, previous);
            tokens.add(t);
            if (!t.skipped()) previous = t;
            at += t.text.length();
        }
        return tokens;
    }

    /** The tokens the parser reads, without whitespace and comments. */
    static List<Token> significant(String src) {
        return tokens(src).stream().filter(t -> !t.skipped()).toList();
    }

    /** The token at {@code at}; {@code previous} (null at the start) is the last one the parser read, which decides what a slash is. */
    static Token next(String s, int at, Token previous) {
        char c = s.charAt(at);
        int end;
        Kind kind;
        if (whitespace(c)) {
            end = at + 1;
            while (end < s.length() && whitespace(s.charAt(end))) end++;
            kind = Kind.SPACE;
        } else if (s.startsWith("//", at)) {
            end = at + 2;
            while (end < s.length() && !lineTerminator(s.charAt(end))) end++;
            kind = Kind.COMMENT;
        } else if (s.startsWith("/*", at)) {
            end = s.indexOf("*/", at + 2);
            if (end < 0) throw fail(s, at, "a comment that does not end");
            end += 2;
            kind = Kind.COMMENT;
        } else if (c == '\'' || c == '"') {
            end = string(s, at);
            kind = Kind.STRING;
        } else if (c == '`') {
            end = template(s, at);
            kind = Kind.TEMPLATE;
        } else if (c == '/' && regexMayStart(previous)) {
            end = regex(s, at);
            kind = Kind.REGEX;
        } else if (digit(c) || c == '.' && at + 1 < s.length() && digit(s.charAt(at + 1))) {
            end = number(s, at);
            kind = Kind.NUMBER;
        } else if (nameStart(c) || c == '#' && at + 1 < s.length() && nameStart(s.charAt(at + 1))) {
            end = at + 1;
            while (end < s.length() && namePart(s.charAt(end))) end++;
            kind = Kind.NAME;
        } else {
            end = at + punctuator(s, at).length();
            kind = Kind.PUNCT;
        }
        return new Token(kind, s.substring(at, end));
    }

    /** Whether a slash after this token starts a regex rather than divides. */
    static boolean regexMayStart(Token previous) {
        if (previous == null) return true;
        return switch (previous.kind) {
            case NUMBER, STRING, TEMPLATE, REGEX -> false;
            case NAME -> BEFORE_EXPRESSION.contains(previous.text);
            case PUNCT -> !Set.of(")", "]", "++", "--").contains(previous.text);
            default -> true;
        };
    }

    private static String punctuator(String s, int at) {
        for (String p : PUNCTUATORS) {
            if (!s.startsWith(p, at)) continue;
            // a?.5:1 is a conditional, not optional chaining
            if (p.equals("?.") && at + 2 < s.length() && digit(s.charAt(at + 2))) continue;
            return p;
        }
        throw fail(s, at, "a character that is not JavaScript: '" + s.charAt(at) + "'");
    }

    private static int string(String s, int at) {
        char quote = s.charAt(at);
        for (int i = at + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == quote) return i + 1;
            else if (c == '\n' || c == '\r') break;
        }
        throw fail(s, at, "a string that does not end on its line");
    }

    /** A template's end; each {@code ${} is code up to its closing brace, read token by token. */
    private static int template(String s, int at) {
        for (int i = at + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == '`') return i + 1;
            else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                int depth = 0;
                Token previous = null;
                int j = i + 2;
                while (true) {
                    if (j >= s.length()) throw fail(s, at, "a template whose ${ does not close");
                    Token t = next(s, j, previous);
                    j += t.text.length();
                    if (t.skipped()) continue;
                    previous = t;
                    if (t.text.equals("{")) depth++;
                    else if (t.text.equals("}") && depth-- == 0) break;
                }
                i = j - 1;
            }
        }
        throw fail(s, at, "a template that does not end");
    }

    /** A regex literal's end, its flags included; a slash inside a class [...] does not end it. */
    private static int regex(String s, int at) {
        boolean inClass = false;
        for (int i = at + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (lineTerminator(c)) break;
            if (c == '\\') i++;
            else if (c == '[') inClass = true;
            else if (c == ']') inClass = false;
            else if (c == '/' && !inClass) {
                int end = i + 1;
                while (end < s.length() && namePart(s.charAt(end))) end++;
                return end;
            }
        }
        throw fail(s, at, "a regex that does not end on its line");
    }

    /** Decimal (1, 1.5, .5, 1e-3, 1_000, 10n) and 0x/0o/0b numbers; one dot at most, so 1..toString() reads as 1. then .toString. */
    private static int number(String s, int at) {
        boolean prefixed = s.startsWith("0x", at) || s.startsWith("0X", at) || s.startsWith("0o", at) || s.startsWith("0O", at)
            || s.startsWith("0b", at) || s.startsWith("0B", at);
        boolean dot = false;
        int i = at;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '.' && !dot && !prefixed) dot = true;
            else if ((c == '+' || c == '-') && !prefixed && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')) { /* exponent sign */ }
            else if (!(Character.isLetterOrDigit(c) || c == '_')) break;
            if (c == 'e' || c == 'E') dot = true;   // no dot in an exponent
            i++;
        }
        return i;
    }

    static boolean lineTerminator(int c) { return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029'; }

    private static boolean whitespace(char c) {
        return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\u00A0' || c == '\uFEFF' || lineTerminator(c)
            || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    private static boolean digit(char c) { return c >= '0' && c <= '9'; }

    private static boolean nameStart(char c) { return c == '$' || c == '_' || c == '\\' || Character.isLetter(c); }

    static boolean namePart(char c) {
        return c == '$' || c == '_' || c == '\\' || c == '\u200C' || c == '\u200D' || Character.isLetterOrDigit(c)
            || Character.getType(c) == Character.NON_SPACING_MARK || Character.getType(c) == Character.COMBINING_SPACING_MARK
            || Character.getType(c) == Character.CONNECTOR_PUNCTUATION;
    }

    private static IllegalStateException fail(String s, int at, String what) {
        long line = s.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
        return new IllegalStateException("line " + line + ": " + what);
    }
}
