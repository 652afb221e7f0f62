package teagrad.web;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Float32Array;
import org.teavm.jso.typedarrays.Int32Array;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The few browser calls the worker needs, each one line of JavaScript. Jso-apis 0.16 has no
 * DedicatedWorkerGlobalScope, so the worker's {@code self} is reached through @JSBody.
 */
final class Js {
    private Js() {}

    @JSFunctor
    interface MessageHandler extends JSObject {
        void handle(JSObject data);
    }

    @JSFunctor
    interface Task extends JSObject {
        void run();
    }

    @JSBody(params = "handler", script = "self.onmessage = function (e) { handler(e.data); };")
    static native void onMessage(MessageHandler handler);

    /** Posts a message; the buffers listed in transfer move to the page instead of being copied. */
    @JSBody(params = {"message", "transfer"}, script = "self.postMessage(message, transfer);")
    static native void post(JSObject message, JSObject transfer);

    /**
     * Runs a task after the messages already queued: a MessageChannel round trip, which unlike
     * setTimeout(0) is not clamped to 4 ms when chained.
     */
    @JSBody(params = "task", script = "var channel = self.__teagradChannel;"
        + "if (!channel) { channel = self.__teagradChannel = new MessageChannel();"
        + " channel.port1.onmessage = function () { var next = channel.next; channel.next = null; next(); }; }"
        + "channel.next = task; channel.port2.postMessage(0);")
    static native void later(Task task);

    /** The ahead message the page posted before the worker listened (worker-*.js keep it), or null; taken once. */
    @JSBody(script = "var m = self.teagradAhead; self.teagradAhead = null; return m || null;")
    static native JSObject takeAhead();

    @JSBody(script = "return performance.now();")
    static native double now();

    @JSBody(script = "return performance.timeOrigin;")
    static native double timeOrigin();

    /**
     * When the boot script (worker-wasm.js, worker-js.js) passed a mark, on {@link #now}'s clock; −1 if it did not.
     * No one-letter names in these scripts: TeaVM's JavaScript minifier renames the parameters to b, c, …
     * and leaves the script's own names, so {@code var b} here once hid {@code mark} (the JS worker sent no marks).
     */
    @JSBody(params = "mark", script = "var boot = self.teagradBoot; return boot && typeof boot[mark] === 'number' ? boot[mark] : -1;")
    static native double bootMark(String mark);

    @JSBody(script = "return {};")
    static native JSObject object();

    @JSBody(script = "return [];")
    static native JSObject array();

    @JSBody(params = {"a", "v"}, script = "a.push(v);")
    static native void push(JSObject array, String value);

    @JSBody(params = {"a", "v"}, script = "a.push(v);")
    static native void push(JSObject array, boolean value);

    @JSBody(params = {"a", "v"}, script = "a.push(v);")
    static native void push(JSObject array, double value);

    @JSBody(params = {"a", "v"}, script = "a.push(v);")
    static native void push(JSObject array, JSObject value);

    /** The same bytes seen as unsigned (the page reads 0/1 pixels). */
    @JSBody(params = "a", script = "return new Uint8Array(a.buffer);")
    static native JSObject unsigned(Int8Array a);

    /** What a property holds: "undefined", "number", "boolean", "string", "ints" (an array of whole numbers), else its description. */
    @JSBody(params = {"o", "k"}, script = "var v = o == null ? undefined : o[k];"
        + "if (v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return typeof v;"
        + "if (v === null) return 'null'; if (!Array.isArray(v)) return 'an object';"
        + "for (var i = 0; i < v.length; i++) if ((v[i] | 0) !== v[i]) return 'an array'; return 'ints';")
    static native String typeOf(JSObject o, String key);

    /** An array property of whole numbers (32-bit), or null when absent or not such an array. */
    @JSBody(params = {"o", "k"}, script = "var v = o == null ? undefined : o[k];"
        + "if (!Array.isArray(v)) return null; for (var i = 0; i < v.length; i++) if ((v[i] | 0) !== v[i]) return null;"
        + "return new Int32Array(v);")
    static native Int32Array ints(JSObject o, String key);

    /** A Float32Array property (or an array of numbers, copied into one), or null when absent. */
    @JSBody(params = {"o", "k"}, script = "var v = o == null ? undefined : o[k];"
        + "if (v instanceof Float32Array) return v; if (!Array.isArray(v)) return null;"
        + "for (var i = 0; i < v.length; i++) if (typeof v[i] !== 'number') return null; return new Float32Array(v);")
    static native Float32Array floats(JSObject o, String key);

    /** Adds a typed array's buffer to a transfer list. */
    @JSBody(params = {"buffers", "a"}, script = "buffers.push(a.buffer);")
    static native void pushBuffer(JSObject buffers, JSObject typedArray);

    @JSBody(params = {"o", "k", "v"}, script = "o[k] = v;")
    static native void set(JSObject o, String key, String value);

    @JSBody(params = {"o", "k", "v"}, script = "o[k] = v;")
    static native void set(JSObject o, String key, double value);

    @JSBody(params = {"o", "k", "v"}, script = "o[k] = v;")
    static native void set(JSObject o, String key, boolean value);

    @JSBody(params = {"o", "k", "v"}, script = "o[k] = v;")
    static native void set(JSObject o, String key, JSObject value);

    /** A string property, or null when absent or not a string. */
    @JSBody(params = {"o", "k"}, script = "var v = o == null ? undefined : o[k]; return typeof v === 'string' ? v : null;")
    static native String string(JSObject o, String key);

    /** A number property, or NaN when absent or not a number (validation then names it). */
    @JSBody(params = {"o", "k"}, script = "var v = o == null ? undefined : o[k]; return typeof v === 'number' ? v : NaN;")
    static native double number(JSObject o, String key);

    @JSBody(params = {"o", "k"}, script = "return o != null && o[k] === true;")
    static native boolean bool(JSObject o, String key);

    @JSBody(params = {"o", "k"}, script = "var v = o == null ? undefined : o[k]; return v != null && typeof v === 'object' ? v : null;")
    static native JSObject child(JSObject o, String key);
}
