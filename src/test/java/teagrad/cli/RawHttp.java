package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny HTTP/1.1 client over a raw socket, so that requests reach the server exactly as
 * written: no client library gets to "fix" a hostile "/../" or a broken header for us.
 */
final class RawHttp {
    private RawHttp() {}

    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
        String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    static Response get(int port, String target) throws IOException {
        return request(port, "GET", target, "");
    }

    /** A well-formed request to 127.0.0.1:port; {@code extraHeaders}: more header lines, each ending in CRLF. */
    static Response request(int port, String method, String target, String extraHeaders) throws IOException {
        String host = extraHeaders.regionMatches(true, 0, "Host:", 0, 5) ? "" : "Host: 127.0.0.1:" + port + "\r\n";
        return send(port, method + " " + target + " HTTP/1.1\r\n" + host + "Connection: close\r\n" + extraHeaders + "\r\n");
    }

    /** Sends {@code head} as it is and reads the answer until the server closes the connection. */
    static Response send(int port, String head) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream os = socket.getOutputStream();
            os.write(head.getBytes(StandardCharsets.ISO_8859_1));
            os.flush();
            return read(socket.getInputStream());
        }
    }

    /** Reads one answer to the end of the stream. */
    static Response read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        return parse(all, 0, all.length);
    }

    /** The answer in {@code bytes[from, to)}: its head and the body that follows. */
    static Response parse(byte[] bytes, int from, int to) {
        int end = indexOf(bytes, from, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(end > 0, "no header block in: " + new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
        String[] lines = new String(bytes, from, end - from, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Response(status, headers, Arrays.copyOfRange(bytes, end + 4, to));
    }

    static int indexOf(byte[] haystack, int from, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
