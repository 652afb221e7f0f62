package teagrad.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import teagrad.model.Setting;

/**
 * A {@link Message} on the JVM, as the page would see it: numbers as doubles, arrays of numbers,
 * strings, booleans, nested objects and lists of them. What {@link JsMessage} reads as absent
 * or of another type reads so here too.
 */
final class MapMessage implements Message {
    final Map<String, Object> values = new LinkedHashMap<>();

    Object raw(String key) { return values.get(key); }

    @Override public Object get(String key) {
        Object v = values.get(key);
        if (v == null || v instanceof Double || v instanceof Boolean || v instanceof String || v instanceof int[]) return v instanceof int[] a ? a.clone() : v;
        return new Setting.Other(v instanceof MapMessage ? "an object" : "an array");
    }

    @Override public String string(String key) { return values.get(key) instanceof String s ? s : null; }

    @Override public double number(String key) { return values.get(key) instanceof Double d ? d : Double.NaN; }

    @Override public int[] ints(String key) { return values.get(key) instanceof int[] a ? a.clone() : null; }

    @Override public float[] floats(String key) {
        Object v = values.get(key);
        if (v instanceof float[] f) return f.clone();
        if (!(v instanceof int[] a)) return null;
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = a[i];
        return f;
    }

    @Override public Message object(String key) { return values.get(key) instanceof MapMessage m ? m : null; }

    boolean bool(String key) { return Boolean.TRUE.equals(values.get(key)); }

    @SuppressWarnings("unchecked")
    List<MapMessage> list(String key) { return (List<MapMessage>) values.get(key); }

    private Message set(String key, Object v) {
        values.put(key, v);
        return this;
    }

    @Override public Message put(String key, String value) { return set(key, value); }
    @Override public Message put(String key, double value) { return set(key, value); }
    @Override public Message put(String key, boolean value) { return set(key, value); }
    @Override public Message put(String key, Message value) { return set(key, value); }
    /** Moves the array, as the worker's transfer does: the sender's copy is spoilt (NaN), so a sender that reuses it fails a test. */
    @Override public Message put(String key, float[] value) {
        set(key, value.clone());
        java.util.Arrays.fill(value, Float.NaN);
        return this;
    }
    /** Moves the array, as {@link #put(String, float[])}: the sender's copy turns to 0x55. */
    @Override public Message putBytes(String key, byte[] value) {
        set(key, value.clone());
        java.util.Arrays.fill(value, (byte) 0x55);
        return this;
    }
    @Override public Message put(String key, int[] value) { return set(key, value.clone()); }
    @Override public Message put(String key, String[] value) { return set(key, value.clone()); }
    @Override public Message put(String key, boolean[] value) { return set(key, value.clone()); }
    @Override public Message put(String key, List<Message> value) { return set(key, new ArrayList<>(value)); }

    @Override public String toString() { return values.toString(); }

    /** A message as the page would post it: {type, …}. */
    static MapMessage of(String type, Object... keyValues) {
        MapMessage m = new MapMessage();
        m.put("type", type);
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            m.values.put((String) keyValues[i], v instanceof Integer n ? (double) n : v instanceof Long n ? (double) n : v);
        }
        return m;
    }
}
