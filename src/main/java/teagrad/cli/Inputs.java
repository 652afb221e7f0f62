package teagrad.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import teagrad.modelfile.ModelFile;
import teagrad.data.Words;

/** Reading the files a command is given, with one-line errors that name the file. */
final class Inputs {
    private Inputs() {}

    /** The words of a word list; the default data/names.txt is downloaded when missing. */
    static List<String> words(String file, PrintStream out) {
        Path path = Path.of(file);
        if (DataFile.isDefault(path)) {
            try {
                DataFile.ensure(path, out);
            } catch (DataFile.Missing e) {
                throw new Args.UsageError(e.getMessage());
            }
        }
        try {
            return Words.parse(read(path, "word list", Words.MAX_BYTES));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageError(file + ": " + e.getMessage());
        }
    }

    /** The first part of a big model file, read first: most damaged or hostile files show it there. */
    static final int MODEL_START = 4 << 20;

    static ModelFile.Loaded model(String file) {
        Path path = Path.of(file);
        try {
            if (Files.isRegularFile(path) && Files.size(path) > MODEL_START) {
                IllegalArgumentException early = ModelFile.refusalOfStart(start(path, MODEL_START));
                if (early != null) throw early;
            }
            return ModelFile.read(read(path, "model file", ModelFile.MAX_CHARS));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageError(file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new Args.UsageError("cannot read model file " + path + ": " + e.getMessage());
        }
    }

    /** The text of a file's first {@code bytes} bytes (a character cut in two at the end becomes U+FFFD, within the margin). */
    private static String start(Path path, int bytes) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return new String(in.readNBytes(bytes), StandardCharsets.UTF_8);
        }
    }

    /**
     * The file's text, read up to {@code maxBytes} and no further: /dev/zero, a pipe or a huge
     * file is refused at the limit in a fraction of a second instead of filling the memory.
     */
    private static String read(Path path, String what, int maxBytes) {
        if (!Files.exists(path)) throw new Args.UsageError(what + " " + path + " does not exist");
        if (Files.isDirectory(path)) throw new Args.UsageError(what + " " + path + " is a directory, not a file");
        String tooLarge = what + " " + path + " is larger than " + (maxBytes >> 20) + " MB, the most a " + what + " may be";
        byte[] bytes;
        try {
            if (Files.isRegularFile(path)) {   // its size is known: read in one go, or not at all
                if (Files.size(path) > maxBytes) throw new Args.UsageError(tooLarge);
                bytes = Files.readAllBytes(path);
            } else {                           // a device or a pipe: read up to the limit
                try (InputStream in = Files.newInputStream(path)) {
                    bytes = in.readNBytes(maxBytes + 1);
                }
            }
        } catch (IOException e) {
            throw new Args.UsageError("cannot read " + what + " " + path + ": " + e.getMessage());
        }
        if (bytes.length > maxBytes) throw new Args.UsageError(tooLarge);
        return new String(bytes, StandardCharsets.UTF_8);   // bad bytes → U+FFFD, refused by the parsers
    }

    /**
     * Writes through a temporary file beside the target, ".NAME.PID.tmp", renamed into place,
     * so a crash never leaves half a model behind. The temporary file goes on every failure
     * this process sees (an exception, Ctrl-C, a kill); what a kill -9 leaves is removed by the
     * next write to the same target, once the process that wrote it is gone.
     */
    static void writeAtomically(Path path, String text) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = path.getFileName().toString();
        removeStaleTemporaries(dir, name);
        Path tmp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + ".tmp");
        Thread onExit = new Thread(() -> {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // exiting anyway; the next write removes it
            }
        });
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                // the JVM is already exiting: the hook runs, harmlessly
            }
        }
    }

    /** Temporary files of earlier writes to {@code name} whose process is gone; also the older "NAME123….tmp" once an hour old. */
    private static void removeStaleTemporaries(Path dir, String name) {
        Pattern ours = Pattern.compile(Pattern.quote("." + name + ".") + "(\\d+)\\.tmp");
        Pattern before = Pattern.compile(Pattern.quote(name) + "-?\\d+\\.tmp");   // Files.createTempFile's names, used until now
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.tmp")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                Matcher m = ours.matcher(n);
                boolean stale = m.matches() ? ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()
                    : before.matcher(n).matches() && Files.getLastModifiedTime(f).toMillis() < System.currentTimeMillis() - 3_600_000;
                if (stale) Files.deleteIfExists(f);
            }
        } catch (IOException | NumberFormatException e) {
            // cleaning is a courtesy: the write itself goes on
        }
    }

    /** A loss for JSON: NaN (an empty split) becomes null. */
    static String json(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.6f", v) : "null";
    }
}
