package teagrad.web;

import java.util.List;
import teagrad.model.Setting;

/**
 * One message between the page and the worker: a plain object of named values, as the page posts
 * and reads it ({@link Protocol} lists them all). The worker's logic reads and writes messages
 * only through this interface, so the JVM tests run it without a browser: in the worker a
 * JavaScript object stands behind it ({@link JsMessage}), in the tests a map.
 *
 * <p>Reading never throws: a value that is absent or of another type reads as null (NaN for a
 * number), and the reader names the key in its error. Settings read and write themselves through
 * the same object ({@link Setting.Source}, {@link Setting.Sink}).
 */
interface Message extends Setting.Source, Setting.Sink {
    String string(String key);

    /** A number, or NaN. */
    double number(String key);

    /** An array of whole numbers, or null. */
    int[] ints(String key);

    /** A Float32Array or an array of numbers, as floats, or null. */
    float[] floats(String key);

    /** An object, or null. */
    Message object(String key);

    Message put(String key, String value);

    Message put(String key, double value);

    Message put(String key, boolean value);

    Message put(String key, Message value);

    /** A Float32Array that moves to the page with the message, not copied: the caller must not use the array again. */
    Message put(String key, float[] value);

    /** A Uint8Array that moves to the page with the message, as {@link #put(String, float[])}. */
    Message putBytes(String key, byte[] value);

    /** An array of numbers. */
    Message put(String key, int[] value);

    Message put(String key, String[] value);

    Message put(String key, boolean[] value);

    Message put(String key, List<Message> value);

    @Override default void putWhole(String key, long value) { put(key, (double) value); }

    @Override default void putFloat(String key, float value) { put(key, (double) value); }

    @Override default void putBool(String key, boolean value) { put(key, value); }

    @Override default void putInts(String key, int[] value) { put(key, value); }
}
