package teagrad.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code serve} answers: the files of a {@code webapp/} folder (on disk or inside the jar),
 * plus {@code /data/names.txt} from the {@code --data} file, each with its content type, the
 * page's or the worker's Content-Security-Policy, and gzipped for clients that accept it.
 * Nothing outside the folder is ever served, whatever the path says.
 */
final class Site implements LoopbackServer.Handler {
    static final String DATA_URL_PATH = "/data/names.txt";

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

    private final Path root;        // absolute and normalised
    private final Path realRoot;    // with symlinks resolved
    private final Path dataFile;
    private final CachedFiles files = new CachedFiles();

    Site(Path root, Path dataFile) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = root.toRealPath();
        this.dataFile = dataFile;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws IOException {
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return HttpResponse.text(405, "405 method not allowed: only GET and HEAD").header("Allow", "GET, HEAD");
        }
        String relative = safeRelativePath(request.path());
        if (relative == null) return HttpResponse.text(404, "404 not found");
        Path file = ("/" + relative).equals(DATA_URL_PATH) ? dataFile : resolveInside(relative);
        String type = contentType(relative); // by the URL's name: --data may be called anything
        boolean compress = compressible(type);
        CachedFiles.Body body = file == null ? null : files.get(file, compress);
        if (body == null) return HttpResponse.text(404, "404 not found");
        boolean gzip = compress && acceptsGzip(request.header("accept-encoding"));
        // Each encoding is its own representation, so its own tag (RFC 9110 8.8.3).
        String etag = "\"" + body.tag() + (gzip ? "-gz" : "") + "\"";
        if (matches(request.header("if-none-match"), etag)) {
            // The browser's copy is current: a reload revalidates every file (Cache-Control: no-cache) and
            // downloads none of them again, the worker's ~160 KB and names.txt's ~100 KB included.
            HttpResponse notModified = new HttpResponse(304, type, EMPTY).header("ETag", etag);
            if (compress) notModified.header("Vary", "Accept-Encoding");
            return notModified;
        }
        HttpResponse response = new HttpResponse(200, type, gzip ? body.gzipped() : body.raw()).header("ETag", etag);
        if (type.startsWith("text/html")) response.header("Content-Security-Policy", ServeCommand.PAGE_CSP);
        if (type.startsWith("text/javascript")) response.header("Content-Security-Policy", ServeCommand.SCRIPT_CSP);
        // Text and WASM shrink to about 40%: the WASM worker is 266 KB raw, ~112 KB gzipped.
        if (compress) response.header("Vary", "Accept-Encoding");
        if (gzip) response.header("Content-Encoding", "gzip");
        return response;
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
    private Path resolveInside(String relative) throws IOException {
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root)) return null;
        try {
            return file.toRealPath().startsWith(realRoot) ? file : null;
        } catch (NoSuchFileException absent) {
            return null;
        }
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

    private static final java.nio.ByteBuffer EMPTY = java.nio.ByteBuffer.allocate(0).asReadOnlyBuffer();

    /**
     * Whether an If-None-Match header names this entity tag: "*", or one of a comma-separated list,
     * compared weakly (a W/ prefix ignored), as RFC 9110 13.1.2 asks for GET and HEAD.
     */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        if (ifNoneMatch.trim().equals("*")) return true;
        for (String candidate : ifNoneMatch.split(",")) {
            String t = candidate.trim();
            if (t.startsWith("W/")) t = t.substring(2);
            if (t.equals(etag)) return true;
        }
        return false;
    }

    /** Whether an Accept-Encoding header allows gzip: "gzip" or "*", without q=0. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) return false;
        for (String item : acceptEncoding.split(",")) {
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
        return false;
    }
}
