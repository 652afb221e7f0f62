package teagrad;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * .ci/run: the browser tests skip themselves unless CI=true (see web.Browser), so the script
 * must set it itself, before the build, and stop at the first failure.
 */
class CiScriptTest {
    @Test
    void theCiScriptSetsCiTrueBeforeTheBuildAndFailsOnAnyError() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(".ci", "run"));
        int strict = lines.indexOf("set -euo pipefail");
        int ci = lines.indexOf("export CI=true");
        int build = lines.indexOf("mvn -B -ntp verify");
        assertTrue(strict >= 0, "set -euo pipefail");
        assertTrue(ci >= 0, "export CI=true, on a line of its own");
        assertTrue(build > ci, "the build runs after CI=true is set");
        assertTrue(lines.subList(build + 1, lines.size()).stream().allMatch(l -> l.isBlank() || l.startsWith("#")),
            "the build is the last command, so its exit status is the script's");
    }
}
