package teagrad.web;

import org.teavm.jso.JSObject;

/** The worker's side of postMessage: messages are JavaScript objects, their typed arrays transferred (moved, not copied). */
final class JsPort implements Port {
    private JSObject buffers = Js.array();   // of the message being built

    @Override public Message object() { return new JsMessage(Js.object(), this); }

    @Override public void post(Message message) {
        JSObject transfer = buffers;
        buffers = Js.array();
        Js.post(((JsMessage) message).js, transfer);
    }

    void transfer(JSObject typedArray) { Js.pushBuffer(buffers, typedArray); }
}
