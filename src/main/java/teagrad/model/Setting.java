package teagrad.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.ObjIntConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import teagrad.data.Untrusted;

/**
 * One setting of a run, described once: its name (Config's field, the model file's and the page
 * protocol's key), its {@code train} flag, its key in the page's link, its kind, range, unit,
 * label and a line of help. {@link Settings#ALL} lists them all; Config's copy and validation,
 * the model file's config, the worker's messages, {@code train}'s flags and help and the page's
 * settings form all walk that list. The range is said once in words ({@link #range},
 * {@link #mustBe}), so the CLI's errors and help and the page's form say the same thing.
 */
public abstract class Setting {
    /** Where a setting belongs: the network's shape, its initialisation, or the training run. */
    public enum Group {
        NETWORK("network"), INIT("init"), RUN("run");

        /** As the page and the help name it. */
        public final String key;

        Group(String key) { this.key = key; }
    }

    /** A JSON object settings are read from: a model file's "config", a page message's "config". */
    public interface Source {
        /**
         * The value under key: a Double or a {@link Decimal}, Boolean, String or int[] (an array
         * of whole numbers); null when absent; {@link Other} otherwise.
         */
        Object get(String key);
    }

    /**
     * A number as a text wrote it (a model file), not yet rounded: a whole number is read from
     * it exactly (as a double, a seed of 2^53 + 1 would pass as 2^53) and a float is rounded
     * once from its decimal digits, to the same bits on every target.
     */
    public interface Decimal {
        /** The digits as written: "42", "-0.012", "1e-5". */
        String text();

        /** The float nearest the decimal value, correctly rounded. */
        float floatValue();
    }

    /** Any other JSON value, by its description ("an object", "[1, 2.5]"), for error messages. */
    public record Other(String description) {
        @Override public String toString() { return description; }
    }

    /** A JSON object settings are written to. */
    public interface Sink {
        void putWhole(String key, long value);
        void putFloat(String key, float value);
        void putBool(String key, boolean value);
        void putInts(String key, int[] value);
    }

    /** A setting's value out of range, or of the wrong kind; the message names the setting by {@link #name}. */
    public static final class Refused extends IllegalArgumentException {
        public final transient Setting setting;
        /** What is wrong, without the setting's name: "must be a whole number from 1 to 64, got 65". */
        public final String problem;

        Refused(Setting setting, String problem) {
            super(setting.name + " " + problem);
            this.setting = setting;
            this.problem = problem;
        }
    }

    public final String name, kind;
    private String flag, hashKey, label, unit = "", help = "";
    private Group group = Group.RUN;
    private boolean inForm, byPreset, inLayers;

    Setting(String name, String kind) {
        this.name = name;
        this.kind = kind;
    }

    // ---- the description, set once by Settings' table ----

    Setting about(Group group, String label, String help) {
        this.group = group;
        this.label = label;
        this.help = help;
        return this;
    }

    /** train's flag (without "--"). */
    Setting flag(String flag) { this.flag = flag; return this; }

    /** The key in the page's link (#embed=10&…); a setting with one is also in the page's form. */
    Setting form(String hashKey) { this.hashKey = hashKey; this.inForm = true; return this; }

    Setting unit(String unit) { this.unit = unit; return this; }

    /** A preset sets it (the network and its init); the run's other settings stay as they are. */
    Setting setByPresets() { this.byPreset = true; return this; }

    /** The model file's layers say it (Embedding's size, the Linear widths, where BatchNorm1d sits), not its config. */
    Setting keptInLayers() { this.inLayers = true; return this; }

    public String flag() { return flag; }
    public String hashKey() { return hashKey; }
    public String label() { return label; }
    public String unit() { return unit; }
    public String help() { return help; }
    public Group group() { return group; }
    public boolean inForm() { return inForm; }
    public boolean byPreset() { return byPreset; }
    public boolean inLayers() { return inLayers; }

    // ---- the value ----

    public abstract void copy(Config from, Config to);

    public abstract boolean same(Config a, Config b);

    /** The value as train's flags and the page's form write it: "200", "5/3", "100,100", "on". */
    public abstract String text(Config c);

    /** Sets the value from a flag's or a link's text, within the range. @throws Refused saying what is allowed */
    public abstract void parse(String text, Config into);

    /** Sets the value from a JSON object, when the key is there. @throws Refused when the value is of another kind */
    public abstract void read(Source in, Config into);

    public abstract void write(Config c, Sink out);

