import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/run's closing table, from the JSON lines of the JVM and browser halves: per runtime the
 * default network's and the deep network's (deep-batchnorm) training steps/s, each with its ratio
 * to the naive baseline timed in the same runtime and run, and in the WASM worker the speed with
 * the diagnostics views live over the speed with them off. Run as a single-file program:
 * java bench/Summary.java target/bench-jvm.txt target/bench-browser.txt
 */
public final class Summary {
    public static void main(String[] args) throws Exception {
        List<String> rows = new ArrayList<>();
        Matcher object = Pattern.compile("\\{[^{}]*\"runtime\"[^{}]*\\}").matcher("");
        for (String file : args) {
            object.reset(Files.readString(Path.of(file)));
            while (object.find()) rows.add(object.group());
        }
        System.out.println("| runtime | default steps/s | × baseline | deep-batchnorm steps/s | × baseline | naive baseline steps/s | views live / off | statsOverhead |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String r : rows) {
            double views = number(r, "viewsLiveOverOff"), stats = number(r, "statsOverhead");
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %,.0f | %.2f | %,.0f | %s | %s |%n",
                text(r, "runtime"), number(r, "stepsPerSecond"), number(r, "ratio"), number(r, "deepStepsPerSecond"),
                number(r, "deepRatio"), number(r, "baselineStepsPerSecond"),
                Double.isNaN(views) ? "—" : String.format(Locale.ROOT, "%.3f (%s)", views,
                    views < 1 ? String.format(Locale.ROOT, "%.1f%% slower live", 100 * (1 - views)) : "no slowdown"),
                Double.isNaN(stats) ? "—" : String.format(Locale.ROOT, "%.1f%%", 100 * stats));
        }
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*(-?[0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static String text(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "?";
    }
}
