package teagrad.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the page's modules into two files for the browser (run by the Maven build on
 * target/classes/webapp, after webapp/ is copied there):
 * <ul>
 *   <li>boot.js and the modules it imports (engine.js) become boot.js, a classic script that index.html
 *       runs before it parses the rest of the page: it starts the training engine's worker. A module,
 *       even async and render-blocking, ran only after the page's HTML was parsed, and the first layout
 *       (250–500 ms of the main thread here, most of it font lookups) came right after it; a dedicated
 *       worker needs a main-thread task to start, so its script waited for the layout to end. Created
 *       while the parser still yields between chunks, the worker boots during the layout
 *       (docs/PERFORMANCE.md, stop 27). Its modules' exports are left in {@code self.teagradEarly}.</li>
 *   <li>main.js and every module it imports become main.js, which reads boot.js's and engine.js's
 *       exports from {@code self.teagradEarly}. Why one file: the page is ~30 small modules, and over
 *       HTTP/1.1 (six connections to a host) they came in one after the other while the box was busy,
 *       holding the page's start, and the word list's download queued behind them (stop 26).</li>
 * </ul>
 * index.html loses the modulepreload links of the modules now inside a bundle, and its module script
 * tag for boot.js becomes a classic one. Then the two bundles, the workers' scripts, style.css and
 * index.html lose their comments and the spaces nothing needs ({@link Minify}): Lighthouse's mobile
 * load is bandwidth-bound, and main.js went from 66 to 42 KB gzipped (stop 29). webapp/ keeps the
 * files as they are written, comments and all; only the built copy is bundled and minified.
 *
 * <p>Each module becomes a function run once, in the order the browser would evaluate the modules
 * (depth first, an import's module before the importer), returning its exports:
 * <pre>
 *   const __chart = (() => { …chart.js, its imports read from the modules before it… return { LossChart }; })();
 * </pre>
 * so every module keeps its own top-level names. The modules may use only what this reads: imports
 * of the form {@code import { a, b as c } from './x.js';} on one line, and exports as
 * {@code export function|async function|class|const NAME} or {@code export { a, b };}. What else
 * it meets (an import cycle, an imported name the module does not export, export let, a default
 * export) fails the build with the module named, rather than making a page that breaks later.
 */
public final class PageBundle {
    private PageBundle() {}

    /** The entry of the script index.html runs first (it starts the worker). */
    static final String EARLY = "boot.js";

    /** Where the early script leaves its modules' exports, by path: {@code self.teagradEarly['engine.js']}. */
    static final String EARLY_EXPORTS = "teagradEarly";

    /** index.html's tag for boot.js as written (a module, for webapp/ as it is), and as built. */
    static final String BOOT_MODULE_TAG = "<script type=\"module\" async blocking=\"render\" src=\"boot.js\"></script>";
    static final String BOOT_CLASSIC_TAG = "<script src=\"boot.js\"></script>";

    private static final Pattern IMPORT = Pattern.compile("^import\\s*\\{([^}]*)\\}\\s*from\\s*'([^']+)';[ \\t]*$", Pattern.MULTILINE);
    private static final Pattern EXPORT_DECLARATION = Pattern.compile("^export\\s+(?:async\\s+function\\*?|function\\*?|class|const)\\s+([A-Za-z_$][\\w$]*)", Pattern.MULTILINE);
    private static final Pattern EXPORT_LIST = Pattern.compile("^export\\s*\\{([^}]*)\\};?[ \\t]*$", Pattern.MULTILINE);
    private static final Pattern ANY_EXPORT = Pattern.compile("^export\\b.*$", Pattern.MULTILINE);
    private static final Pattern ANY_IMPORT = Pattern.compile("^import\\b.*$|\\bimport\\s*\\(", Pattern.MULTILINE);
    private static final Pattern PRELOAD = Pattern.compile("<link rel=\"modulepreload\" href=\"([^\"]+)\">\\n");

    /**
     * Reads the page's modules and index.html from the first folder (webapp/) and writes boot.js,
     * main.js and index.html into the second (target/classes/webapp): always from the sources, so
     * that a second build does not bundle the bundle.
     */
    public static void main(String[] args) throws IOException {
        Path source = Path.of(args[0]), out = Path.of(args[1]);
        Bundle early = early(source);
        Bundle main = bundle(source, "main.js", early.exports);
        Files.writeString(out.resolve(EARLY), Minify.js(early.text), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("main.js"), Minify.js(main.text), StandardCharsets.UTF_8);
        for (String worker : WORKERS) Files.writeString(out.resolve(worker), Minify.js(read(source, worker)), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("style.css"), Minify.css(read(source, "style.css")), StandardCharsets.UTF_8);
        List<String> inside = new ArrayList<>(early.inside);
        inside.addAll(main.inside);
        Files.writeString(out.resolve("index.html"), Minify.html(builtHtml(read(source, "index.html"), inside)), StandardCharsets.UTF_8);
    }

    /** The workers' own scripts (TeaVM's code they load is written by TeaVM, and left as it writes it). */
    static final List<String> WORKERS = List.of("worker-wasm.js", "worker-js.js");

    private static String read(Path folder, String file) throws IOException {
        return Files.readString(folder.resolve(file), StandardCharsets.UTF_8);
    }

    /** A bundle's text, the modules inside it (paths relative to the page, as index.html names them) and their exports. */
    record Bundle(String text, List<String> inside, Map<String, List<String>> exports) {}

    /** One module as read: its source and its exports. */
    private record Module(String path, String source, List<String> exports) {}

    /** The entry and the modules it imports, as the body of a module script, the entry's code last and at the top level. */
    static Bundle bundle(Path webapp, String entry) throws IOException { return bundle(webapp, entry, Map.of()); }

    /** As {@link #bundle(Path, String)}; imports of the early script's modules ({@code earlier}, with their exports) read {@code self.teagradEarly}. */
    static Bundle bundle(Path webapp, String entry, Map<String, List<String>> earlier) throws IOException {
        Map<String, Module> read = read(webapp, entry, earlier);
        StringBuilder body = new StringBuilder("// The page's modules in one file, written by the build (teagrad.web.PageBundle) from webapp/'s ")
            .append(read.size()).append(" modules: edit those.\n\n");
        for (Module m : read.values()) {
            if (m.path.equals(entry)) body.append("// ---- ").append(m.path).append('\n').append(rewrite(m, read, earlier));
            else wrapped(body, m, read, earlier);
        }
        return new Bundle(body.toString(), new ArrayList<>(read.keySet()), exports(read));
    }

    /** boot.js and the modules it imports as one classic script, in strict mode as modules are, that leaves their exports in self.teagradEarly. */
    static Bundle early(Path webapp) throws IOException {
        Map<String, Module> read = read(webapp, EARLY, Map.of());
        StringBuilder body = new StringBuilder("// ").append(EARLY).append(" and the modules it imports, as one classic script that index.html runs before it parses the page\n")
            .append("// (written by the build, teagrad.web.PageBundle, from webapp/: edit those). main.js reads their exports from self.")
            .append(EARLY_EXPORTS).append(".\n'use strict';\n(() => {\n");
        List<String> published = new ArrayList<>();
        for (Module m : read.values()) {
            wrapped(body, m, read, Map.of());
            published.add("'" + m.path + "': " + name(m.path));
        }
        body.append("self.").append(EARLY_EXPORTS).append(" = Object.freeze({ ").append(String.join(", ", published)).append(" });\n})();\n");
        return new Bundle(body.toString(), new ArrayList<>(read.keySet()), exports(read));
    }

    /** The modules from the entry on, in evaluation order, the early script's left out. */
    private static Map<String, Module> read(Path webapp, String entry, Map<String, List<String>> earlier) throws IOException {
        Map<String, Module> read = new LinkedHashMap<>();
        visit(webapp, entry, read, new LinkedHashSet<>(), earlier.keySet());
        return read;
    }

    /** Appends the module as {@code const __name = (() => { …code… return { exports }; })();}. */
    private static void wrapped(StringBuilder body, Module m, Map<String, Module> read, Map<String, List<String>> earlier) {
        body.append("// ---- ").append(m.path).append('\n')
            .append("const ").append(name(m.path)).append(" = (() => {\n").append(rewrite(m, read, earlier))
            .append("return { ").append(String.join(", ", m.exports)).append(" };\n})();\n\n");
    }

    private static Map<String, List<String>> exports(Map<String, Module> read) {
        Map<String, List<String>> exports = new LinkedHashMap<>();
        read.forEach((path, m) -> exports.put(path, m.exports));
        return exports;
    }

    /** Reads a module and, first, the modules it imports (depth first, as the browser evaluates them). */
    private static void visit(Path webapp, String path, Map<String, Module> read, Set<String> open, Set<String> earlier) throws IOException {
        if (read.containsKey(path)) return;
        if (!open.add(path)) throw new IllegalStateException(path + " imports itself through " + open + ": an import cycle, which the bundle cannot order");
        String source = Files.readString(webapp.resolve(path), StandardCharsets.UTF_8);
        Set<String> imports = new LinkedHashSet<>();
        Matcher im = IMPORT.matcher(source);
        while (im.find()) imports.add(resolve(path, im.group(2)));
        Matcher other = ANY_IMPORT.matcher(IMPORT.matcher(source).replaceAll(""));
        if (other.find()) throw new IllegalStateException(path + ": an import the bundle does not read: " + other.group().trim());
        for (String from : imports) {
            if (!earlier.contains(from)) visit(webapp, from, read, open, earlier);
        }
        List<String> exports = new ArrayList<>();
        Matcher ex = EXPORT_DECLARATION.matcher(source);
        while (ex.find()) exports.add(ex.group(1));
        Matcher list = EXPORT_LIST.matcher(source);
        while (list.find()) for (String n : list.group(1).split(",")) if (!n.trim().isEmpty()) exports.add(n.trim());
        String rest = EXPORT_LIST.matcher(EXPORT_DECLARATION.matcher(source).replaceAll("")).replaceAll("");
        Matcher unread = ANY_EXPORT.matcher(rest);
        if (unread.find()) throw new IllegalStateException(path + ": an export the bundle does not read: " + unread.group().trim());
        open.remove(path);
        read.put(path, new Module(path, source, exports));
    }

    /** The module's code with its imports read from the modules before it (or the early script's) and its export keywords dropped. */
    private static String rewrite(Module m, Map<String, Module> read, Map<String, List<String>> earlier) {
        StringBuilder out = new StringBuilder();
        Matcher im = IMPORT.matcher(m.source);
        while (im.find()) {
            String from = resolve(m.path, im.group(2));
            boolean early = earlier.containsKey(from);
            List<String> exported = early ? earlier.get(from) : read.get(from).exports;
            List<String> specs = new ArrayList<>();
            for (String[] n : names(im.group(1))) {
                if (!exported.contains(n[0])) throw new IllegalStateException(m.path + " imports " + n[0] + " from " + from + ", which does not export it");
                specs.add(n[0].equals(n[1]) ? n[0] : n[0] + ": " + n[1]);
            }
            String exports = early ? EARLY_EXPORTS + "['" + from + "']" : name(from);
            im.appendReplacement(out, Matcher.quoteReplacement("const { " + String.join(", ", specs) + " } = " + exports + ";"));
        }
        im.appendTail(out);
        String code = EXPORT_LIST.matcher(out.toString()).replaceAll("");
        code = Pattern.compile("^export\\s+(?=(?:async\\s+function|function|class|const)\\b)", Pattern.MULTILINE).matcher(code).replaceAll("");
        return code.endsWith("\n") ? code : code + "\n";
    }

    /** An import's names, "a, b as c", as {imported, local} pairs. */
    private static List<String[]> names(String list) {
        List<String[]> names = new ArrayList<>();
        for (String spec : list.split(",")) {
            String s = spec.trim();
            if (s.isEmpty()) continue;
            String[] parts = s.split("\\s+as\\s+");
            names.add(new String[] {parts[0].trim(), parts[parts.length - 1].trim()});
        }
        return names;
    }

    /**
     * index.html as built: without the modulepreload links of the modules now inside a bundle (main.js's
     * stays), and boot.js run as the classic script it now is. Without boot.js's module tag the build
     * stops: the page would not start its worker.
     */
    static String builtHtml(String html, List<String> inside) {
        if (!html.contains(BOOT_MODULE_TAG)) throw new IllegalStateException("index.html has no " + BOOT_MODULE_TAG + " to run the early script with");
        Matcher m = PRELOAD.matcher(html.replace(BOOT_MODULE_TAG, BOOT_CLASSIC_TAG));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String href = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(inside.contains(href) && !href.equals("main.js") ? "" : m.group()));
        }
        return m.appendTail(out).toString();
    }

    /** './x.js' or '../x.js' from a module, as a path relative to the page's folder. */
    static String resolve(String from, String spec) {
        Path base = Path.of(from).getParent();
        Path p = (base == null ? Path.of(spec) : base.resolve(spec)).normalize();
        return p.toString().replace('\\', '/');
    }

    /** The bundle's name for a module's exports: batchnorm/plot.js → __batchnorm_plot. */
    static String name(String path) {
        return "__" + path.substring(0, path.length() - 3).replaceAll("\\W", "_");
    }
}
