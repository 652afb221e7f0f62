package teagrad.web;

import org.teavm.classlib.PlatformDetector;
import org.teavm.jso.JSObject;

/**
 * The Web Worker the page talks to, compiled by TeaVM to WebAssembly GC and to JavaScript: the
 * browser glue around {@link Dispatcher}. It installs the SIMD products where the browser has
 * them, hands the dispatcher a port that posts to the page, the browser's clock and a
 * timer, passes it every message and says ready. The messages are listed in {@link Protocol}.
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) {
        boot(Dispatcher::new);
    }

    /** Makes the worker's dispatcher (the product's, or bench/'s with its extra messages). */
    interface Maker {
        Dispatcher make(Port out, Scheduler.Clock clock, Scheduler.Timer timer);
    }

    static void boot(Maker maker) {
        double mainAt = Js.now();
        boolean wasm = PlatformDetector.isWebAssemblyGC();
        // The products sum with SIMD where the browser has it (before any model is built).
        boolean simd = wasm ? Simd.install() : JsSimd.install();
        JsPort port = new JsPort();
        Dispatcher dispatcher = maker.make(port, Js::now, task -> Js.later(task::run));
        Js.onMessage(data -> dispatcher.receive(new JsMessage(data, port)));
        dispatcher.ready(wasm ? "wasm" : "js", simd, bootTimes(port, mainAt));
        // The word list read ahead before this worker listened (worker-*.js kept it: their own download, or a page's message).
        JSObject ahead = Js.takeAhead();
        if (ahead != null) dispatcher.receive(new JsMessage(ahead, port));
    }

    /**
     * When each boot step ended, ms on the worker's clock (its timeOrigin given, so that bench/ can
     * put them on the page's): the boot script started, loaded TeaVM's runtime, had kernels.wasm,
     * had the word list it downloads itself (if it had it by now), had the worker compiled; then main began.
     */
    static Message bootTimes(Port port, double mainAt) {
        Message boot = port.object().put("timeOrigin", Js.timeOrigin());
        for (String mark : new String[] {"started", "runtime", "kernels", "names", "compiled"}) {
            double at = Js.bootMark(mark);
            if (at >= 0) boot.put(mark, at);
        }
        return boot.put("main", mainAt);
    }
}
