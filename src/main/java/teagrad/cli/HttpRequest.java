package teagrad.cli;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.x request head (request line and headers, RFC 9112), parsed strictly: anything a
 * static file server need not understand is refused with a {@link Bad} that says why in a line.
 * Bodies are never read: {@code serve} answers GET and HEAD only, so a request announcing a body
 * is answered and its connection closed.
 *
 * @param method   e.g. "GET"
 * @param path     the target's path, %-decoded ("/js/worker.js"); the query string dropped
 * @param host     the Host header, or the authority of an absolute-form target ("http://h:p/x")
 * @param headers  lower-case names; repeated headers joined with ", "
 */
record HttpRequest(String method, String path, String host, boolean http11, Map<String, String> headers) {
    /** A request the server refuses before any handler sees it: its status and one line saying why. */
    static final class Bad extends Exception {
        final int status;

        Bad(int status, String reason) {
            super(reason, null, false, false); // a client's mistake: no stack trace to collect
            this.status = status;
        }
    }

    String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /** Whether the connection may carry another request after this one's answer. */
    boolean keepAlive() {
        String connection = header("connection");
        boolean close = connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
        return http11 && !close && !hasBody();
    }

    /** A body we will not read: the connection is closed after the answer instead. */
    boolean hasBody() {
        String length = header("content-length");
        return header("transfer-encoding") != null || (length != null && !length.equals("0"));
    }

    /**
     * Where the head ends in {@code bytes[0, length)}: the index just past the empty line
     * ("\r\n\r\n", or a bare "\n\n", which RFC 9112 lets a server accept), or -1 if it has not
     * arrived yet.
     */
    static int endOfHead(byte[] bytes, int length) {
        for (int i = 1; i < length; i++) {
            if (bytes[i] != '\n') continue;
            if (bytes[i - 1] == '\n') return i + 1;
            if (i >= 2 && bytes[i - 1] == '\r' && bytes[i - 2] == '\n') return i + 1;
        }
        return -1;
    }

    /** Parses the head in {@code bytes[0, length)}, as found by {@link #endOfHead}. */
    static HttpRequest parse(byte[] bytes, int length) throws Bad {
        // Header bytes are ISO-8859-1 by the RFC: one char per byte, so nothing fails to decode here.
        String[] lines = new String(bytes, 0, length, StandardCharsets.ISO_8859_1).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("\r")) lines[i] = lines[i].substring(0, lines[i].length() - 1); // CRLF or a bare LF
        }
        int first = 0;
        while (first < lines.length - 1 && lines[first].isEmpty()) first++; // stray CRLFs before a request are allowed
        String[] parts = lines[first].split(" ", -1);
        if (parts.length != 3) throw new Bad(400, "the request line is not 'METHOD /path HTTP/1.1'");
        String method = parts[0], target = parts[1], version = parts[2];
        if (!isToken(method)) throw new Bad(400, "the method is not a word of letters");
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new Bad(version.startsWith("HTTP/") ? 505 : 400, "only HTTP/1.1 and HTTP/1.0 are spoken here");
        }

        Map<String, String> headers = new LinkedHashMap<>();
        int hosts = 0;
        for (int i = first + 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) continue; // the closing empty line(s)
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') throw new Bad(400, "a header is folded over two lines");
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) throw new Bad(400, "a header line is not 'Name: value'");
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (!isFieldValue(value)) throw new Bad(400, "the " + name + " header holds a control character");
            if (name.equals("host")) hosts++;
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        if (hosts > 1) throw new Bad(400, "more than one Host header");
        String contentLength = headers.get("content-length");
        if (contentLength != null && !contentLength.matches("[0-9]{1,18}")) throw new Bad(400, "the Content-Length header is not a number");

        String host = headers.get("host");
        String path = target;
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            // Absolute form, as sent to proxies: its authority is the host that counts (RFC 9112 §3.2.2).
            int slash = target.indexOf('/', 7);
            host = slash < 0 ? target.substring(7) : target.substring(7, slash);
            path = slash < 0 ? "/" : target.substring(slash);
        } else if (!target.startsWith("/")) {
            throw new Bad(400, "the target is not a path starting with '/'");
        }
        if (host == null && version.equals("HTTP/1.1")) throw new Bad(400, "an HTTP/1.1 request needs a Host header");
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        return new HttpRequest(method, percentDecode(path), host, version.equals("HTTP/1.1"), headers);
    }

    /** "%2e%2e" → "..", as UTF-8; a broken escape or invalid UTF-8 is a bad request. */
    static String percentDecode(String path) throws Bad {
        if (path.indexOf('%') < 0) return checkedPath(path);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            int hi = i + 2 < path.length() ? Character.digit(path.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(path.charAt(i + 2), 16) : -1;
            if (lo < 0) throw new Bad(400, "the path has a '%' not followed by two hex digits");
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            return checkedPath(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            throw new Bad(400, "the path's %-escapes are not UTF-8");
        }
    }

    /** Paths are printable: a raw control character (or one decoded from %00, %0a …) is refused. */
    private static String checkedPath(String path) throws Bad {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) throw new Bad(400, "the path holds a control character");
        }
        return path;
    }

    /** RFC 9110's token: the characters of methods and header names. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    /** Header values: visible characters, spaces and tabs (and obsolete 8-bit text), no controls. */
    private static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
        }
        return true;
    }
}
