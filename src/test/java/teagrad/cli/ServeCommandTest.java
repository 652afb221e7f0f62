package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The static server, mostly over a temporary webapp folder (so the tests do not depend on
 * what the app's authors have built yet), with raw sockets so that request lines reach the
 * server exactly as written: no client library gets to "fix" a hostile "/../" for us.
 */
class ServeCommandTest {
    private static final byte[] WASM = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

    @TempDir Path tmp;
    private Path root;
    private Path data;
    private HttpServer server;

    @BeforeEach
    void serveATemporaryApp() throws IOException {
        root = Files.createDirectories(tmp.resolve("webapp"));
        Files.writeString(root.resolve("index.html"), "<!doctype html><title>t</title>");
        Files.createDirectories(root.resolve("wasm"));
        Files.write(root.resolve("wasm/worker.wasm"), WASM);
        Files.createDirectories(root.resolve("js"));
        Files.writeString(root.resolve("js/worker.js"), "main([]);");
        Files.writeString(root.resolve("js/index.html"), "js index");
        Files.writeString(tmp.resolve("secret.txt"), "outside the root"); // what escapes would reach
        data = tmp.resolve("names.txt");
        Files.writeString(data, "emma\nolivia\n");
        server = ServeCommand.start(0, root, data);
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    // ---- a tiny HTTP/1.1 client over a raw socket ------------------------------------------

    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
        String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    static Response request(int port, String method, String target) throws IOException {
        return request(port, method, target, "");
    }

    /** {@code extraHeaders}: more header lines, each ending in CRLF. */
    static Response request(int port, String method, String target, String extraHeaders) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream os = socket.getOutputStream();
            os.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extraHeaders + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            os.flush();
            byte[] all = socket.getInputStream().readAllBytes();
            int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(end > 0, "no header block in: " + new String(all, StandardCharsets.ISO_8859_1));
            String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Response(status, headers, Arrays.copyOfRange(all, end + 4, all.length));
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private Response get(String target) throws IOException {
        return request(server.getAddress().getPort(), "GET", target);
    }

    // ---- what is served, and how -----------------------------------------------------------

    @Test
    void rootServesIndexHtmlWithAStrictPolicy() throws IOException {
        Response r = get("/");
        assertEquals(200, r.status());
        assertEquals("<!doctype html><title>t</title>", r.text());
        assertEquals("text/html; charset=utf-8", r.header("Content-Type"));
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertEquals("no-cache", r.header("Cache-Control"));
        String csp = r.header("Content-Security-Policy");
        assertNotNull(csp, "HTML needs a Content-Security-Policy");
        assertTrue(csp.contains("default-src 'self'"), csp);
        assertTrue(csp.contains("script-src 'self' 'wasm-unsafe-eval';"), csp);
        assertTrue(csp.contains("worker-src 'self'"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("'unsafe-eval'") || csp.contains("*"), csp);
        assertEquals(r.text(), get("/index.html").text());
    }

    @Test
    void aFolderWithATrailingSlashServesItsIndex() throws IOException {
        assertEquals("js index", get("/js/").text());
        assertEquals(404, get("/js").status()); // a folder itself is not a file
    }

    @Test
    void wasmIsServedAsApplicationWasm() throws IOException {
        Response r = get("/wasm/worker.wasm");
        assertEquals(200, r.status());
        assertEquals("application/wasm", r.header("Content-Type"));
        assertArrayEquals(WASM, r.body());
        assertEquals(null, r.header("Content-Security-Policy"));
    }

    @Test
    void scriptsAreJavascriptAndCarryTheWorkerPolicy() throws IOException {
        Response r = get("/js/worker.js");
        assertEquals("text/javascript; charset=utf-8", r.header("Content-Type"));
        assertEquals("main([]);", r.text());
        // TeaVM's WASM-GC loader calls new Function(), and a worker's policy comes from its script.
        assertEquals(ServeCommand.SCRIPT_CSP, r.header("Content-Security-Policy"));
        assertTrue(ServeCommand.SCRIPT_CSP.contains("'wasm-unsafe-eval'"));
    }

    @Test
    void aClientThatAcceptsGzipGetsTheFileGzippedAndOthersGetItAsIs() throws IOException {
        byte[] script = "const x = 1;\n".repeat(2000).getBytes(StandardCharsets.UTF_8);
        Files.write(root.resolve("js/worker.js"), script);
        int port = server.getAddress().getPort();
        Response r = request(port, "GET", "/js/worker.js", "Accept-Encoding: gzip, deflate, br\r\n");
        assertEquals(200, r.status());
        assertEquals("gzip", r.header("Content-Encoding"));
        assertEquals("Accept-Encoding", r.header("Vary"));
        assertEquals("text/javascript; charset=utf-8", r.header("Content-Type"));
        assertTrue(r.body().length < script.length / 10, "compressed: " + r.body().length + " of " + script.length + " bytes");
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
            assertArrayEquals(script, in.readAllBytes(), "the decompressed body is the file");
        }

        Response wasm = request(port, "GET", "/wasm/worker.wasm", "Accept-Encoding: gzip\r\n");
        assertEquals("gzip", wasm.header("Content-Encoding"));
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(wasm.body()))) {
            assertArrayEquals(WASM, in.readAllBytes());
        }

        Response plain = get("/js/worker.js");
        assertEquals(null, plain.header("Content-Encoding"));
        assertArrayEquals(script, plain.body());
        Response refused = request(port, "GET", "/js/worker.js", "Accept-Encoding: gzip;q=0, identity\r\n");
        assertEquals(null, refused.header("Content-Encoding"));
        assertArrayEquals(script, refused.body());
    }

    /** The real app: what a browser with gzip downloads before names.txt, for either worker. */
    @ParameterizedTest
    @ValueSource(strings = {"worker-wasm.js wasm/classes.wasm-runtime.js wasm/worker.wasm", "worker-js.js js/worker.js"})
    void theBuiltPageAndItsWorkerAreAtMost300KbOnTheWire(String worker) throws IOException {
        assumeTrue(getClass().getClassLoader().getResource("webapp/wasm/worker.wasm") != null, "webapp/ not built yet");
        HttpServer real = ServeCommand.start(0, data, new PrintStream(OutputStream.nullOutputStream()));
        try {
            long wire = 0, raw = 0;
            for (String path : (". app.js chart.js style.css favicon.svg " + worker).split(" ")) {
                Response r = request(real.getAddress().getPort(), "GET", path.equals(".") ? "/" : "/" + path, "Accept-Encoding: gzip\r\n");
                assertEquals(200, r.status(), path);
                assertEquals("gzip", r.header("Content-Encoding"), path);
                wire += r.body().length;
                raw += get(real, "/" + (path.equals(".") ? "" : path)).body().length;
            }
            assertTrue(wire <= 300 * 1024, wire + " bytes on the wire (" + raw + " uncompressed)");
            assertTrue(wire < raw / 2, "gzip at least halves it: " + wire + " of " + raw);
        } finally {
            real.stop(0);
        }
    }

    private static Response get(HttpServer s, String target) throws IOException {
        return request(s.getAddress().getPort(), "GET", target);
    }

    @Test
    void contentTypesByExtension() {
        assertEquals("text/html; charset=utf-8", ServeCommand.contentType("index.html"));
        assertEquals("text/css; charset=utf-8", ServeCommand.contentType("app.css"));
        assertEquals("text/javascript; charset=utf-8", ServeCommand.contentType("worker.js"));
        assertEquals("text/javascript; charset=utf-8", ServeCommand.contentType("boot.mjs"));
        assertEquals("application/json", ServeCommand.contentType("model.json"));
        assertEquals("application/json", ServeCommand.contentType("worker.js.map"));
        assertEquals("application/wasm", ServeCommand.contentType("worker.wasm"));
        assertEquals("application/wasm", ServeCommand.contentType("WORKER.WASM"));
        assertEquals("image/svg+xml", ServeCommand.contentType("favicon.svg"));
        assertEquals("image/png", ServeCommand.contentType("shot.png"));
        assertEquals("text/plain; charset=utf-8", ServeCommand.contentType("names.txt"));
        assertEquals("application/octet-stream", ServeCommand.contentType("Main.class"));
        assertEquals("application/octet-stream", ServeCommand.contentType("README"));
    }

    @Test
    void theWordListComesFromTheDataFileOnDisk() throws IOException {
        Response r = get("/data/names.txt");
        assertEquals(200, r.status());
        assertEquals("emma\nolivia\n", r.text());
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
    }

    @Test
    void aMissingDataFileIs404() throws IOException {
        Files.delete(data);
        assertEquals(404, get("/data/names.txt").status());
        assertEquals(404, get("/data/other.txt").status());
    }

    @Test
    void headSendsHeadersWithoutBody() throws IOException {
        Response r = request(server.getAddress().getPort(), "HEAD", "/wasm/worker.wasm");
        assertEquals(200, r.status());
        assertEquals("application/wasm", r.header("Content-Type"));
        assertEquals(String.valueOf(WASM.length), r.header("Content-Length"));
        assertEquals(0, r.body().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS"})
    void onlyGetAndHeadAreAllowed(String method) throws IOException {
        Response r = request(server.getAddress().getPort(), method, "/index.html");
        assertEquals(405, r.status());
        assertEquals("GET, HEAD", r.header("Allow"));
    }

    // ---- path safety -----------------------------------------------------------------------

    @Test
    void theSecretReallyIsOneStepAbove() {
        assertTrue(Files.exists(root.resolve("../secret.txt")), "else the escape tests prove nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/js/../../secret.txt",
        "/js/%2e%2e/index.html",     // stays inside, but ".." is refused outright
        "/%5c..%5csecret.txt",       // backslashes
        "/..%5csecret.txt",
        "/index.html%00.txt",        // NUL
        "/c:/secret.txt",
        "http://127.0.0.1/../secret.txt",
    })
    void escapesAre404(String target) throws IOException {
        Response r = get(target);
        assertEquals(404, r.status(), target);
        assertFalse(r.text().contains("outside the root"), target);
    }

    @Test
    void aSymlinkOutOfTheRootIs404() throws IOException {
        try {
            Files.createSymbolicLink(root.resolve("link.txt"), tmp.resolve("secret.txt"));
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symlinks here");
        }
        assertEquals(404, get("/link.txt").status());
    }

    @Test
    void safeRelativePathNormalisesOrRefuses() {
        assertEquals("index.html", ServeCommand.safeRelativePath("/"));
        assertEquals("index.html", ServeCommand.safeRelativePath("//./"));
        assertEquals("js/worker.js", ServeCommand.safeRelativePath("/js//./worker.js"));
        assertEquals("js/index.html", ServeCommand.safeRelativePath("/js/"));
        assertEquals(null, ServeCommand.safeRelativePath("/a/../b"));
        assertEquals(null, ServeCommand.safeRelativePath("/.."));
        assertEquals(null, ServeCommand.safeRelativePath("/a\\b"));
        assertEquals(null, ServeCommand.safeRelativePath("/a\0b"));
        assertEquals(null, ServeCommand.safeRelativePath("relative"));
        assertEquals(null, ServeCommand.safeRelativePath(null));
    }

    /** The real thing: the compiled classes sit right beside the classpath's webapp/. */
    @ParameterizedTest
    @ValueSource(strings = {
        "/../teagrad/cli/Main.class",
        "/../teagrad/cli/ServeCommand.class",
        "/%2e%2e/teagrad/cli/ServeCommand.class",
        "/teagrad/cli/ServeCommand.class",
    })
    void classpathEntriesOutsideWebappAre404(String target) throws IOException {
        assumeTrue(getClass().getClassLoader().getResource("webapp/") != null, "webapp/ not built yet");
        Path classpathRoot = ServeCommand.classpathRoot();
        if (classpathRoot.getFileSystem().equals(root.getFileSystem())) {
            assertTrue(Files.exists(classpathRoot.resolve("../teagrad/cli/ServeCommand.class")),
                    "the class file an escape would reach is really there");
        }
        HttpServer real = ServeCommand.start(0, data, new PrintStream(OutputStream.nullOutputStream()));
        try {
            Response r = request(real.getAddress().getPort(), "GET", target);
            assertEquals(404, r.status(), target);
            assertFalse(r.text().contains("CAFEBABE") || r.body().length > 100, target);
        } finally {
            real.stop(0);
        }
    }

    // ---- where it listens ------------------------------------------------------------------

    @Test
    void itListensOn127001Only() throws IOException {
        InetSocketAddress address = server.getAddress();
        assertEquals(InetAddress.getByName("127.0.0.1"), address.getAddress());
        assertTrue(address.getPort() > 0, "port 0 picked a real port");
        // 127.0.0.2 is this machine too; a server bound to every interface would answer there.
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket("127.0.0.2", address.getPort())) {
                s.getInputStream();
            }
        });
    }

    // ---- the command itself ----------------------------------------------------------------

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void aBusyPortIsOneClearLineAndExitCode2() throws IOException {
        assumeTrue(getClass().getClassLoader().getResource("webapp/") != null, "webapp/ not built yet");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            int code = ServeCommand.run(new String[] {"--port", String.valueOf(port), "--data", data.toString()}, out, err);
            assertEquals(2, code);
            assertEquals("error: port " + port + " is in use; try --port " + (port + 1) + System.lineSeparator(),
                    errBytes.toString(StandardCharsets.UTF_8));
            assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void helpNamesBothFlagsAndEndsWithANewline() {
        assertTrue(ServeCommand.HELP.contains("--port") && ServeCommand.HELP.contains("--data"));
        assertTrue(ServeCommand.HELP.endsWith("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--port abc", "--port -1", "--port 70000", "--port", "--bogus", "extra"})
    void badUsageIsExitCode2(String argLine) {
        int code = ServeCommand.run(argLine.split(" "), out, err);
        assertEquals(2, code, argLine);
        String printed = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("error: "), printed);
        assertEquals(1, printed.lines().count(), printed);
    }

    @Test
    void runPrintsTheUrlServesAndStopsWhenInterrupted() throws Exception {
        assumeTrue(getClass().getClassLoader().getResource("webapp/") != null, "webapp/ not built yet");
        Path absent = tmp.resolve("nowhere/names.txt"); // not the default: must not download
        AtomicInteger code = new AtomicInteger(-1);
        Thread serving = new Thread(() -> code.set(ServeCommand.run(
                new String[] {"--port", "0", "--data", absent.toString()}, out, err)));
        serving.start();
        String url = null;
        for (int i = 0; i < 500 && url == null; i++) {
            String printed = outBytes.toString(StandardCharsets.UTF_8);
            if (printed.startsWith("teagrad serving http://127.0.0.1:")) url = printed.trim();
            else Thread.sleep(10);
        }
        assertNotNull(url, "no URL printed; err: " + errBytes);
        assertTrue(url.matches("teagrad serving http://127\\.0\\.0\\.1:\\d+/"), url);
        int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/$", "$1"));

        assertEquals(404, request(port, "GET", "/data/names.txt").status());
        assertEquals(404, request(port, "GET", "/../teagrad/cli/Main.class").status());
        String warning = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(warning.startsWith("warning: " + absent + " does not exist"), warning);
        assertEquals(1, warning.lines().count(), warning);
        assertFalse(Files.exists(absent));

        serving.interrupt();
        serving.join(10_000);
        assertFalse(serving.isAlive());
        assertEquals(0, code.get());
        assertThrows(IOException.class, () -> request(port, "GET", "/"), "stopped serving");
    }

    @Test
    void theJarLayoutIsReadToo() throws Exception {
        // Build a small jar with a webapp/ folder and serve it through the zip file system, as
        // `java -jar target/teagrad.jar serve` does.
        Path jar = tmp.resolve("app.jar");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("webapp/"));
            zip.putNextEntry(new java.util.zip.ZipEntry("webapp/index.html"));
            zip.write("from the jar".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new java.util.zip.ZipEntry("secret.txt"));
            zip.write("outside the root".getBytes(StandardCharsets.UTF_8));
        }
        try (var fs = java.nio.file.FileSystems.newFileSystem(jar)) {
            HttpServer fromJar = ServeCommand.start(0, fs.getPath("/webapp"), data);
            try {
                int port = fromJar.getAddress().getPort();
                assertEquals("from the jar", request(port, "GET", "/").text());
                assertEquals(404, request(port, "GET", "/../secret.txt").status());
                assertEquals(404, request(port, "GET", "/%2e%2e/secret.txt").status());
                assertEquals("emma\nolivia\n", request(port, "GET", "/data/names.txt").text());
            } finally {
                fromJar.stop(0);
            }
        }
    }

    /**
     * index.html's meta policy, for static hosts that send no header, is serve's page policy minus
     * frame-ancestors (which a meta element cannot carry): the two must not drift apart.
     */
    @Test
    void thePagesMetaPolicyIsServesPolicyWithoutFrameAncestors() throws IOException {
        String page = Files.readString(Path.of("webapp", "index.html"), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern
            .compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").matcher(page);
        assertTrue(m.find(), "index.html has a meta Content-Security-Policy");
        assertTrue(page.indexOf("<script") > m.start() && page.indexOf("<link rel=\"stylesheet\"") > m.start(),
            "the meta policy comes before every script and stylesheet");
        assertEquals(ServeCommand.PAGE_CSP.replace("; frame-ancestors 'none'", ""), m.group(1));
    }
}
