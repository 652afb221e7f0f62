package teagrad.web;

import java.util.List;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Float32Array;
import org.teavm.jso.typedarrays.Int32Array;
import org.teavm.jso.typedarrays.Int8Array;
import teagrad.model.Setting;

/**
 * A {@link Message} that is a JavaScript object: one the page posted, or one the worker fills and
 * posts through {@link JsPort}. Typed arrays put into it move to the page with the next post.
 */
final class JsMessage implements Message {
    final JSObject js;
    private final JsPort port;   // where its typed arrays' buffers are collected for the transfer

    JsMessage(JSObject js, JsPort port) {
        this.js = js;
        this.port = port;
    }

    @Override public Object get(String key) {
        String type = Js.typeOf(js, key);
        switch (type) {
            case "undefined": return null;
            case "number": return Js.number(js, key);
            case "boolean": return Js.bool(js, key);
            case "string": return Js.string(js, key);
            case "ints": return ints(key);
            default: return new Setting.Other(type);
        }
    }

    @Override public String string(String key) { return Js.string(js, key); }

    @Override public double number(String key) { return Js.number(js, key); }

    @Override public int[] ints(String key) {
        Int32Array a = Js.ints(js, key);
        return a == null ? null : a.copyToJavaArray();
    }

    @Override public float[] floats(String key) {
        Float32Array a = Js.floats(js, key);
        return a == null ? null : a.copyToJavaArray();
    }

    @Override public Message object(String key) {
        JSObject o = Js.child(js, key);
        return o == null ? null : new JsMessage(o, port);
    }

    @Override public Message put(String key, String value) { Js.set(js, key, value); return this; }

    @Override public Message put(String key, double value) { Js.set(js, key, value); return this; }

    @Override public Message put(String key, boolean value) { Js.set(js, key, value); return this; }

    @Override public Message put(String key, Message value) { Js.set(js, key, ((JsMessage) value).js); return this; }

    @Override public Message put(String key, float[] value) {
        Float32Array a = Float32Array.copyFromJavaArray(value);
        port.transfer(a);
        Js.set(js, key, a);
        return this;
    }

    @Override public Message putBytes(String key, byte[] value) {
        JSObject a = Js.unsigned(Int8Array.copyFromJavaArray(value));
        port.transfer(a);
        Js.set(js, key, a);
        return this;
    }

    @Override public Message put(String key, int[] value) {
        JSObject a = Js.array();
        for (int v : value) Js.push(a, v);
        Js.set(js, key, a);
        return this;
    }

    @Override public Message put(String key, String[] value) {
        JSObject a = Js.array();
        for (String v : value) Js.push(a, v);
        Js.set(js, key, a);
        return this;
    }

    @Override public Message put(String key, boolean[] value) {
        JSObject a = Js.array();
        for (boolean v : value) Js.push(a, v);
        Js.set(js, key, a);
        return this;
    }

    @Override public Message put(String key, List<Message> value) {
        JSObject a = Js.array();
        for (Message v : value) Js.push(a, ((JsMessage) v).js);
        Js.set(js, key, a);
        return this;
    }
}