    /** @throws Refused unless the value lies in the range */
    public abstract void check(Config c);

    /** The range in a few words, as the CLI's help and the page's form show it: "1 to 64", "above 0, at most 10". */
    public abstract String range();

    /** What the value must be, as the CLI's errors and the page's form say it: "must be a whole number from 1 to 64". */
    public abstract String mustBe();

    /** The bounds as numbers, for the page's own checks of what it types: min, max, whether each is open. */
    public double min() { return 0; }
    public double max() { return 0; }
    public boolean minOpen() { return false; }
    public boolean maxOpen() { return false; }

    /** A JSON value (or the value itself) that is not what the setting must be. */
    Refused refused(Object got) {
        return new Refused(this, mustBe() + ", got " + describe(got));
    }

    /** A flag's or a link's text that is not what the setting must be, shown as typed. */
    Refused refusedText(String text) {
        return new Refused(this, mustBe() + ", got " + text);
    }

    /**
     * The value as a whole number if it is one (a Decimal written with digits only, no fraction or
     * exponent, of at most 18 of them; a Double without a fraction below 2^63), else null.
     */
    static Long whole(Object v) {
        if (v instanceof Double d) return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? (long) (double) d : null;
        if (!(v instanceof Decimal n)) return null;
        String t = n.text();
        int from = t.startsWith("-") ? 1 : 0;
        if (t.length() == from || t.length() - from > 18) return null;
        for (int i = from; i < t.length(); i++) if (t.charAt(i) < '0' || t.charAt(i) > '9') return null;
        return Long.parseLong(t);
    }

