package teagrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve [--port 8080] [--data data/names.txt]}: serves the browser app on
 * http://127.0.0.1:PORT/ with our own {@link LoopbackServer} (no dependency), which no slow or
 * hostile client can stall and which answers only requests addressed to 127.0.0.1 or localhost.
 *
 * <p>Static files come from the {@code webapp/} folder on the classpath (the pom copies it
 * there and TeaVM compiles into it), so the same code works from the jar and from
 * target/classes. The word list is the one exception: {@code /data/names.txt} is read from
 * the {@code --data} file on disk, because it is not ours to ship inside the jar.
 */
public final class ServeCommand {
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
        LoopbackServer server;
        try {
            server = start(port, root, dataFile, err);
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
                err.println("warning: " + dataFile + " does not exist; " + Site.DATA_URL_PATH + " will answer 404");
            }
        }

        out.println("teagrad serving http://127.0.0.1:" + server.port() + "/");
        out.flush();

        // Serve until the process is killed (Ctrl-C runs the hook) or this thread is interrupted.
        Thread hook = new Thread(server::close);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            new CountDownLatch(1).await(); // never counted down: just block
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running anyway
            }
        }
        return 0;
    }

    /** Starts serving the classpath's {@code webapp/}; for tests, which pass port 0. */
    static LoopbackServer start(int port, Path dataFile, PrintStream out) throws IOException {
        LoopbackServer server = start(port, classpathRoot(), dataFile);
        out.println("teagrad serving http://127.0.0.1:" + server.port() + "/");
        return server;
    }

    /**
     * Starts serving {@code root} (a folder on disk or inside the jar) on 127.0.0.1 only, never on
     * other interfaces: the page is for this machine's browser. Port 0 picks a free port; read
     * it back from {@code server.port()}. Stop with {@code server.close()}. Failures are logged
     * to stderr.
     *
     * @throws BindException if the port is taken
     */
    public static LoopbackServer start(int port, Path root, Path dataFile) throws IOException {
        return start(port, root, dataFile, System.err);
    }

    static LoopbackServer start(int port, Path root, Path dataFile, PrintStream log) throws IOException {
        return LoopbackServer.start(port, new Site(root, dataFile), log);
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
}
