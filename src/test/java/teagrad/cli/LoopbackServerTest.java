package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import teagrad.cli.RawHttp.Response;

/**
 * The server under clients that misbehave: silent, trickling, malformed, too many, or met by a
 * handler that throws. Its handler here answers "ok" (or what a test makes it do), so that what
 * is tested is the connection handling, not the site.
 */
class LoopbackServerTest {
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private final AtomicBoolean fail = new AtomicBoolean();
    private byte[] big = new byte[0];
    private LoopbackServer server;

    private LoopbackServer start() throws IOException {
        server = LoopbackServer.start(0, request -> {
            if (fail.get()) throw new IllegalStateException("a bug in a handler");
            if (request.path().equals("/big")) return new HttpResponse(200, "application/octet-stream", java.nio.ByteBuffer.wrap(big));
            return HttpResponse.text(200, "ok " + request.path());
        }, log);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private String okFor(String target) throws IOException {
        return RawHttp.get(server.port(), target).text();
    }

    // ---- stopping ----------------------------------------------------------------------------

    /** serve stops when its thread is interrupted, and closes the server from that thread: the port must be free when close() returns. */
    @Test
    void closedFromAnInterruptedThreadThePortIsFreeWhenCloseReturns() throws Exception {
        for (int round = 0; round < 20; round++) {
            start();
            int port = server.port();
            assertEquals("ok /\n", okFor("/"));
            Thread.currentThread().interrupt();
            server.close();
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller (and cleared here)");
            server = null;
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
                "round " + round + ": the listener is closed once close() has returned");
        }
    }

    // ---- slow clients ------------------------------------------------------------------------

    /**
     * 20 connections that send one byte and then nothing, and one that trickles a byte every
     * 300 ms (a deadline, not an idle timeout, so trickling does not buy time): a normal request
     * is still answered at once, and every held connection gets a 408 and is closed when its
     * {@value LoopbackServer#HEAD_TIMEOUT_MS} ms are up.
     */
    @Test
    void silentAndTricklingClientsDoNotStallOthersAndAreClosedOnTime() throws Exception {
        start();
        List<Socket> held = new ArrayList<>();
        long opened = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            s.getOutputStream().write('G');
            held.add(s);
        }
        Socket trickler = new Socket("127.0.0.1", server.port());
        held.add(trickler);
        Thread trickle = new Thread(() -> {
            try {
                for (byte b : "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.ISO_8859_1)) {
                    trickler.getOutputStream().write(b);
                    Thread.sleep(300);
                }
            } catch (IOException | InterruptedException closedByTheServer) {
                // expected: the server hung up on us
            }
        });
        trickle.setDaemon(true);
        trickle.start();

