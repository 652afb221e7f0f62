package teagrad.cli;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An answer: status, headers and a body that is shared, never copied (the cached files' bytes go
 * out as they are). Every answer says nosniff and no-cache: browsers must trust our types, not
 * guess them, and always revalidate, so a rebuilt app shows at once.
 */
final class HttpResponse {
    final int status;
    /** Header lines, each "Name: value\r\n", in the order given. */
    private final StringBuilder headers = new StringBuilder(512);
    private final ByteBuffer body; // never moved: each write goes through a duplicate
    /** HEAD: the same headers, Content-Length included, and no body. */
    boolean headOnly;
    /** Close the connection once this is sent (errors, bodies we did not read, HTTP/1.0). */
    boolean close;

    HttpResponse(int status, String contentType, ByteBuffer body) {
        this.status = status;
        this.body = body;
        header("Content-Type", contentType);
        header("X-Content-Type-Options", "nosniff");
        header("Cache-Control", "no-cache");
    }

    /** A plain-text answer of one line, e.g. "404 not found". */
    static HttpResponse text(int status, String line) {
        return new HttpResponse(status, "text/plain; charset=utf-8", ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    HttpResponse header(String name, String value) {
        headers.append(name).append(": ").append(value).append("\r\n");
        return this;
    }

    /** The bytes to write: the head, then (unless HEAD) the body, without copying it. */
    ByteBuffer[] toBuffers() {
        StringBuilder head = new StringBuilder(headers.length() + 96);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n").append(headers);
        // A 304 has no body, and a Content-Length there would describe the file it stands for (RFC 9110 8.6).
        if (status != 304) head.append("Content-Length: ").append(body.remaining()).append("\r\n");
        if (close) head.append("Connection: close\r\n");
        head.append("\r\n");
        byte[] bytes = new byte[head.length()]; // header text is ASCII: one byte per char
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) head.charAt(i);
        ByteBuffer headBytes = ByteBuffer.wrap(bytes);
        return headOnly ? new ByteBuffer[] {headBytes} : new ByteBuffer[] {headBytes, body.duplicate()};
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 304: return "Not Modified";
            case 400: return "Bad Request";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 421: return "Misdirected Request";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 503: return "Service Unavailable";
            case 505: return "HTTP Version Not Supported";
            default: return "Status";
        }
    }
}
