package teagrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            return Words.parse(read(path, "word list"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageError(file + ": " + e.getMessage());
        }
    }

    static ModelFile.Loaded model(String file) {
        try {
            return ModelFile.read(read(Path.of(file), "model file"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageError(file + ": " + e.getMessage());
        }
    }

    private static String read(Path path, String what) {
        if (!Files.exists(path)) throw new Args.UsageError(what + " " + path + " does not exist");
        if (Files.isDirectory(path)) throw new Args.UsageError(what + " " + path + " is a directory, not a file");
        try {
            return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);   // bad bytes → U+FFFD, refused by the parsers
        } catch (IOException e) {
            throw new Args.UsageError("cannot read " + what + " " + path + ": " + e.getMessage());
        }
    }

    /** Writes through a temporary file, so a crash never leaves half a model behind. */
    static void writeAtomically(Path path, String text) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A loss for JSON: NaN (an empty split) becomes null. */
    static String json(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.6f", v) : "null";
    }
}