        // Well before any held connection times out, a normal request gets its answer.
        try (Socket normal = new Socket("127.0.0.1", server.port())) {
            normal.setSoTimeout(2_000); // a stalled server would leave this waiting until the 5 s are up
            normal.getOutputStream().write(("GET /normal HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("ok /normal\n", RawHttp.read(normal.getInputStream()).text());
        }
        assertTrue(System.nanoTime() - opened < LoopbackServer.HEAD_TIMEOUT_MS * 1_000_000L, "answered before any timeout");

        for (Socket s : held) {
            s.setSoTimeout((int) LoopbackServer.HEAD_TIMEOUT_MS + 3_000);
            Response r = RawHttp.read(s.getInputStream()); // to the end of the stream: the server closed it
            assertEquals(408, r.status());
            assertEquals("408 request timeout: the request line and headers did not arrive within 5 s\n", r.text());
            s.close();
        }
        double seconds = (System.nanoTime() - opened) / 1e9;
        assertTrue(seconds >= LoopbackServer.HEAD_TIMEOUT_MS / 1000.0 - 0.5, "not before the deadline: " + seconds);
        assertTrue(seconds < LoopbackServer.HEAD_TIMEOUT_MS / 1000.0 + 3, "closed within the deadline: " + seconds);
    }

    @Test
    void anIdleConnectionIsClosedWithoutAWord() throws Exception {
        start();
        try (Socket idle = new Socket("127.0.0.1", server.port())) {
            idle.setSoTimeout((int) LoopbackServer.HEAD_TIMEOUT_MS + 3_000);
            assertEquals(-1, idle.getInputStream().read(), "closed, and no 408 for a request never begun");
        }
    }

    @Test
    void whenEverySlotIsHeldTheOldestSilentConnectionMakesRoom() throws Exception {
        start();
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < LoopbackServer.MAX_CONNECTIONS; i++) held.add(new Socket("127.0.0.1", server.port()));
            Thread.sleep(300); // all accepted
            assertEquals("ok /one-more\n", okFor("/one-more"));
            Socket oldest = held.get(0);
            oldest.setSoTimeout(2_000);
            assertEquals(-1, oldest.getInputStream().read(), "the oldest silent connection was closed");
        } finally {
            for (Socket s : held) s.close();
        }
    }

    /** A client that reads its answer slowly still gets all of it (the answer is written as the socket drains). */
    @Test
    void aLargeAnswerArrivesWholeAtTheClientsPace() throws Exception {
        big = new byte[8 << 20]; // more than a loopback socket buffers (4 MB here): the server must wait for the client
        new Random(7).nextBytes(big);
        start();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setReceiveBufferSize(64 << 10);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /big HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            Thread.sleep(500); // the server fills the socket and must wait, not block
            assertEquals("ok /other\n", okFor("/other"), "others are served meanwhile");
            for (int last4 = 0; last4 != 0x0d0a0d0a; ) last4 = (last4 << 8) | in.read(); // to the end of the head
            byte[] body = in.readNBytes(big.length);
            assertArrayEquals(big, body);
        }
    }

    // ---- keep-alive ----------------------------------------------------------------------

    @Test
    void twoRequestsSentAtOnceOnOneConnectionAreAnsweredInOrder() throws IOException {
        start();
        String host = "Host: 127.0.0.1:" + server.port() + "\r\n";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(("GET /first HTTP/1.1\r\n" + host + "\r\nGET /second HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int second = text.indexOf("HTTP/1.1", 1);
            assertEquals("ok /first\n", RawHttp.parse(all, 0, second).text());
            Response last = RawHttp.parse(all, second, all.length);
            assertEquals("ok /second\n", last.text());
            assertEquals("close", last.header("Connection"));
        }
    }

    // ---- handler failures ----------------------------------------------------------------

    @Test
    void aHandlerThatThrowsIsLoggedAndAnswered500AndServingGoesOn() throws IOException {
        start();
        fail.set(true);
        Response r = RawHttp.get(server.port(), "/boom");
        assertEquals(500, r.status());
        assertEquals("500 internal server error: the server failed on this request (its log says why)\n", r.text());
        String logged = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(logged.startsWith("error: serve: GET /boom failed: java.lang.IllegalStateException: a bug in a handler"), logged);
        assertTrue(logged.contains("at teagrad.cli.LoopbackServerTest"), "a bug's log says where: " + logged);
        fail.set(false);
        assertEquals("ok /after\n", okFor("/after"));
    }

    // ---- malformed requests: a plain line in our words, never the JDK's internals --------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "GET /a b HTTP/1.1\\r\\nHost: H\\r\\n\\r\\n              | 400 bad request: the request line is not 'METHOD /path HTTP/1.1'",
        "GET /%zz HTTP/1.1\\r\\nHost: H\\r\\n\\r\\n               | 400 bad request: the path has a '%' not followed by two hex digits",
        "GET /%e9t%e9 HTTP/1.1\\r\\nHost: H\\r\\n\\r\\n           | 400 bad request: the path's %-escapes are not UTF-8",
        "GET /index.html%00.txt HTTP/1.1\\r\\nHost: H\\r\\n\\r\\n | 400 bad request: the path holds a control character",
        "GET / HTTP/2.0\\r\\nHost: H\\r\\n\\r\\n                  | 505 http version not supported: only HTTP/1.1 and HTTP/1.0 are spoken here",
        "GET / FTP\\r\\nHost: H\\r\\n\\r\\n                       | 400 bad request: only HTTP/1.1 and HTTP/1.0 are spoken here",
        "G{T / HTTP/1.1\\r\\nHost: H\\r\\n\\r\\n                  | 400 bad request: the method is not a word of letters",
        "GET relative HTTP/1.1\\r\\nHost: H\\r\\n\\r\\n           | 400 bad request: the target is not a path starting with '/'",
        "GET / HTTP/1.1\\r\\n\\r\\n                               | 400 bad request: an HTTP/1.1 request needs a Host header",
        "GET / HTTP/1.1\\r\\nHost: H\\r\\nHost: H\\r\\n\\r\\n       | 400 bad request: more than one Host header",
        "GET / HTTP/1.1\\r\\nHost: H\\r\\nno colon\\r\\n\\r\\n      | 400 bad request: a header line is not 'Name: value'",
        "GET / HTTP/1.1\\r\\nHost: H\\r\\nBad Name: x\\r\\n\\r\\n   | 400 bad request: a header line is not 'Name: value'",
        "GET / HTTP/1.1\\r\\nHost: H\\r\\nX: a\\r\\n b\\r\\n\\r\\n    | 400 bad request: a header is folded over two lines",
        "GET / HTTP/1.1\\r\\nHost: H\\r\\nX: a\\u0001b\\r\\n\\r\\n    | 400 bad request: the x header holds a control character",
        "GET / HTTP/1.1\\r\\nHost: H\\r\\nContent-Length: -1\\r\\n\\r\\n | 400 bad request: the Content-Length header is not a number",
    })
    void aMalformedRequestGetsOnePlainLineSayingWhatIsWrong(String head, String expected) throws IOException {
        start();
        String request = head.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0001", "\u0001")
                .replace("Host: H", "Host: 127.0.0.1:" + server.port());
        Response r = RawHttp.send(server.port(), request);
        assertEquals(Integer.parseInt(expected.substring(0, 3)), r.status(), request);
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertEquals(expected + "\n", r.text());
        assertEquals("close", r.header("Connection"));
        assertEquals("ok /next\n", okFor("/next"), "and the server goes on");
    }

    @Test
    void aRequestHeadOverTheLimitIs431() throws IOException {
        start();
        String huge = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nX-Big: " + "a".repeat(LoopbackServer.HEAD_LIMIT) + "\r\n\r\n";
        Response r = RawHttp.send(server.port(), huge);
        assertEquals(431, r.status());
        assertEquals("431 request head too large: the request line and headers must fit in 8 KB\n", r.text());
    }

    @Test
    void aBareLfRequestIsUnderstood() throws IOException {
        start();
        assertEquals("ok /lf\n", RawHttp.send(server.port(), "GET /lf HTTP/1.1\nHost: localhost:" + server.port() + "\nConnection: close\n\n").text());
    }

    @Test
    void aRequestWithABodyIsAnsweredAndItsConnectionClosed() throws IOException {
        start();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            OutputStream os = s.getOutputStream();
            os.write(("GET /with-body HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nContent-Length: 5\r\n\r\nhello")
                    .getBytes(StandardCharsets.ISO_8859_1));
            Response r = RawHttp.read(s.getInputStream());
            assertEquals("ok /with-body\n", r.text());
            assertEquals("close", r.header("Connection"), "the body was not read, so the connection cannot go on");
        }
    }

    @Test
    void closeFreesThePort() throws Exception {
        start();
        int port = server.port();
        server.close();
        server = null;
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }
}
