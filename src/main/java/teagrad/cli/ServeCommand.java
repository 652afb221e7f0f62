package teagrad.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code serve [--port 8080] [--data data/names.txt]}: serves the browser app on
 * http://127.0.0.1:PORT/ with the JDK's built-in HTTP server (no dependency).
 *
 * <p>Static files come from the {@code webapp/} folder on the classpath (the pom copies it
 * there and TeaVM compiles into it), so the same code works from the jar and from
 * target/classes. The word list is the one exception: {@code /data/names.txt} is read from
 * the {@code --data} file on disk, because it is not ours to ship inside the jar.
 */
public final class ServeCommand {
    static final String DATA_URL_PATH = "/data/names.txt";

    static final String HELP = String.join("\n",
        "usage: java -jar target/teagrad.jar serve [--port 8080] [--data data/names.txt]",
        "",
        "Serves the live chapter on http://127.0.0.1:PORT/ (this machine only) until Ctrl-C.",
        "",
        "  --port N      port to listen on (default 8080; 0 picks a free one)",
        "  --data FILE   word list the page loads as /data/names.txt (default data/names.txt,",
        "                which is downloaded on first use if missing; other paths never are)",
        "");

    /**
     * For pages: only our own origin. 'wasm-unsafe-eval' lets WebAssembly.compileStreaming run;
     * no inline scripts or styles, no plugins, no framing.
     */
    static final String PAGE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
            + "style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * A dedicated worker takes its CSP from its own script's response, not from the page. TeaVM
     * 0.16's WASM-GC loader (classes.wasm-runtime.js) builds its JS import glue with
     * {@code new Function(...)}, which needs 'unsafe-eval'. So scripts get a policy that allows
     * that but still confines the worker to our origin; as a plain {@code <script src>} on a page
     * this header is ignored, the page's stricter policy applies.
     */
    static final String SCRIPT_CSP = "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; "
            + "connect-src 'self'; object-src 'none'";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("wasm", "application/wasm"), // required by WebAssembly.compileStreaming
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    private ServeCommand() {}

