package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.nio.file.attribute.FileTime;
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
import teagrad.cli.RawHttp.Response;

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
    private LoopbackServer server;

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
        if (server != null) server.close();
    }

    private Response get(String target) throws IOException {
        return RawHttp.get(server.port(), target);
    }

    private Response request(String method, String target, String extraHeaders) throws IOException {
        return RawHttp.request(server.port(), method, target, extraHeaders);
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
        int port = server.port();
        Response r = RawHttp.request(port, "GET", "/js/worker.js", "Accept-Encoding: gzip, deflate, br\r\n");
        assertEquals(200, r.status());
        assertEquals("gzip", r.header("Content-Encoding"));
        assertEquals("Accept-Encoding", r.header("Vary"));
        assertEquals("text/javascript; charset=utf-8", r.header("Content-Type"));
        assertTrue(r.body().length < script.length / 10, "compressed: " + r.body().length + " of " + script.length + " bytes");
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
            assertArrayEquals(script, in.readAllBytes(), "the decompressed body is the file");
        }

        Response wasm = RawHttp.request(port, "GET", "/wasm/worker.wasm", "Accept-Encoding: gzip\r\n");
        assertEquals("gzip", wasm.header("Content-Encoding"));
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(wasm.body()))) {
            assertArrayEquals(WASM, in.readAllBytes());
        }

        Response plain = get("/js/worker.js");
        assertEquals(null, plain.header("Content-Encoding"));
        assertArrayEquals(script, plain.body());
        Response refused = RawHttp.request(port, "GET", "/js/worker.js", "Accept-Encoding: gzip;q=0, identity\r\n");
        assertEquals(null, refused.header("Content-Encoding"));
        assertArrayEquals(script, refused.body());
    }

    // ---- a reload downloads only what changed ------------------------------------------------

    @Test
    void aFileThatDidNotChangeIsNotSentAgain() throws IOException {
        Response first = get("/js/worker.js");
        String tag = first.header("ETag");
        assertNotNull(tag, "every file is tagged");
        assertTrue(tag.matches("\"[0-9a-f]{16}\""), tag);
        Response again = request("GET", "/js/worker.js", "If-None-Match: " + tag + "\r\n");
        assertEquals(304, again.status());
        assertEquals(0, again.body().length, "no body");
        assertEquals(null, again.header("Content-Length"), "a 304's length would be the file's, not 0");
        assertEquals(tag, again.header("ETag"));
        assertEquals("no-cache", again.header("Cache-Control"), "and the next load asks again");
        assertEquals(304, request("HEAD", "/js/worker.js", "If-None-Match: " + tag + "\r\n").status());
        assertEquals(304, request("GET", "/data/names.txt", "If-None-Match: " + get("/data/names.txt").header("ETag") + "\r\n").status(),
            "the word list too");
    }

    @Test
    void theTagComparesWeaklyInAListOrAsAStar() throws IOException {
        String tag = get("/js/worker.js").header("ETag");
        assertEquals(304, request("GET", "/js/worker.js", "If-None-Match: \"0000000000000000\", W/" + tag + "\r\n").status());
        assertEquals(304, request("GET", "/js/worker.js", "If-None-Match: *\r\n").status());
        assertEquals(200, request("GET", "/js/worker.js", "If-None-Match: \"0000000000000000\"\r\n").status());
        assertEquals(200, request("GET", "/js/worker.js", "If-None-Match: " + tag.replace("\"", "") + "\r\n").status(), "unquoted is not a tag");
        assertEquals(404, request("GET", "/js/none.js", "If-None-Match: *\r\n").status(), "no file, nothing to be current");
    }

    @Test
    void gzippedAndPlainAreTaggedApart() throws IOException {
        String plain = get("/js/worker.js").header("ETag");
        Response zipped = request("GET", "/js/worker.js", "Accept-Encoding: gzip\r\n");
        String tag = zipped.header("ETag");
        assertFalse(plain.equals(tag), plain + " and " + tag + ": two representations");
        // A client that kept the plain file and now accepts gzip gets the gzipped one, and the other way round.
        Response switched = request("GET", "/js/worker.js", "Accept-Encoding: gzip\r\nIf-None-Match: " + plain + "\r\n");
        assertEquals(200, switched.status());
        assertEquals("main([]);", gunzip(switched.body()));
        assertEquals(200, request("GET", "/js/worker.js", "If-None-Match: " + tag + "\r\n").status());
        Response current = request("GET", "/js/worker.js", "Accept-Encoding: gzip\r\nIf-None-Match: " + tag + "\r\n");
        assertEquals(304, current.status());
        assertEquals("Accept-Encoding", current.header("Vary"));
    }

    @Test
    void aChangedFileComesWholeWithANewTag() throws IOException {
        Path script = root.resolve("js/worker.js");
        FileTime time = Files.getLastModifiedTime(script);
        String old = get("/js/worker.js").header("ETag");
        Files.writeString(script, "main([7]);");
        Files.setLastModifiedTime(script, FileTime.fromMillis(time.toMillis() + 2000));
        Response r = request("GET", "/js/worker.js", "If-None-Match: " + old + "\r\n");
        assertEquals(200, r.status());
        assertEquals("main([7]);", r.text());
        assertFalse(old.equals(r.header("ETag")), "a new version, a new tag");
        // The tag is of the bytes: the same bytes again (a rebuild that changed nothing) are the old version.
        Files.writeString(script, "main([]);");
        Files.setLastModifiedTime(script, FileTime.fromMillis(time.toMillis() + 4000));
        assertEquals(304, request("GET", "/js/worker.js", "If-None-Match: " + old + "\r\n").status());
    }

    /**
     * The real app: what a browser with gzip downloads besides names.txt, for either worker: 194 KB
     * (WebAssembly) and 165 KB (JavaScript) at stop 29. TeaVM's regex engine in the worker would add
     * 42 KB, the page's files unminified 29 KB (docs/PERFORMANCE.md, stop 29).
     */
    @ParameterizedTest
    @ValueSource(strings = {"worker-wasm.js wasm/classes.wasm-runtime.js wasm/worker.wasm wasm/kernels.wasm", "worker-js.js js/worker.js wasm/kernels.wasm"})
    void theBuiltPageAndItsWorkerAreAtMost220KbOnTheWire(String worker) throws IOException {
        assumeTrue(getClass().getClassLoader().getResource("webapp/wasm/worker.wasm") != null, "webapp/ not built yet");
        LoopbackServer real = ServeCommand.start(0, data, new PrintStream(OutputStream.nullOutputStream()));
        try {
            long wire = 0, raw = 0;
            java.util.List<String> paths = new java.util.ArrayList<>(java.util.List.of(".", "style.css", "favicon.svg"));
            // The page's scripts, as the built index.html loads them (main.js is the modules in one file: PageBundle).
            var scripts = java.util.regex.Pattern.compile("(?:src|rel=\"modulepreload\" href)=\"([\\w/.-]+\\.js)\"")
                .matcher(new String(get(real, "/").body(), StandardCharsets.UTF_8));
            while (scripts.find()) if (!paths.contains(scripts.group(1))) paths.add(scripts.group(1));
            assertTrue(paths.containsAll(java.util.List.of("boot.js", "main.js")), String.valueOf(paths));
            paths.addAll(java.util.List.of(worker.split(" ")));
            for (String path : paths) {
                Response r = RawHttp.request(real.port(), "GET", path.equals(".") ? "/" : "/" + path, "Accept-Encoding: gzip\r\n");
                assertEquals(200, r.status(), path);
                assertEquals("gzip", r.header("Content-Encoding"), path);
                wire += r.body().length;
                raw += get(real, "/" + (path.equals(".") ? "" : path)).body().length;
            }
            for (String path : paths) {   // a reload: every file revalidated, none sent again
                String target = path.equals(".") ? "/" : "/" + path;
                String tag = RawHttp.request(real.port(), "GET", target, "Accept-Encoding: gzip\r\n").header("ETag");
                Response reload = RawHttp.request(real.port(), "GET", target, "Accept-Encoding: gzip\r\nIf-None-Match: " + tag + "\r\n");
                assertEquals(304, reload.status(), path);
                assertEquals(0, reload.body().length, path);
            }
            assertTrue(wire <= 220 * 1024, wire + " bytes on the wire (" + raw + " uncompressed)");
            assertTrue(wire < raw / 2, "gzip at least halves it: " + wire + " of " + raw);
        } finally {
            real.close();
        }
    }

    private static Response get(LoopbackServer s, String target) throws IOException {
        return RawHttp.get(s.port(), target);
    }

    @Test
    void contentTypesByExtension() {
        assertEquals("text/html; charset=utf-8", Site.contentType("index.html"));
        assertEquals("text/css; charset=utf-8", Site.contentType("app.css"));
        assertEquals("text/javascript; charset=utf-8", Site.contentType("worker.js"));
        assertEquals("text/javascript; charset=utf-8", Site.contentType("boot.mjs"));
        assertEquals("application/json", Site.contentType("model.json"));
        assertEquals("application/json", Site.contentType("worker.js.map"));
        assertEquals("application/wasm", Site.contentType("worker.wasm"));
        assertEquals("application/wasm", Site.contentType("WORKER.WASM"));
        assertEquals("image/svg+xml", Site.contentType("favicon.svg"));
        assertEquals("image/png", Site.contentType("shot.png"));
        assertEquals("text/plain; charset=utf-8", Site.contentType("names.txt"));
        assertEquals("application/octet-stream", Site.contentType("Main.class"));
        assertEquals("application/octet-stream", Site.contentType("README"));
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
        Response r = request("HEAD", "/wasm/worker.wasm", "");
        assertEquals(200, r.status());
        assertEquals("application/wasm", r.header("Content-Type"));
        assertEquals(String.valueOf(WASM.length), r.header("Content-Length"));
        assertEquals(0, r.body().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS"})
    void onlyGetAndHeadAreAllowed(String method) throws IOException {
        Response r = request(method, "/index.html", "");
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
        "/c:/secret.txt",
        "http://127.0.0.1:PORT/../secret.txt", // absolute form, as proxies are sent
        "http://127.0.0.1:PORT/%2e%2e/secret.txt",
    })
    void escapesAre404(String target) throws IOException {
        Response r = get(target.replace("PORT", String.valueOf(server.port())));
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
        assertEquals("index.html", Site.safeRelativePath("/"));
        assertEquals("index.html", Site.safeRelativePath("//./"));
        assertEquals("js/worker.js", Site.safeRelativePath("/js//./worker.js"));
        assertEquals("js/index.html", Site.safeRelativePath("/js/"));
        assertEquals(null, Site.safeRelativePath("/a/../b"));
        assertEquals(null, Site.safeRelativePath("/.."));
        assertEquals(null, Site.safeRelativePath("/a\\b"));
        assertEquals(null, Site.safeRelativePath("/a\0b"));
        assertEquals(null, Site.safeRelativePath("relative"));
        assertEquals(null, Site.safeRelativePath(null));
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
        LoopbackServer real = ServeCommand.start(0, data, new PrintStream(OutputStream.nullOutputStream()));
        try {
            Response r = RawHttp.get(real.port(), target);
            assertEquals(404, r.status(), target);
            assertEquals("404 not found\n", r.text(), target); // not a byte of the class file
        } finally {
            real.close();
        }
    }

    // ---- where it listens ------------------------------------------------------------------

    @Test
    void itListensOn127001Only() throws IOException {
        assertTrue(server.port() > 0, "port 0 picked a real port");
        assertEquals(200, get("/").status());
        // 127.0.0.2 is this machine too; a server bound to every interface would answer there.
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket("127.0.0.2", server.port())) {
                s.getInputStream();
            }
        });
    }

    // ---- who it answers: its own name only (DNS rebinding) ----------------------------------

    /**
     * A page on attacker.example can point its DNS name at 127.0.0.1 and then read our answers as
     * its own origin; its requests still say "Host: attacker.example", so they are refused.
     */
    @ParameterizedTest
    @ValueSource(strings = {"attacker.example", "attacker.example:PORT", "127.0.0.1", "127.0.0.1:1", "localhost:1",
        "127.0.0.1.nip.io:PORT", "0.0.0.0:PORT", "[::1]:PORT", "127.0.0.1:PORT.attacker.example"})
    void anotherHostIs421WithALineSayingWhy(String host) throws IOException {
        Response r = request("GET", "/", "Host: " + host.replace("PORT", String.valueOf(server.port())) + "\r\n");
        assertEquals(421, r.status(), host);
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertTrue(r.text().startsWith("421 misdirected request: this server answers only to Host 127.0.0.1:" + server.port()
                + " or localhost:" + server.port()), r.text());
        assertTrue(r.text().contains("DNS rebinding"), r.text());
        assertEquals(1, r.text().lines().count(), r.text());
        assertFalse(r.text().contains("<!doctype"), "not a byte of the page");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:PORT", "localhost:PORT", "LOCALHOST:PORT"})
    void thePageLoadsUnderItsOwnNames(String host) throws IOException {
        Response r = request("GET", "/", "Host: " + host.replace("PORT", String.valueOf(server.port())) + "\r\n");
        assertEquals(200, r.status(), host);
        assertEquals("<!doctype html><title>t</title>", r.text());
    }

    @Test
    void anAbsoluteTargetNamingAnotherHostIs421() throws IOException {
        // The authority in an absolute-form target overrides Host (RFC 9112): it is what counts.
        assertEquals(421, get("http://attacker.example/").status());
        assertEquals(200, get("http://localhost:" + server.port() + "/").status());
    }

    @Test
    void http10WithoutHostIs421() throws IOException {
        Response r = RawHttp.send(server.port(), "GET / HTTP/1.0\r\n\r\n");
        assertEquals(421, r.status());
        assertTrue(r.text().contains("named no host"), r.text());
    }

    // ---- compressed once per file ----------------------------------------------------------

    @Test
    void aFileIsReadAndGzippedOncePerVersion() throws IOException {
        CachedFiles files = new CachedFiles();
        Path script = root.resolve("js/worker.js");
        CachedFiles.Body first = files.get(script, true);
        CachedFiles.Body again = files.get(script, true);
        assertSame(first.gzipped(), again.gzipped(), "the second request reuses the first one's gzip");
        assertSame(first.raw(), again.raw());

        Files.writeString(script, "main([1]);"); // a rebuild: new size and time
        CachedFiles.Body rebuilt = files.get(script, true);
        assertEquals("main([1]);", StandardCharsets.UTF_8.decode(rebuilt.raw().duplicate()).toString());
        byte[] gzipped = new byte[rebuilt.gzipped().remaining()];
        rebuilt.gzipped().duplicate().get(gzipped);
        assertEquals("main([1]);", gunzip(gzipped));
        assertEquals(null, files.get(root.resolve("wasm/worker.wasm"), false).gzipped(), "nothing compressed unless asked");
    }

    @Test
    void theServerAnswersFromTheCacheUntilTheFileChanges() throws IOException {
        Path script = root.resolve("js/worker.js");
        FileTime time = Files.getLastModifiedTime(script);
        assertEquals("main([]);", get("/js/worker.js").text());
        // Same size, same time, other bytes: only a cache can still answer the old ones.
        Files.writeString(script, "main([9]);".substring(0, 9));
        Files.setLastModifiedTime(script, time);
        assertEquals("main([]);", get("/js/worker.js").text(), "served from the cache");
        assertEquals("main([]);", gunzip(request("GET", "/js/worker.js", "Accept-Encoding: gzip\r\n").body()));
        Files.setLastModifiedTime(script, FileTime.fromMillis(time.toMillis() + 2000));
        assertEquals("main([9])", get("/js/worker.js").text(), "a changed file is read again");
        assertEquals("main([9])", gunzip(request("GET", "/js/worker.js", "Accept-Encoding: gzip\r\n").body()));
    }

    private static String gunzip(byte[] gzipped) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aDataFileLargerThanTheLimitIs500NotAnOutOfMemoryError() throws IOException {
        try (var f = new java.io.RandomAccessFile(data.toFile(), "rw")) {
            f.setLength(CachedFiles.MAX_BYTES + 1); // sparse: no disk used
        }
        Response r = get("/data/names.txt");
        assertEquals(500, r.status());
        assertEquals(200, get("/").status(), "and the page is still served");
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

        assertEquals(404, RawHttp.get(port, "/data/names.txt").status());
        assertEquals(404, RawHttp.get(port, "/../teagrad/cli/Main.class").status());
        String warning = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(warning.startsWith("warning: " + absent + " does not exist"), warning);
        assertEquals(1, warning.lines().count(), warning);
        assertFalse(Files.exists(absent));

        serving.interrupt();
        serving.join(10_000);
        assertFalse(serving.isAlive());
        assertEquals(0, code.get());
        assertThrows(IOException.class, () -> RawHttp.get(port, "/"), "stopped serving");
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
            LoopbackServer fromJar = ServeCommand.start(0, fs.getPath("/webapp"), data);
            try {
                int port = fromJar.port();
                assertEquals("from the jar", RawHttp.get(port, "/").text());
                assertEquals(404, RawHttp.get(port, "/../secret.txt").status());
                assertEquals(404, RawHttp.get(port, "/%2e%2e/secret.txt").status());
                assertEquals("emma\nolivia\n", RawHttp.get(port, "/data/names.txt").text());
            } finally {
                fromJar.close();
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
