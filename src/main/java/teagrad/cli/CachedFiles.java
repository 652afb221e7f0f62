package teagrad.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The served files' bytes, read once and gzipped once per version of each file (its size and
 * modification time), so a request costs a lookup instead of a read and a compression: gzipping
 * names.txt per request held 200 clients to 128 requests/s. A rebuilt or re-downloaded file is
 * read again on its next request. Memory: the served folder and the word list, each twice at most.
 */
final class CachedFiles {
    /** Larger files are refused instead of held in memory (the page takes word lists up to 50 MB). */
    static final long MAX_BYTES = 64L << 20;

    /**
     * A file as read: its bytes, and gzipped (null where not worth it). Kept outside the Java heap
     * (direct buffers), so that a socket is written straight from them: a heap array would be
     * copied into a temporary native buffer of its full size on every write.
     */
    record Body(ByteBuffer raw, ByteBuffer gzipped, FileTime modified, long size, String tag) {}

    /** A file over {@link #MAX_BYTES}. */
    static final class TooLarge extends IOException {
        TooLarge(Path file, long size) {
            super(file + " is " + (size >> 20) + " MB; serve holds files of at most " + (MAX_BYTES >> 20) + " MB");
        }
    }

    private final Map<Path, Body> bodies = new ConcurrentHashMap<>();

    /**
     * The file's bytes (gzipped too if {@code compress}), read now only if it changed since the
     * last time; null if it is not a regular file (a folder, or gone).
     */
    Body get(Path file, boolean compress) throws IOException {
        Body cached = bodies.get(file);
        if (cached != null && compress && cached.gzipped == null) cached = null; // read before without gzip
        if (cached != null && file.getFileSystem() != FileSystems.getDefault()) return cached; // a jar's files never change
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
            bodies.remove(file);
            return null;
        }
        if (!now.isRegularFile()) return null;
        if (cached != null && cached.modified.equals(now.lastModifiedTime()) && cached.size == now.size()) return cached;
        if (now.size() > MAX_BYTES) throw new TooLarge(file, now.size());
        byte[] raw = Files.readAllBytes(file);
        Body body = new Body(direct(raw), compress ? direct(gzip(raw)) : null, now.lastModifiedTime(), now.size(), tag(raw));
        bodies.put(file, body);
        return body;
    }

    /**
     * The version of these bytes, for an entity tag: the first 64 bits of their SHA-256 in hex. From the
     * bytes, not the file's time: a jar's entries may all carry one build time, and a browser must never
     * keep an old file because a new one happens to have its size and date.
     */
    static String tag(byte[] raw) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(raw), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A read-only copy outside the heap; each answer writes from its own {@code duplicate()}. */
    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length / 2 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
            z.write(raw);
        }
        return bytes.toByteArray();
    }
}
