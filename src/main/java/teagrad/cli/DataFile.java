package teagrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The word list that makemore trains on (32,033 names, one per line), fetched on first use.
 *
 * <p>Who may download: {@link #ensure} downloads to whatever path it is given, so the
 * <em>caller</em> decides. The CLI only calls it for the default location
 * ({@link #isDefault}); a path the user typed with {@code --data} that does not exist is the
 * user's mistake and is reported, never silently filled from the internet.
 *
 * <p>This is the CLI's (the tests find names.txt through it too): the core never does I/O, so
 * that it also compiles to the browser.
 */
public final class DataFile {
    /** Where the CLI looks by default, relative to the working directory. */
    public static final Path DEFAULT = Path.of("data", "names.txt");
    static final String DEFAULT_URL = "https://raw.githubusercontent.com/karpathy/makemore/master/names.txt";
    static final String DEFAULT_SHA256 = "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d";

    /** Tests point these at a local server; users never need them. */
    static final String URL_PROPERTY = "teagrad.dataUrl";
    static final String SHA256_PROPERTY = "teagrad.dataSha256";

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(60);

    /** The data set is absent and could not be fetched; the message is one line saying what to do. */
    public static final class Missing extends RuntimeException {
        Missing(String message) { super(message); }
    }

    private DataFile() {}

    /** True if {@code file} names the default location (however it is spelled: relative or absolute). */
    static boolean isDefault(Path file) {
        return file.toAbsolutePath().normalize().equals(DEFAULT.toAbsolutePath().normalize());
    }

    /**
     * Returns {@code file} if it exists; otherwise downloads it, checks its SHA-256, saves it
     * atomically (the file either appears whole or not at all) and prints one line to {@code out}.
     *
     * @throws Missing on any failure (no network, HTTP error, wrong hash, unwritable folder)
     */
    public static Path ensure(Path file, PrintStream out) {
        if (Files.exists(file)) return file;
        String url = System.getProperty(URL_PROPERTY, DEFAULT_URL);
        String expected = System.getProperty(SHA256_PROPERTY, DEFAULT_SHA256);
        try {
            byte[] body = download(url);
            String actual = sha256(body);
            // Check before touching the disk: a wrong file (a proxy's error page, a truncated
            // transfer, a changed upstream) must never be mistaken for the data set.
            if (!actual.equalsIgnoreCase(expected)) {
                throw new IOException("SHA-256 mismatch: expected " + expected + ", got " + actual);
            }
            writeAtomically(file, body);
            out.println("downloaded " + body.length + " bytes from " + url + " to " + file + " (SHA-256 verified)");
            return file;
        } catch (IOException e) {
            throw missing(file, url, e.getMessage());
        }
    }

    /** GETs {@code url} into memory, with a connect timeout and an overall deadline. */
    private static byte[] download(String url) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(TOTAL_TIMEOUT).GET().build();
        } catch (IllegalArgumentException e) {
            throw new IOException("bad URL " + url);
        }
        // HttpRequest.timeout stops counting once the headers arrive; waiting on the future
        // with a deadline also bounds a body that trickles in forever.
        CompletableFuture<HttpResponse<byte[]>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = pending.get(TOTAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException("timed out after " + TOTAL_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException(describe(e.getCause() != null ? e.getCause() : e, request.uri().getHost()));
        }
        if (response.statusCode() != 200) throw new IOException("HTTP " + response.statusCode());
        return response.body();
    }

    /** A short reason for the user; the JDK's exceptions here often have no message at all. */
    private static String describe(Throwable failure, String host) {
        if (failure instanceof HttpConnectTimeoutException) return "connecting to " + host + " timed out";
        if (failure instanceof ConnectException) return "cannot connect to " + host; // offline, refused, no DNS
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Writes to a temporary file beside the target, then renames it into place. */
    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Same folder, hence same file system: the rename below is a single atomic step, so a
        // crash or Ctrl-C can leave at worst a stray ".part" file, never a half-written names.txt.
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp); // only still there if something above failed
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e); // cannot happen
        }
    }

    private static Missing missing(Path file, String url, String reason) {
        // Exceptions' messages can span lines; the user gets exactly one.
        String oneLine = reason == null || reason.isBlank() ? "unknown error" : reason.replaceAll("\\s+", " ").trim();
        return new Missing(file + " is missing and could not be downloaded (" + oneLine + "); get it from "
                + url + " and save it as " + file);
    }
}
