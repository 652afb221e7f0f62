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
 * the diagnostics views live over the speed with them off; ms per dev-split evaluation and, in the
 * browser, from navigation to the first step. Run as a single-file program:
 * java bench/Summary.java target/bench-jvm.txt target/bench-browser.txt [target/bench-parallel.txt target/bench-first-step.txt]
 * (the last: FirstStepBench's median over several fresh loads).
 */
public final class Summary {
    public static void main(String[] args) throws Exception {
        List<String> rows = new ArrayList<>(), parallel = new ArrayList<>(), firstSteps = new ArrayList<>();
        Matcher firstStep = Pattern.compile("firstStepMs median (\\d+)\\s+min (\\d+)\\s+max (\\d+)\\s+\\((\\d+) loads\\)").matcher("");
        Matcher object = Pattern.compile("\\{[^{}]*\"runtime\"[^{}]*\\}").matcher("");
        Matcher pool = Pattern.compile("\\{[^{}]*\"parallel\"[^{}]*\\}").matcher("");
        for (String file : args) {
            String text = Files.readString(Path.of(file));
            object.reset(text);
            while (object.find()) rows.add(object.group());
            pool.reset(text);
            while (pool.find()) parallel.add(pool.group());
            firstStep.reset(text);
            while (firstStep.find()) firstSteps.add(String.format(Locale.ROOT, "first step, WASM, %s fresh loads: median %,d ms (%,d–%,d)",
                firstStep.group(4), Integer.valueOf(firstStep.group(1)), Integer.valueOf(firstStep.group(2)), Integer.valueOf(firstStep.group(3))));
        }
        System.out.println("| runtime | default steps/s | × baseline | deep-batchnorm steps/s | × baseline | naive baseline steps/s | dev eval ms | first step ms | views live / off | statsOverhead |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String r : rows) {
            double views = number(r, "viewsLiveOverOff"), stats = number(r, "statsOverhead");
            double first = number(r, "firstStepMs");
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %,.0f | %.2f | %,.0f | %.1f | %s | %s | %s |%n",
                text(r, "runtime"), number(r, "stepsPerSecond"), number(r, "ratio"), number(r, "deepStepsPerSecond"),
                number(r, "deepRatio"), number(r, "baselineStepsPerSecond"), number(r, "devEvalMs"),
                Double.isNaN(first) ? "—" : String.format(Locale.ROOT, "%.0f", first),
                Double.isNaN(views) ? "—" : String.format(Locale.ROOT, "%.3f (%s)", views,
                    views < 1 ? String.format(Locale.ROOT, "%.1f%% slower live", 100 * (1 - views)) : "no slowdown"),
                Double.isNaN(stats) ? "—" : String.format(Locale.ROOT, "%.1f%%", 100 * stats));
        }
        for (String f : firstSteps) System.out.printf("%n%s%n", f);
        for (String p : parallel) {
            System.out.printf(Locale.ROOT, "%nparallel (%s workers, load average %.2f): 1 worker %,.0f steps/s; 2 workers %,.0f steps/s together (median of the rounds' ratios %.2f x); "
                    + "parallelWorkers %.0f: parallelStepsPerSecond %,.0f%n",
                text(p, "parallel"), number(p, "loadAverage"), number(p, "oneWorkerStepsPerSecond"), number(p, "twoWorkersStepsPerSecond"),
                number(p, "twoOverOne"), number(p, "parallelWorkers"), number(p, "parallelStepsPerSecond"));
            if (!Double.isNaN(number(p, "memoryEndMB"))) {
                System.out.printf(Locale.ROOT, "memory, %.0f parallel runs of %,.0f steps: Chromium %.0f MB before, %.0f MB at the end, peak %.0f MB%n",
                    number(p, "memoryRuns"), number(p, "memorySteps"), number(p, "memoryBeforeMB"), number(p, "memoryEndMB"), number(p, "memoryPeakMB"));
            }
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
