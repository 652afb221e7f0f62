package teagrad.data;

/**
 * Text from a file or a message, shown inside an error message. A word list or a model file
 * can hold anything: terminal escape sequences ("ESC]0;title BEL", "ESC[2J" clears the
 * screen), right-to-left overrides that reorder what is shown, or a megabyte on one line. So
 * such text is always written quoted, with every invisible or control character as \\uXXXX,
 * and cut at {@link #MAX_CHARS} characters with "…": one short line whatever it holds, the
 * same in the terminal and on the page.
 */
public final class Untrusted {
    private Untrusted() {}

    /** Longest quoted text, not counting the quotes and the "…". */
    public static final int MAX_CHARS = 80;

    /** {@code "text"}, escaped and cut; {@code nothing} for null. */
    public static String quote(String text) {
        if (text == null) return "nothing";
        StringBuilder b = new StringBuilder("\"");
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            String shown = shown(c);
            if (b.length() - 1 + shown.length() > MAX_CHARS) return b.append("\"…").toString();
            b.append(shown);
            i += Character.charCount(c);
        }
        return b.append('"').toString();
    }

    /** One character as it may appear on a terminal. */
    private static String shown(int c) {
        if (c == '"' || c == '\\') return "\\" + (char) c;
        if (invisible(c)) return escape(c);
        return new String(Character.toChars(c));
    }

    /** Control characters (C0, DEL, C1), and the ones that change how the rest of the line is shown. */
    static boolean invisible(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
            || c == 0xad                      // soft hyphen
            || (c >= 0x200b && c <= 0x200f)   // zero-width spaces and joiners, left/right marks
            || (c >= 0x2028 && c <= 0x202e)   // line and paragraph separators, bidirectional embeddings and overrides
            || (c >= 0x2060 && c <= 0x206f)   // word joiner, invisible operators, bidirectional isolates
            || c == 0xfeff                    // byte-order mark
            || (c >= 0xd800 && c <= 0xdfff)   // a surrogate without its partner (codePointAt gives no other)
            || (c >= 0xfff9 && c <= 0xfffb)   // interlinear annotations
            || (c >= 0xe0000 && c <= 0xe007f);   // tag characters, invisible
    }

    /** \\uXXXX as Java and JSON write a character (a pair of them above U+FFFF). */
    public static String escape(int c) {
        if (c > 0xffff) return escape(Character.highSurrogate(c)) + escape(Character.lowSurrogate(c));
        String h = Integer.toHexString(c).toUpperCase();
        return "\\u" + "0000".substring(h.length()) + h;
    }
}
