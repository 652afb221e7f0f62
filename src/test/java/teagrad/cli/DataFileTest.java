package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DataFile against a throw-away HTTP server on 127.0.0.1: never the internet, never the real
 * data/names.txt (every file lives in a temporary folder).
 */
class DataFileTest {
    private static final byte[] PAYLOAD = "emma\nolivia\nava\n".getBytes(StandardCharsets.UTF_8);

    @TempDir Path tmp;
    private HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/names.txt", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, PAYLOAD.length);
            try (OutputStream os = exchange.getResponseBody()) { os.write(PAYLOAD); }
        });
        server.createContext("/gone.txt", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        System.setProperty(DataFile.SHA256_PROPERTY, DataFile.sha256(PAYLOAD));
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        System.clearProperty(DataFile.URL_PROPERTY);
        System.clearProperty(DataFile.SHA256_PROPERTY);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    @Test
    void downloadsVerifiesAndWritesTheFileCreatingFolders() throws IOException {
        System.setProperty(DataFile.URL_PROPERTY, url("/names.txt"));
        Path file = tmp.resolve("a/b/names.txt");

        assertEquals(file, DataFile.ensure(file, out));

        assertArrayEquals(PAYLOAD, Files.readAllBytes(file));
        assertEquals(List.of(file), filesUnder(tmp), "no temporary file may be left behind");
        String printed = outBytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, printed.lines().count(), printed);
        assertTrue(printed.contains("downloaded " + PAYLOAD.length + " bytes"), printed);
    }

    @Test
    void anExistingFileIsLeftAloneAndNothingIsFetched() throws IOException {
        System.setProperty(DataFile.URL_PROPERTY, url("/names.txt"));
        Path file = tmp.resolve("names.txt");
        Files.writeString(file, "mine\n");

        assertEquals(file, DataFile.ensure(file, out));

        assertEquals("mine\n", Files.readString(file));
        assertEquals(0, hits.get());
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aHashMismatchThrowsOneLineAndLeavesNoFile() throws IOException {
        System.setProperty(DataFile.URL_PROPERTY, url("/names.txt"));
        System.setProperty(DataFile.SHA256_PROPERTY, DataFile.DEFAULT_SHA256); // not the payload's
        Path file = tmp.resolve("data/names.txt");

        DataFile.Missing e = assertThrows(DataFile.Missing.class, () -> DataFile.ensure(file, out));

        String message = e.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertTrue(message.contains("SHA-256 mismatch"), message);
        assertTrue(message.startsWith(file + " is missing and could not be downloaded ("), message);
        assertTrue(message.endsWith("get it from " + url("/names.txt") + " and save it as " + file), message);
        assertEquals(1, hits.get(), "the server was really asked");
        assertEquals(List.of(), filesUnder(tmp), "neither the file nor a partial one may exist");
    }

    @Test
    void anHttpErrorThrowsMissing() {
        System.setProperty(DataFile.URL_PROPERTY, url("/gone.txt"));
        Path file = tmp.resolve("names.txt");

        DataFile.Missing e = assertThrows(DataFile.Missing.class, () -> DataFile.ensure(file, out));

        assertTrue(e.getMessage().contains("(HTTP 404)"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void anUnreachableServerThrowsMissing() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort(); // free now, and nobody listens once closed
        }
        String dead = "http://127.0.0.1:" + closedPort + "/names.txt";
        System.setProperty(DataFile.URL_PROPERTY, dead);
        Path file = tmp.resolve("names.txt");

        DataFile.Missing e = assertThrows(DataFile.Missing.class, () -> DataFile.ensure(file, out));

        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("(cannot connect to 127.0.0.1)"), e.getMessage());
        assertTrue(e.getMessage().contains("get it from " + dead), e.getMessage());
        assertFalse(Files.exists(file));
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theDefaultUrlAndHashAreMakemoresNamesTxt() {
        assertEquals("https://raw.githubusercontent.com/karpathy/makemore/master/names.txt", DataFile.DEFAULT_URL);
        assertEquals("0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d", DataFile.DEFAULT_SHA256);
    }

    @Test
    void isDefaultRecognisesTheDefaultPathHoweverSpelled() {
        assertTrue(DataFile.isDefault(Path.of("data/names.txt")));
        assertTrue(DataFile.isDefault(Path.of("data/names.txt").toAbsolutePath()));
        assertTrue(DataFile.isDefault(Path.of("./data/../data/names.txt")));
        assertFalse(DataFile.isDefault(Path.of("other/names.txt")));
        assertFalse(DataFile.isDefault(Path.of("names.txt")));
    }

    @Test
    void sha256MatchesAKnownVector() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                DataFile.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }
}
