package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's modules in two files (PageBundle, run by the build): boot.js and engine.js as the classic
 * script index.html runs first, the rest in main.js, which reads the first one's exports; every module
 * once, each after the modules it imports, each in a scope of its own; what it cannot bundle faithfully
 * stops the build. The page's browser tests run the bundles the build wrote.
 */
class PageBundleTest {
    @TempDir
    Path dir;

    private void write(String path, String text) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    @Test
    void everyModuleComesOnceAfterTheModulesItImports() throws IOException {
        PageBundle.Bundle early = PageBundle.early(Path.of("webapp"));
        assertEquals(List.of("engine.js", "boot.js"), early.inside(), "the early script: boot.js after engine.js, which it imports");
        PageBundle.Bundle b = PageBundle.bundle(Path.of("webapp"), "main.js", early.exports());
        assertEquals("main.js", b.inside().get(b.inside().size() - 1), "the entry runs last");
        for (String module : b.inside()) {
            if (module.equals("main.js")) continue;
            String declared = "const " + PageBundle.name(module) + " = ";
            int at = b.text().indexOf(declared);
            assertTrue(at >= 0, module + " is in the bundle");
            assertEquals(at, b.text().lastIndexOf(declared), module + " is in it once");
            String source = Files.readString(Path.of("webapp", module));
            var imports = java.util.regex.Pattern.compile("from '([^']+)'").matcher(source);
            while (imports.find()) {
                String dep = PageBundle.resolve(module, imports.group(1));
                if (early.inside().contains(dep)) continue;
                int depAt = b.text().indexOf("const " + PageBundle.name(dep) + " = ");
                assertTrue(depAt >= 0 && depAt < at, module + " comes after " + dep + ", which it imports");
            }
        }
        assertTrue(b.inside().contains("experiments/pool.js") && b.inside().contains("batchnorm/plot.js"), "modules in subfolders too");
        assertFalse(b.inside().contains("boot.js") || b.inside().contains("engine.js"), "boot.js and engine.js are in the early script only");
        assertTrue(b.text().contains("const { engine } = teagradEarly['boot.js'];"), "main.js reads boot.js's exports from the early script");
    }

    @Test
    void importsAreReadFromTheModulesBeforeAndRenamedAsWritten() throws IOException {
        write("a.js", "export const one = 1;\nconst hidden = 2;\nexport function twice(x) { return 2 * x; }\n");
        write("sub/b.js", "import { one, twice as double } from '../a.js';\nexport class B { get v() { return double(one); } }\n");
        write("main.js", "import { engine } from './boot.js';\nimport { B } from './sub/b.js';\nnew B();\n");
        PageBundle.Bundle b = PageBundle.bundle(dir, "main.js", Map.of("boot.js", List.of("engine")));
        assertEquals(List.of("a.js", "sub/b.js", "main.js"), b.inside());
        String t = b.text();
        assertTrue(t.contains("const { engine } = teagradEarly['boot.js'];"), t);
        assertTrue(t.contains("return { one, twice };"), "a.js exports what it exported, not its other names: " + t);
        assertTrue(t.contains("const { one, twice: double } = __a;"), t);
        assertTrue(t.contains("const { B } = __sub_b;"), t);
        write("main.js", "import { B } from './sub/b.js';\nimport { one } from './a.js';\nimport { twice } from './a.js';\n");
        String two = PageBundle.bundle(dir, "main.js").text();
        assertTrue(two.contains("const { one } = __a;\nconst { twice } = __a;"), "each import statement reads its own names: " + two);
        assertFalse(t.contains("export "), "no export keyword is left: " + t);
        write("main.js", "import { engines } from './boot.js';\n");
        var missing = assertThrows(IllegalStateException.class, () -> PageBundle.bundle(dir, "main.js", Map.of("boot.js", List.of("engine"))));
        assertTrue(missing.getMessage().contains("main.js imports engines from boot.js, which does not export it"), missing.getMessage());
    }

    @Test
    void theEarlyScriptIsAClassicStrictScriptThatLeavesItsModulesExports() throws IOException {
        write("engine.js", "export class Engine {}\nexport function pickEngine() { return 'wasm'; }\n");
        write("boot.js", "import { Engine, pickEngine } from './engine.js';\nexport const engine = new Engine(pickEngine());\n");
        PageBundle.Bundle early = PageBundle.early(dir);
        String t = early.text();
        assertEquals(List.of("engine.js", "boot.js"), early.inside());
        assertEquals(Map.of("engine.js", List.of("Engine", "pickEngine"), "boot.js", List.of("engine")), early.exports());
        assertTrue(t.contains("\n'use strict';\n(() => {\n"), "strict, as modules are, and in a scope of its own: " + t);
        assertTrue(t.contains("const { Engine, pickEngine } = __engine;"), t);
        assertTrue(t.endsWith("self.teagradEarly = Object.freeze({ 'engine.js': __engine, 'boot.js': __boot });\n})();\n"), t);
        assertFalse(t.contains("import ") || t.contains("export "), "nothing a classic script cannot run: " + t);
    }

    @Test
    void whatItCannotBundleFaithfullyStopsTheBuildNamingTheModule() throws IOException {
        write("a.js", "import { b } from './b.js';\nexport const a = 1;\n");
        write("b.js", "import { a } from './a.js';\nexport const b = 2;\n");
        write("main.js", "import { a } from './a.js';\n");
        var cycle = assertThrows(IllegalStateException.class, () -> PageBundle.bundle(dir, "main.js"));
        assertTrue(cycle.getMessage().contains("import cycle"), cycle.getMessage());

        write("b.js", "export const bee = 2;\n");
        var missing = assertThrows(IllegalStateException.class, () -> PageBundle.bundle(dir, "main.js"));
        assertTrue(missing.getMessage().contains("a.js imports b from b.js, which does not export it"), missing.getMessage());

        write("b.js", "export let b = 2;\n");
        var let = assertThrows(IllegalStateException.class, () -> PageBundle.bundle(dir, "main.js"));
        assertTrue(let.getMessage().startsWith("b.js: an export the bundle does not read"), let.getMessage());

        write("b.js", "export const b = 2;\nconst later = import('./c.js');\n");
        var dynamic = assertThrows(IllegalStateException.class, () -> PageBundle.bundle(dir, "main.js"));
        assertTrue(dynamic.getMessage().startsWith("b.js: an import the bundle does not read"), dynamic.getMessage());
    }

    @Test
    void theBuiltPageRunsBootJsAsAClassicScriptAndPreloadsOnlyWhatIsOutsideTheBundles() throws IOException {
        String html = PageBundle.BOOT_MODULE_TAG + "\n<link rel=\"modulepreload\" href=\"boot.js\">\n<link rel=\"modulepreload\" href=\"chart.js\">\n"
            + "<link rel=\"modulepreload\" href=\"main.js\">\n<link rel=\"modulepreload\" href=\"other.js\">\n";
        assertEquals("<script src=\"boot.js\"></script>\n<link rel=\"modulepreload\" href=\"main.js\">\n<link rel=\"modulepreload\" href=\"other.js\">\n",
            PageBundle.builtHtml(html, List.of("boot.js", "chart.js", "main.js")));
        var noTag = assertThrows(IllegalStateException.class, () -> PageBundle.builtHtml("<link rel=\"modulepreload\" href=\"chart.js\">\n", List.of("chart.js")));
        assertTrue(noTag.getMessage().contains("boot.js"), noTag.getMessage());
    }
}
