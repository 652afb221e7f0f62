package teagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving a model: whole or not at all, and no temporary file left behind by this run or a killed one. */
class InputsTest {
    @TempDir Path dir;

    List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The id of a process that has ended. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
        return p.pid();
    }

    @Test
    void aWriteReplacesTheFileAndLeavesNothingElse() throws IOException {
        Path model = dir.resolve("model.json");
        Inputs.writeAtomically(model, "one");
        Inputs.writeAtomically(model, "two");
        assertEquals("two", Files.readString(model));
        assertEquals(List.of("model.json"), files());
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.json");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");   // a non-empty folder where the file should go: the rename fails
        assertThrows(IOException.class, () -> Inputs.writeAtomically(target, "text"));
        assertEquals(List.of("model.json"), files());
    }

    @Test
    void temporaryFilesOfAKilledRunAreRemovedByTheNextWriteButNotThoseOfARunningOne() throws Exception {
        Path model = dir.resolve("model.json");
        Path killed = dir.resolve(".model.json." + deadPid() + ".tmp");
        Path running = dir.resolve(".model.json." + ProcessHandle.current().parent().orElseThrow().pid() + ".tmp");
        Path oldStyleStale = dir.resolve("model.json1234567890.tmp"), oldStyleFresh = dir.resolve("model.json987.tmp");
        Path someoneElses = dir.resolve("other.json.12.tmp");
        for (Path p : List.of(killed, running, oldStyleStale, oldStyleFresh, someoneElses)) Files.writeString(p, "70 MB of a model");
        Files.setLastModifiedTime(oldStyleStale, FileTime.fromMillis(System.currentTimeMillis() - 2 * 3_600_000));

        Inputs.writeAtomically(model, "text");
        assertFalse(Files.exists(killed), "the killed run's file is gone");
        assertFalse(Files.exists(oldStyleStale), "an hour-old file of the earlier naming is gone");
        assertTrue(Files.exists(running), "a live process may still be writing it");
        assertTrue(Files.exists(oldStyleFresh), "a recent file of the earlier naming may be in use");
        assertTrue(Files.exists(someoneElses), "another target's files are not ours");
    }
}
