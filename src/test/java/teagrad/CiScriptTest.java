package teagrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .ci/run, run for real: a copy of it in a scratch clone, with stand-ins for mvn, java and
 * apt-get first on PATH. The build must see CI=true whatever the caller set (the browser tests
 * skip themselves without it, see web.Browser), a failing build must fail the script, and
 * names.txt is copied from shared/data/ beside the clone (CI has no internet).
 */
class CiScriptTest {
    @TempDir Path dir;

    record Run(int status, String builds, String output) {}

    /** .ci/run in dir/clone, the stand-in build exiting with {@code buildStatus}, the caller's CI set to {@code callerCi}. */
    Run run(int buildStatus, String callerCi) throws IOException, InterruptedException {
        Path clone = dir.resolve("clone"), bin = dir.resolve("bin"), log = dir.resolve("builds.log");
        Files.createDirectories(clone.resolve(".ci"));
        Files.copy(Path.of(".ci", "run"), clone.resolve(".ci/run"));
        Files.createDirectories(bin);
        standIn(bin, "mvn", "if [ \"$1\" = -v ]; then echo 'Apache Maven (stand-in)'; exit 0; fi\n"
            + "echo \"CI=$CI mvn $*\" >> \"$BUILD_LOG\"\nexit \"$BUILD_STATUS\"");
        standIn(bin, "java", "echo 'openjdk (stand-in)'");
        standIn(bin, "apt-get", "exit 1");   // a machine without chromium: the install fails, never touches the system
        ProcessBuilder pb = new ProcessBuilder("bash", ".ci/run").directory(clone.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("CI", callerCi);
        pb.environment().put("BUILD_LOG", log.toString());
        pb.environment().put("BUILD_STATUS", Integer.toString(buildStatus));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), ".ci/run finished");
        return new Run(p.exitValue(), Files.exists(log) ? Files.readString(log) : "", output);
    }

    static void standIn(Path bin, String name, String body) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        assertTrue(f.toFile().setExecutable(true), name + " stand-in is executable");
    }

    @Test
    void theBuildIsTheReadmesCommandAndSeesCiTrueWhateverTheCallerSet() throws Exception {
        Run r = run(0, "false");
        assertEquals("CI=true mvn -B -ntp verify\n", r.builds(), "one build, with CI=true: " + r.output());
        assertEquals(0, r.status(), "a passing build passes the script: " + r.output());
    }

    @Test
    void aFailingBuildFailsTheScript() throws Exception {
        Run r = run(3, "true");
        assertEquals("CI=true mvn -B -ntp verify\n", r.builds(), r.output());
        assertEquals(3, r.status(), "the build's exit status is the script's: " + r.output());
    }

    @Test
    void namesTxtIsCopiedFromTheSharedFolderBesideTheClone() throws Exception {
        Path shared = dir.resolve("shared/data/names.txt");
        Files.createDirectories(shared.getParent());
        Files.writeString(shared, "emma\nolivia\n");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("r--r--r--"));   // shared/ is read-only on CI
        Run r = run(0, "true");
        Path copy = dir.resolve("clone/data/names.txt");
        assertEquals("emma\nolivia\n", Files.readString(copy), r.output());
        assertTrue(Files.getPosixFilePermissions(copy).contains(PosixFilePermission.OWNER_WRITE), "the copy is writable (by its owner)");
    }
}
