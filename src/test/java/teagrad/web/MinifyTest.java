package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built page's files are its sources without comments and the spaces nothing needs (Minify, run
 * by PageBundle): the JavaScript reads as the same tokens with a line break before exactly the same
 * ones (so automatic semicolon insertion reads it as before), the CSS as the same rules, the HTML as
 * the same page. The page's browser tests run the built, minified files.
 */
class MinifyTest {
    @TempDir
    Path dir;

    /** Every module in webapp/, the two bundles and the workers' scripts, by name. */
    private static Map<String, String> scripts() throws IOException {
        Map<String, String> js = new LinkedHashMap<>();
        Path webapp = Path.of("webapp");
        try (Stream<Path> files = Files.walk(webapp)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".js")).sorted().toList()) {
                js.put(webapp.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        PageBundle.Bundle early = PageBundle.early(webapp);
        js.put("boot.js as built", early.text());
        js.put("main.js as built", PageBundle.bundle(webapp, "main.js", early.exports()).text());
        return js;
    }

    /** Each token the parser reads, with whether a line break comes before it (from the second on). */
    private static List<String> read(String js) {
        List<String> read = new ArrayList<>();
        boolean lineBreak = false;
        for (JsLexer.Token t : JsLexer.tokens(js)) {
            if (t.skipped()) lineBreak |= t.breaksLine();
            else {
                read.add((lineBreak && !read.isEmpty() ? "⏎ " : "") + t.kind() + " " + t.text());
                lineBreak = false;
            }
        }
        return read;
    }

    @Test
    void everyScriptKeepsItsTokensAndItsLineBreaksAndLosesItsComments() throws IOException {
        for (var e : scripts().entrySet()) {
            String source = e.getValue(), min = Minify.js(source);
            assertEquals(source, String.join("", JsLexer.tokens(source).stream().map(JsLexer.Token::text).toList()),
                e.getKey() + ": the tokens, joined, are the source");
            assertEquals(read(source), read(min), e.getKey());
            for (JsLexer.Token t : JsLexer.tokens(min)) {
                assertFalse(t.kind() == JsLexer.Kind.COMMENT, e.getKey() + " keeps a comment: " + t.text());
                if (t.kind() == JsLexer.Kind.SPACE) assertTrue(t.text().equals(" ") || t.text().equals("\n"), e.getKey() + ": " + t.text().length() + " spaces");
            }
            assertTrue(min.length() < source.length(), e.getKey());
        }
    }

    @Test
    void slashesInRegexesStringsAndTemplatesAreNotComments() {
        assertEquals("const r=/\\/\\/|\\/\\*/g;\nconst c=/[/*]+/.test(s);\n",
            Minify.js("const r = /\\/\\/|\\/\\*/g;   // slashes, escaped\nconst c = /[/*]+/.test(s); /* a class holds / unescaped */\n"));
        assertEquals("const u='http://x/*y*/'+\"//\";\n", Minify.js("const u = 'http://x/*y*/' + \"//\"; // a comment\n"));
        String template = "`a // b ${ `in ${ x /* c */ } }` + '}' } /* d */ ${ {k: 1}.k }`";
        assertEquals("const t=" + template + ";\n", Minify.js("const t = " + template + "; // e\n"), "a template is kept as written, what is in its ${} too");
        assertEquals("if(/^tanh\\b/i.test(l))n++;\n", Minify.js("if (/^tanh\\b/i.test(l)) n++;\n"), "a regex after (");
        assertEquals("return/ x /.test(s);\n", Minify.js("return / x /.test(s);\n"), "a regex after return, its spaces kept");
    }

    @Test
    void aSlashAfterAValueDivides() {
        assertEquals("x=(a+b)/2/c;\ny=a/b;\nz=v[0]/n;\n", Minify.js("x = (a + b) / 2 / c;\ny = a / b; // c / d\nz = v[0] / n;\n"));
        assertEquals("q=a/ /re/.source.length;\n", Minify.js("q = a / /re/.source.length;\n"), "a division then a regex: not a // comment");
    }

    @Test
    void lineBreaksStaySoThatSemicolonInsertionReadsTheSame() {
        assertEquals("function f(){\nreturn\n42;\n}\n", Minify.js("function f() {\n  return\n    42;\n}\n"), "return then a line break returns undefined");
        assertEquals("a\n++b\n", Minify.js("a\n\n  ++b\n"));
        assertEquals("a\n++b\n", Minify.js("a /* a comment\n over lines */ ++b\n"), "a comment with a line break is a line break");
        assertEquals("a+b\n", Minify.js("a /* on one line */ + b\n"), "one without is a space");
    }

    @Test
    void spacesStayWhereTheTokensWouldOtherwiseMerge() {
        assertEquals("a+ +b;a- -b;a+ ++b;\n", Minify.js("a + +b; a - -b; a + ++b;\n"));
        assertEquals("typeof x;x in y;1 .toString();new Map();x=a?.5:1;\n", Minify.js("typeof x; x in y; 1 .toString(); new Map(); x = a ? .5 : 1;\n"));
        assertEquals("a< !b;c- >d;\n", Minify.js("a < !b; c - >d;\n"), "no <!-- or --> made, which a classic script reads as comments");
        assertEquals("'use strict';\n(()=>{\n})();\n", Minify.js("// A header\n'use strict';\n(() => {\n})();\n"), "the directive stays");
    }

    @Test
    void whatTheLexerCannotReadStopsTheBuildWithTheLine() {
        var string = assertThrows(IllegalStateException.class, () -> Minify.js("a;\nconst s = 'open\n"));
        assertTrue(string.getMessage().startsWith("line 2: a string"), string.getMessage());
        var regex = assertThrows(IllegalStateException.class, () -> Minify.js("x = /open\n"));
        assertTrue(regex.getMessage().startsWith("line 1: a regex"), regex.getMessage());
        assertThrows(IllegalStateException.class, () -> Minify.js("/* open"));
        assertThrows(IllegalStateException.class, () -> Minify.js("`a ${ b `"));
    }

    @Test
    void cssLosesCommentsAndSpacesButNotWhatTheyMean() {
        assertEquals("a :hover,b>c{color:red;margin:0 auto}\n", Minify.css("/* top */\na :hover, b>c {\n  color: red;  /* why */\n  margin: 0 auto;\n}\n"),
            "a space before a colon is a descendant combinator: it stays");
        assertEquals("x{content:\"a  /* b */ ;}\";width:calc(1px + 2px);background:url(a  b.svg)}\n",
            Minify.css("x { content: \"a  /* b */ ;}\"; width: calc(1px + 2px); background: url(a  b.svg); }\n"));
        assertEquals("a b{}\n", Minify.css("a/**/b {}"), "a comment between names keeps them apart");
    }

    /** CSS without comments and whitespace (outside strings) and with no ;} : what the rules say, whatever the layout. */
    private static String squashed(String css) {
        return css.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("\\s+", "").replace(";}", "}");
    }

    @Test
    void theBuiltStylesheetSaysWhatTheSourceSays() throws IOException {
        String source = Files.readString(Path.of("webapp", "style.css")), min = Minify.css(source);
        assertEquals(squashed(source), squashed(min));
        assertFalse(min.contains("/*"), "no comment left");
        assertTrue(min.length() < source.length() * 0.85, min.length() + " of " + source.length());
    }

    private static final Pattern KEPT = Pattern.compile("(?s)<pre\\b.*?</pre>|<noscript>.*?</noscript>|<meta http-equiv[^>]*>|<code>.*?</code>");

    @Test
    void theBuiltPageIsTheSourcePageWithoutItsComments() throws IOException {
        String source = PageBundle.builtHtml(Files.readString(Path.of("webapp", "index.html")), List.of()), min = Minify.html(source);
        assertFalse(min.contains("<!--"), "no comment left");
        assertEquals(source.replaceAll("(?m)^[ \\t]*<!--(?s:.*?)-->[ \\t]*\\n", "").replaceAll("(?s)<!--.*?-->", ""), min);
        Matcher s = KEPT.matcher(source), m = KEPT.matcher(min);
        int n = 0;
        while (s.find()) {
            assertTrue(m.find(), s.group());
            assertEquals(s.group(), m.group(), "<pre>, <noscript>, <code> and the CSP as written");
            n++;
        }
        assertTrue(n > 20, n + " blocks compared");
        assertEquals("<pre>a <!-- b --> c</pre>\n<p>x  y</p>\n", Minify.html("<pre>a <!-- b --> c</pre>\n  <!-- alone -->\n<p>x <!-- in --> y</p>\n"));
        assertThrows(IllegalStateException.class, () -> Minify.html("<!--[if IE]><p>old</p><![endif]-->"));
    }

    @Test
    void theBuildWritesTheMinifiedFiles() throws IOException {
        Path out = Files.createDirectories(dir.resolve("webapp"));
        PageBundle.main(new String[] {"webapp", out.toString()});
        PageBundle.Bundle early = PageBundle.early(Path.of("webapp"));
        assertEquals(Minify.js(early.text()), Files.readString(out.resolve("boot.js")));
        assertEquals(Minify.js(PageBundle.bundle(Path.of("webapp"), "main.js", early.exports()).text()), Files.readString(out.resolve("main.js")));
        for (String worker : PageBundle.WORKERS) assertEquals(Minify.js(Files.readString(Path.of("webapp", worker))), Files.readString(out.resolve(worker)));
        assertEquals(Minify.css(Files.readString(Path.of("webapp", "style.css"))), Files.readString(out.resolve("style.css")));
        assertTrue(Files.readString(out.resolve("index.html")).contains(PageBundle.BOOT_CLASSIC_TAG), "bundled, then minified");
        assertFalse(Files.readString(out.resolve("index.html")).contains("<!--"));
    }
}