    /**
     * text cut at every {@code sep}, empty parts kept: {@code text.split(sep, -1)} without the regex
     * engine, which TeaVM compiles into the worker for String.split (123 KB of worker.wasm's 389).
     */
    public static String[] split(String text, char sep) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        int from = 0;
        for (int at; (at = text.indexOf(sep, from)) >= 0; from = at + 1) parts.add(text.substring(from, at));
        parts.add(text.substring(from));
        return parts.toArray(new String[0]);
    }

    static String describe(Object v) {
        if (v == null) return "nothing";
        if (v instanceof String s) return Untrusted.quote(s);   // from a file or a message: escaped and cut
        if (v instanceof Double d) return number(d);
        if (v instanceof int[] a) return Arrays.toString(a);
        String s = String.valueOf(v);
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** 10 rather than 10.0; 2^53 by name; thousands separated for reading: 10,000,000. */
    static String number(double v) {
        if (v == (double) Config.MAX_SEED) return "2^53";
        if (v != Math.rint(v) || Math.abs(v) >= 1e15) return Float.toString((float) v);
        String digits = Long.toString(Math.abs((long) v));
        StringBuilder b = new StringBuilder(v < 0 ? "-" : "");
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) b.append(',');
            b.append(digits.charAt(i));
        }
        return b.toString();
    }

    String withUnit(String range) { return unit.isEmpty() ? range : range + " " + unit; }

    // ---- the kinds ----

    /** A whole number in [min, max]. */
    public static final class Whole extends Setting {
        private final int lo, hi;
        private final ToIntFunction<Config> get;
        private final ObjIntConsumer<Config> set;

        Whole(String name, int lo, int hi, ToIntFunction<Config> get, ObjIntConsumer<Config> set) {
            super(name, "int");
            this.lo = lo;
            this.hi = hi;
            this.get = get;
            this.set = set;
        }

        @Override public void copy(Config from, Config to) { set.accept(to, get.applyAsInt(from)); }
        @Override public boolean same(Config a, Config b) { return get.applyAsInt(a) == get.applyAsInt(b); }
        @Override public String text(Config c) { return Integer.toString(get.applyAsInt(c)); }

        @Override public void parse(String text, Config into) {
            int v;
            try {
                v = Integer.parseInt(text.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw refusedText(text);
            }
            if (v < lo || v > hi) throw refusedText(text);
            set.accept(into, v);
        }

        @Override public void read(Source in, Config into) {
            Object v = in.get(name);
            if (v == null) return;
            Long w = whole(v);
            if (w == null || w != (int) (long) w) throw refused(v);
            set.accept(into, (int) (long) w);
        }

        @Override public void write(Config c, Sink out) { out.putWhole(name, get.applyAsInt(c)); }

        @Override public void check(Config c) {
            int v = get.applyAsInt(c);
            if (v < lo || v > hi) throw refused((double) v);
        }

        @Override public String range() { return withUnit(number(lo) + " to " + number(hi)); }
        @Override public String mustBe() { return "must be a whole number from " + number(lo) + " to " + number(hi); }
        @Override public double min() { return lo; }
        @Override public double max() { return hi; }
    }

    /** The seed: a whole number from 0 to 2^53, which JSON and JavaScript numbers carry exactly. */
    public static final class Seed extends Setting {
        private final ToLongFunction<Config> get;
        private final ObjLongConsumer<Config> set;

        Seed(String name, ToLongFunction<Config> get, ObjLongConsumer<Config> set) {
            super(name, "seed");
            this.get = get;
            this.set = set;
        }

        @Override public void copy(Config from, Config to) { set.accept(to, get.applyAsLong(from)); }
        @Override public boolean same(Config a, Config b) { return get.applyAsLong(a) == get.applyAsLong(b); }
        @Override public String text(Config c) { return Long.toString(get.applyAsLong(c)); }

        @Override public void parse(String text, Config into) {
            long v;
            try {
                v = Long.parseLong(text.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw refusedText(text);
            }
            if (v < 0 || v > Config.MAX_SEED) throw refusedText(text);
            set.accept(into, v);
        }

        @Override public void read(Source in, Config into) {
            Object v = in.get(name);
            if (v == null) return;
            Long w = whole(v);
            if (w == null || w < 0 || w > Config.MAX_SEED) throw refused(v);
            set.accept(into, w);
        }

        @Override public void write(Config c, Sink out) { out.putWhole(name, get.applyAsLong(c)); }

        @Override public void check(Config c) {
            long v = get.applyAsLong(c);
            if (v < 0 || v > Config.MAX_SEED) throw refused((double) v);
        }

        @Override public String range() { return "0 to 2^53"; }
        @Override public String mustBe() { return "must be a whole number from 0 to 2^53"; }
        @Override public double max() { return Config.MAX_SEED; }
    }

    /** A float in a range whose ends may be open: (0, 10], [0, 1], (0, 1). */
    public static final class Real extends Setting {
        interface Get { float of(Config c); }
        interface Set { void to(Config c, float v); }

        private final float lo, hi;
        private final boolean loOpen, hiOpen;
        private final Get get;
        private final Set set;

        Real(String name, float lo, boolean loOpen, float hi, boolean hiOpen, Get get, Set set) {
            super(name, "float");
            this.lo = lo;
            this.hi = hi;
            this.loOpen = loOpen;
            this.hiOpen = hiOpen;
            this.get = get;
            this.set = set;
        }

        @Override public void copy(Config from, Config to) { set.to(to, get.of(from)); }
        @Override public boolean same(Config a, Config b) { return get.of(a) == get.of(b); }

        /** The lecture's tanh gain reads 5/3; any other float as Java prints it (which reads back to the same float). */
        @Override public String text(Config c) {
            float v = get.of(c);
            String text = Float.toString(v);
            return v == 5f / 3f ? "5/3" : text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
        }

        /** A decimal ("0.1", "1e-5") or a fraction ("5/3"), as a float. */
        @Override public void parse(String text, Config into) {
            String s = text.trim();
            double v;
            try {
                int slash = s.indexOf('/');
                v = slash < 0 ? Double.parseDouble(s) : Double.parseDouble(s.substring(0, slash)) / Double.parseDouble(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw refusedText(text);
            }
            if (!Double.isFinite(v) || "dDfF".indexOf(s.charAt(s.length() - 1)) >= 0) throw refusedText(text);   // Java's 1d, 1f
            if (!inRange((float) v)) throw refusedText(text + ((float) v == 0 && v != 0 ? ", which is 0 as a float" : ""));
            set.to(into, (float) v);
        }

        @Override public void read(Source in, Config into) {
            Object v = in.get(name);
            if (v == null) return;
            // A decimal is rounded to a float once: through a double it could round twice.
            float f = v instanceof Decimal n ? n.floatValue() : v instanceof Double d ? (float) (double) d : Float.NaN;
            if (!Float.isFinite(f)) throw refused(v);
            set.to(into, f);
        }

        @Override public void write(Config c, Sink out) { out.putFloat(name, get.of(c)); }

        @Override public void check(Config c) {
            float v = get.of(c);
            if (!inRange(v)) throw refused((double) v);
        }

        private boolean inRange(float v) {
            return (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);   // false for NaN
        }

        @Override public String range() {
            if (!loOpen && !hiOpen) return withUnit(number(lo) + " to " + number(hi));
            return (loOpen ? "above " : "from ") + number(lo) + (hiOpen ? ", below " : ", at most ") + number(hi);
        }

        @Override public String mustBe() {
            return "must be a number " + (loOpen ? "above " : "from ") + number(lo)
                + (loOpen || hiOpen ? (hiOpen ? " and below " : " and at most ") : " to ") + number(hi);
        }

        @Override public double min() { return lo; }
        @Override public double max() { return hi; }
        @Override public boolean minOpen() { return loOpen; }
        @Override public boolean maxOpen() { return hiOpen; }
    }

    /** On or off. */
    public static final class Switch extends Setting {
        interface Get { boolean of(Config c); }
        interface Set { void to(Config c, boolean v); }

        private final Get get;
        private final Set set;

        Switch(String name, Get get, Set set) {
            super(name, "bool");
            this.get = get;
            this.set = set;
        }

        @Override public void copy(Config from, Config to) { set.to(to, get.of(from)); }
        @Override public boolean same(Config a, Config b) { return get.of(a) == get.of(b); }
        @Override public String text(Config c) { return get.of(c) ? "on" : "off"; }

        @Override public void parse(String text, Config into) {
            switch (text.trim()) {
                case "on": case "true": case "1": set.to(into, true); break;
                case "off": case "false": case "0": set.to(into, false); break;
                default: throw refusedText(text);
            }
        }

        @Override public void read(Source in, Config into) {
            Object v = in.get(name);
            if (v == null) return;
            if (!(v instanceof Boolean b)) throw refused(v);
            set.to(into, b);
        }

        @Override public void write(Config c, Sink out) { out.putBool(name, get.of(c)); }
        @Override public void check(Config c) {}
        @Override public String range() { return "on or off"; }
        @Override public String mustBe() { return "must be on or off (1 or 0, true or false)"; }
    }

    /** The hidden layers' widths: 1 to {@link Config#MAX_LAYERS} whole numbers, each 1 to {@link Config#MAX_HIDDEN}. */
    public static final class Widths extends Setting {
        interface Get { int[] of(Config c); }
        interface Set { void to(Config c, int[] v); }

        private final Get get;
        private final Set set;

        Widths(String name, Get get, Set set) {
            super(name, "widths");
            this.get = get;
            this.set = set;
        }

        @Override public void copy(Config from, Config to) { set.to(to, get.of(from).clone()); }
        @Override public boolean same(Config a, Config b) { return Arrays.equals(get.of(a), get.of(b)); }

        @Override public String text(Config c) {
            StringBuilder b = new StringBuilder();
            for (int w : get.of(c)) b.append(b.length() == 0 ? "" : ",").append(w);
            return b.toString();
        }

        /** "100, 100,100": whole numbers separated by commas. */
        @Override public void parse(String text, Config into) {
            String[] parts = split(text, ',');
            int[] w = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    w[i] = Integer.parseInt(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw refusedText(text);
                }
            }
            if (!fits(w)) throw refusedText(text);
            set.to(into, w);
        }

        @Override public void read(Source in, Config into) {
            Object v = in.get(name);
            if (v == null) return;
            if (!(v instanceof int[] w)) throw refused(v);
            set.to(into, w.clone());
        }

        @Override public void write(Config c, Sink out) { out.putInts(name, get.of(c)); }

        @Override public void check(Config c) {
            if (!fits(get.of(c))) throw refused(get.of(c));
        }

        private static boolean fits(int[] w) {
            if (w.length < 1 || w.length > Config.MAX_LAYERS) return false;
            for (int x : w) if (x < 1 || x > Config.MAX_HIDDEN) return false;
            return true;
        }

        @Override public String range() { return "1 to " + Config.MAX_LAYERS + " layers of 1 to " + number(Config.MAX_HIDDEN) + " units"; }

        @Override public String mustBe() {
            return "must be 1 to " + Config.MAX_LAYERS + " hidden layer widths, each a whole number from 1 to " + number(Config.MAX_HIDDEN)
                + ", separated by commas (like 100,100,100)";
        }

        /** min and max bound each width; {@link #layers} bounds their count. */
        @Override public double min() { return 1; }
        @Override public double max() { return Config.MAX_HIDDEN; }
        /** At most this many hidden layers. */
        public int layers() { return Config.MAX_LAYERS; }
    }
}