    static int run(String[] argv, PrintStream out, PrintStream err) {
        int port;
        Path dataFile;
        try {
            Args args = Args.parse(argv, Set.of("port", "data"), Set.of());
            port = args.integer("port", 8080, 0);
            if (port > 65535) throw new Args.UsageError("--port must be at most 65535, got " + port);
            dataFile = Path.of(args.string("data", DataFile.DEFAULT.toString()));
        } catch (Args.UsageError | InvalidPathException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }

        Path root;
        try {
            root = classpathRoot();
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }

        // Bind before anything slow (the download below), so a busy port fails at once.
        HttpServer server;
        try {
            server = start(port, root, dataFile);
        } catch (BindException e) {
            // Almost always "Address already in use"; rarely a privileged port (< 1024).
            if (String.valueOf(e.getMessage()).contains("in use")) {
                err.println("error: port " + port + " is in use; try --port " + (port < 65535 ? port + 1 : 0));
            } else {
                err.println("error: cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + "); try another --port");
            }
            return 2;
        } catch (IOException e) {
            err.println("error: cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + ")");
            return 1;
        }

        // Only the default location is filled from the internet; a --data path that does not
        // exist is served as 404 (the page copes) after one warning.
        if (!Files.isRegularFile(dataFile)) {
            if (DataFile.isDefault(dataFile)) {
                try {
                    DataFile.ensure(dataFile, out);
                } catch (DataFile.Missing e) {
                    err.println("warning: " + e.getMessage());
                }
            } else {
                err.println("warning: " + dataFile + " does not exist; " + DATA_URL_PATH + " will answer 404");
            }
        }

        out.println("teagrad serving http://127.0.0.1:" + server.getAddress().getPort() + "/");
        out.flush();

        // Serve until the process is killed (Ctrl-C runs the hook) or this thread is interrupted.
        Thread hook = new Thread(() -> server.stop(0));
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            new CountDownLatch(1).await(); // never counted down: just block
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.stop(0);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running anyway
            }
        }
        return 0;
    }

    /** Starts serving the classpath's {@code webapp/}; for tests, which pass port 0. */
    static HttpServer start(int port, Path dataFile, PrintStream out) throws IOException {
        HttpServer server = start(port, classpathRoot(), dataFile);
        out.println("teagrad serving http://127.0.0.1:" + server.getAddress().getPort() + "/");
        return server;
    }

    /**
     * Starts serving {@code root} (a folder on disk or inside the jar) on 127.0.0.1 only, never on
     * other interfaces: the page is for this machine's browser. Port 0 picks a free port; read
     * it back from {@code server.getAddress().getPort()}. Stop with {@code server.stop(0)}.
     *
     * @throws BindException if the port is taken
     */
    public static HttpServer start(int port, Path root, Path dataFile) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        // A few daemon threads: enough for a browser's parallel fetches, and they never keep
        // the JVM alive on their own.
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "teagrad-serve");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange, root, dataFile);
            } catch (IOException | RuntimeException e) {
                // The browser went away mid-response, or a bug: keep serving the others.
            }
        });
        server.start();
        return server;
    }

    /** The {@code webapp/} folder on the classpath, as a Path (inside the jar if run from it). */
    static Path classpathRoot() throws IOException {
        URL url = ServeCommand.class.getClassLoader().getResource("webapp/");
        if (url == null) throw new IOException("no webapp/ folder on the classpath; build the app with: mvn package");
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                // Open the jar as a file system so that jar and folder are read the same way.
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException alreadyOpen) {
                    // fine: Path.of below finds it
                }
            }
            return Path.of(uri);
        } catch (URISyntaxException e) {
            throw new IOException("cannot read the classpath's webapp/ at " + url, e);
        }
    }

    private static void handle(HttpExchange exchange, Path root, Path dataFile) throws IOException {
        String method = exchange.getRequestMethod();
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            sendText(exchange, 405, "405 method not allowed", head);
            return;
        }
        // getPath() has already decoded %xx, so "%2e%2e" arrives here as ".." and is refused below.
        String relative = safeRelativePath(exchange.getRequestURI().getPath());
        Path file = null;
        if (relative != null) {
            file = ("/" + relative).equals(DATA_URL_PATH) ? dataFile : resolveInside(root, relative);
        }
        if (file == null || !Files.isRegularFile(file)) {
            sendText(exchange, 404, "404 not found", head);
            return;
        }
        byte[] body = Files.readAllBytes(file); // the app's files are small; so is names.txt
        String type = contentType(relative); // by the URL's name: --data may be called anything
        if (type.startsWith("text/html")) exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_CSP);
        if (type.startsWith("text/javascript")) exchange.getResponseHeaders().set("Content-Security-Policy", SCRIPT_CSP);
        // Text and WASM shrink to about 40%: the WASM worker is 266 KB raw, ~112 KB gzipped.
        if (compressible(type)) {
            exchange.getResponseHeaders().set("Vary", "Accept-Encoding");
            if (acceptsGzip(exchange.getRequestHeaders().get("Accept-Encoding"))) {
                body = gzip(body);
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            }
        }
        send(exchange, 200, type, body, head);
    }

    /**
     * Turns a decoded URL path into a relative path such as "js/worker.js", or null if it is
     * unsafe: a ".." segment, a backslash, a NUL or a colon (Windows drive letters) anywhere.
     * "/" and any path ending in "/" mean that folder's index.html.
     */
    static String safeRelativePath(String decoded) {
        if (decoded == null || !decoded.startsWith("/")) return null;
        if (decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0 || decoded.indexOf(':') >= 0) return null;
        List<String> kept = new ArrayList<>();
        for (String segment : decoded.split("/")) {
            if (segment.equals("..")) return null;                      // never climb, not even "a/../b"
            if (!segment.isEmpty() && !segment.equals(".")) kept.add(segment); // "//" and "/./" are harmless
        }
        String relative = String.join("/", kept);
        if (relative.isEmpty()) return "index.html";
        return decoded.endsWith("/") ? relative + "/index.html" : relative;
    }

    /** Second line of defence: the resolved file must still lie under root (symlinks included). */
    private static Path resolveInside(Path root, String relative) throws IOException {
        Path normalRoot = root.toAbsolutePath().normalize();
        Path file = normalRoot.resolve(relative).normalize();
        if (!file.startsWith(normalRoot) || !Files.exists(file)) return null;
        return file.toRealPath().startsWith(normalRoot.toRealPath()) ? file : null;
    }

    /** The Content-Type for a file name, by extension; unknown types are plain bytes. */
    static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    /** Worth compressing: text, JSON, SVG and WASM (PNG and the like are compressed already). */
    static boolean compressible(String type) {
        return type.startsWith("text/") || type.startsWith("application/json") || type.startsWith("application/wasm")
            || type.startsWith("image/svg");
    }

    /** Whether an Accept-Encoding header (each of its values) allows gzip: "gzip" or "*", without q=0. */
    static boolean acceptsGzip(List<String> acceptEncoding) {
        if (acceptEncoding == null) return false;
        for (String header : acceptEncoding) {
            for (String item : header.split(",")) {
                String[] parts = item.trim().toLowerCase(Locale.ROOT).split(";");
                String coding = parts[0].trim();
                if (!coding.equals("gzip") && !coding.equals("*")) continue;
                boolean refused = false;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].replace(" ", "");
                    if (p.startsWith("q=") && p.substring(2).matches("0(\\.0*)?")) refused = true;
                }
                if (!refused) return true;
            }
        }
        return false;
    }

    static byte[] gzip(byte[] body) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(body.length / 2 + 64);
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(bytes)) {
            z.write(body);
        }
        return bytes.toByteArray();
    }

    private static void sendText(HttpExchange exchange, int status, String text, boolean head) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8), head);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, boolean head)
            throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type);
        headers.set("X-Content-Type-Options", "nosniff"); // browsers must trust our types, not guess
        headers.set("Cache-Control", "no-cache");         // always revalidate: a rebuilt app shows at once
        if (head) {
            // HEAD: same headers, no body. The JDK server wants -1 here and the length set by hand.
            headers.set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length); // 0 would mean "chunked"
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }
}
