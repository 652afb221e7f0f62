package teagrad.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java the chapter shows beside its text is teagrad's own source, character for character. */
class PageCodeTest {
    @ParameterizedTest
    @ValueSource(strings = {"code-bn-forward", "code-bn-backward"})
    void theChapterShowsTheRealBatchNormCode(String id) throws Exception {
        String page = Files.readString(Path.of("webapp", "index.html"), StandardCharsets.UTF_8);
        String source = Files.readString(Path.of("src", "main", "java", "teagrad", "nn", "BatchNorm1d.java"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("id=\"" + id + "\">.*?<pre><code[^>]*>(.*?)</code></pre>", Pattern.DOTALL).matcher(page);
        assertTrue(m.find(), "the page has a code block #" + id);
        String shown = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        assertTrue(shown.lines().count() > 15, "#" + id + " shows a real excerpt");
        assertTrue(source.contains(shown), "#" + id + " differs from BatchNorm1d.java: update the page when the code changes");
    }
}
