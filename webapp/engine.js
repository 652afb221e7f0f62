// One training engine: a Web Worker running teagrad's Java, compiled by TeaVM to WebAssembly GC
// (worker-wasm.js) or to JavaScript (worker-js.js). It picks the build the browser can run, falls back
// from WebAssembly to JavaScript once if the first does not boot, and restarts after a crash. The
// messages it carries are documented in src/main/java/teagrad/web/Protocol.java; nothing may be
// posted before the worker sent `ready`. The page's own engine starts before the page has drawn
// (boot.js), its worker downloads the default word list itself (names), and it holds what happens until
// the page listens (open()).

/** Whether this browser validates a WebAssembly GC module (a module whose only content is a struct type). */
function supportsWasmGC() {
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 95, 1, 120, 0]);
  try { return typeof WebAssembly === 'object' && WebAssembly.validate(bytes); } catch { return false; }
}

/** The build to start: ?engine=js or ?engine=wasm when the page was opened with one, else the best the browser runs. */
export function pickEngine(query = new URLSearchParams(location.search)) {
  const forced = query.get('engine');
  if (forced === 'js' || forced === 'wasm') return forced;
  return supportsWasmGC() ? 'wasm' : 'js';
}

export class Engine {
  /**
   * kind: 'wasm' or 'js'; bench: load bench/'s worker (timing hooks); simdOff: the WebAssembly worker
   * without its SIMD kernels; names: the worker downloads data/names.txt as it boots and reads it ahead
   * (worker-*.js started with ?names; until a worker is ready, so a fallback's does too).
   * hooks: {fellBack(message), failed(message), crashed(message)}: the WebAssembly build did not boot
   * (the JavaScript one is starting), no build boots, the worker died while running (a new one is starting).
   */
  constructor(kind, { bench = false, simdOff = false, names = false } = {}, hooks = {}) {
    this.kind = kind;
    this.flags = [bench ? 'bench' : '', simdOff ? 'simd=off' : ''].filter(Boolean).join('&');
    this.names = names;             // cleared by the first ready: a worker restarted after a crash gets its words from its owner
    this.hooks = hooks;
    this.worker = null;
    this.ready = false;
    this.simd = false;
    this.fellBack = false;
    this.listeners = new Set();
    this.held = null;               // while held: what the worker said (and the hooks' calls), in order, until open()
  }

  /** Holds every message of the worker and hook call from now until open(hooks): the worker may start before anyone listens. */
  hold() {
    if (!this.held) this.held = [];
  }

  /**
   * Stops holding: the hooks are given (if any), then what was held is taken in, in the order it
   * happened, one message a task (each may draw); what arrives meanwhile queues behind it.
   */
  open(hooks) {
    if (hooks) this.hooks = hooks;
    const next = () => {
      const replay = this.held && this.held.shift();
      if (!replay) { this.held = null; return; }
      try { replay(); } finally { setTimeout(next, 0); }   // a handler that throws must not stop the rest
    };
    next();
  }

  /** Runs fn now, or once the engine is open; either way only while w is still this engine's worker. */
  fromWorker(w, fn) {
    if (this.held) this.held.push(() => { if (w === this.worker) fn(); });
    else if (w === this.worker) fn();
  }

  /** Calls hooks[name](message), or holds the call until open(). */
  hook(name, message) {
    const call = () => { if (this.hooks[name]) this.hooks[name](message); };
    if (this.held) this.held.push(call);
    else call();
  }

  /** Calls fn(message) for every message of the worker after `ready`'s bookkeeping; returns a function that stops it. */
  listen(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Posts a message; false (and nothing sent) while the worker is not ready. */
  send(msg) {
    if (!this.worker || !this.ready) return false;
    this.worker.postMessage(msg);
    return true;
  }

  start(kind = this.kind) {
    this.kind = kind;
    this.ready = false;
    let w;
    try {
      const flags = [this.flags, this.names ? 'names' : ''].filter(Boolean).join('&');
      w = new Worker((kind === 'wasm' ? 'worker-wasm.js' : 'worker-js.js') + (flags ? '?' + flags : ''));
    } catch (e) {
      this.bootFailed(String(e && e.message || e));
      return;
    }
    this.worker = w;
    w.onmessage = e => this.fromWorker(w, () => this.receive(e.data));
    w.onmessageerror = () => this.fromWorker(w, () => this.deliver({ type: 'error', during: 'message', message: 'a message from the worker could not be read' }));
    w.onerror = e => {
      if (w !== this.worker) return;
      e.preventDefault();
      const msg = e.message || 'the worker script failed to load';
      this.fromWorker(w, () => {
        if (!this.ready) this.bootFailed(msg);
        else this.crashed(msg);
      });
    };
  }

  terminate() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.ready = false;
  }

  receive(m) {
    if (m && m.type === 'ready') {
      this.ready = true;
      this.names = false;
      this.kind = m.engine === 'js' || m.engine === 'wasm' ? m.engine : this.kind;
      this.simd = m.simd === true;
    }
    if (m && m.type === 'error' && m.during === 'boot' && !this.ready) { this.bootFailed(m.message || 'unknown error'); return; }
    this.deliver(m);
  }

  deliver(m) { for (const fn of this.listeners) fn(m); }

  /** The worker died while running: a new one starts (on nothing: its owner sends words and model again). */
  crashed(message) {
    this.terminate();
    this.start(this.kind);
    this.hook('crashed', message);
  }

  /** The engine did not start: fall back from WebAssembly GC to JavaScript once, then give up. */
  bootFailed(message) {
    this.terminate();
    if (this.kind === 'wasm' && !this.fellBack) {
      this.fellBack = true;
      this.hook('fellBack', message);
      this.start('js');
      return;
    }
    this.kind = 'none';
    this.hook('failed', message);
  }
}
