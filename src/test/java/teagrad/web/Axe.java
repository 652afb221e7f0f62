package teagrad.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * axe-core, the accessibility rules engine, for the browser tests: its npm package (a tarball with
 * a pinned SHA-256, like the data set in cli/DataFile) is fetched once into target/ and its
 * axe.min.js taken out. Nothing of it is committed. Without the network a local run skips the
 * accessibility tests with a message; in CI (CI=true) that is a failure.
 */
final class Axe {
    static final String VERSION = "4.14.1";
    static final String TARBALL = "https://registry.npmjs.org/axe-core/-/axe-core-" + VERSION + ".tgz";
    static final String SHA256 = "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745";
    static final Path SCRIPT = Path.of("target", "axe-core-" + VERSION, "axe.min.js");

    private Axe() {}

    /** axe.min.js, fetched and checked on first use. */
    static String script() {
        try {
            if (!Files.exists(SCRIPT)) fetch();
            return Files.readString(SCRIPT, StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            String why = "axe-core " + VERSION + " is needed for the accessibility tests and could not be fetched from " + TARBALL + ": " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) throw new AssertionError(why, e);
            Assumptions.abort(why);
            return null;   // not reached
        }
    }

    private static void fetch() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(TARBALL)).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode());
        String actual = sha256(r.body());
        if (!actual.equals(SHA256)) throw new IOException("SHA-256 mismatch: expected " + SHA256 + ", got " + actual);
        byte[] script = fileInTar(new GZIPInputStream(new ByteArrayInputStream(r.body())), "package/axe.min.js");
        Files.createDirectories(SCRIPT.getParent());
        Path part = SCRIPT.resolveSibling(SCRIPT.getFileName() + ".part");
        Files.write(part, script);
        Files.move(part, SCRIPT, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One file's bytes from a tar stream: 512-byte headers (name at 0, size in octal at 124), data padded to 512. */
    static byte[] fileInTar(InputStream tar, String name) throws IOException {
        byte[] header = new byte[512];
        while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            String entry = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
            long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
            if (entry.equals(name)) return tar.readNBytes((int) size);
            tar.skipNBytes((size + 511) / 512 * 512);
        }
        throw new IOException(name + " is not in the package");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
