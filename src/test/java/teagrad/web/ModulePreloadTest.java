package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * index.html preloads every module main.js imports, directly or not (those in subfolders too), and
 * nothing else: a module missing from the list is fetched an import level later (delaying the
 * page's start), and a stale entry is a wasted request.
 */
class ModulePreloadTest {
    private static final Path WEBAPP = Path.of("webapp");
    private static final Pattern IMPORT = Pattern.compile("(?:from|import)\\s*\\(?\\s*'\\./([\\w./-]+\\.js)'");
    private static final Pattern PRELOAD = Pattern.compile("<link rel=\"modulepreload\" href=\"([^\"]+)\">");

    @Test
    void thePagePreloadsExactlyTheModulesMainImports() throws IOException {
        Set<String> imported = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(imports("main.js"));
        while (!todo.isEmpty()) {
            String module = todo.pop();
            if (imported.add(module)) todo.addAll(imports(module));
        }
        Set<String> preloaded = new TreeSet<>();
        Matcher m = PRELOAD.matcher(read("index.html"));
        while (m.find()) preloaded.add(m.group(1));
        assertEquals(imported, preloaded, "index.html's <link rel=\"modulepreload\"> list against main.js's imports");
    }

    /** What module imports, as paths from webapp/ (an import is relative to its module's folder). */
    private static Set<String> imports(String module) throws IOException {
        Set<String> found = new TreeSet<>();
        String folder = module.contains("/") ? module.substring(0, module.lastIndexOf('/') + 1) : "";
        Matcher m = IMPORT.matcher(read(module));
        while (m.find()) found.add(folder + m.group(1));
        return found;
    }

    private static String read(String file) throws IOException {
        return Files.readString(WEBAPP.resolve(file), StandardCharsets.UTF_8);
    }
}
