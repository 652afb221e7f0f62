// One training engine: a Web Worker running teagrad's Java, compiled by TeaVM to WebAssembly GC
// (worker-wasm.js) or to JavaScript (worker-js.js). It picks the build the browser can run, falls back
// from WebAssembly to JavaScript once if the first does not boot, and restarts after a crash. The
// messages it carries are documented in src/main/java/teagrad/web/Protocol.java; nothing may be
// posted before the worker sent `ready` but the WebAssembly worker's files (wasmFiles). The page's own
// engine starts before the page has drawn (boot.js) and holds what happens until the page listens (open()).

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

/** The page's compile of each WebAssembly worker file (worker.wasm, bench-worker.wasm) and kernels.wasm, one per file. */
const compiled = new Map();

/**
 * The WebAssembly worker's files, fetched and compiled by the page: {worker, kernels} as bytes, or null
 * where that failed (the worker then fetches and compiles them itself, and reports what went wrong).
 * A worker's script starts only when the page's main thread is free, after the first layout; the page's
 * compile runs on V8's background threads meanwhile, and V8 keeps a module compiled from the same bytes
 * with the same options ({builtins}: those of TeaVM's loader), so the worker's compile of the bytes it
 * is handed is a lookup. The map keeps the compiled module, and so that cache entry, alive.
 */
function wasmFiles(workerFile) {
  if (!compiled.has(workerFile)) {
    const download = url => fetch(url).then(r => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`${url}: HTTP ${r.status}`))));
    // Not compileStreaming: that decodes on the page's main thread as the bytes arrive (50-70 ms in a trace,
    // delaying main.js); WebAssembly.compile decodes on V8's background threads.
    compiled.set(workerFile, Promise.all([download(workerFile), download('wasm/kernels.wasm')])
      .then(([worker, kernels]) => WebAssembly.compile(worker, { builtins: ['js-string'] }).then(module => ({ module, worker, kernels })))
      .catch(() => null));
  }
  return compiled.get(workerFile).then(f => (f ? { worker: f.worker, kernels: f.kernels } : null));
}

export class Engine {
  /**
   * kind: 'wasm' or 'js'; bench: load bench/'s worker (timing hooks); simdOff: the WebAssembly worker
   * without its SIMD kernels. hooks: {fellBack(message), failed(message), crashed(message)}: the
   * WebAssembly build did not boot (the JavaScript one is starting), no build boots, the worker died
   * while running (a new one is starting).
   */
  constructor(kind, { bench = false, simdOff = false } = {}, hooks = {}) {
    this.kind = kind;
    this.bench = bench;
    this.flags = [bench ? 'bench' : '', simdOff ? 'simd=off' : ''].filter(Boolean).join('&');
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
    const files = kind === 'wasm' ? wasmFiles(this.bench ? 'wasm/bench-worker.wasm' : 'wasm/worker.wasm') : null;
    const flags = [this.flags, files ? 'files=page' : ''].filter(Boolean).join('&');   // files=page: the worker waits for them
    try {
      w = new Worker((kind === 'wasm' ? 'worker-wasm.js' : 'worker-js.js') + (flags ? '?' + flags : ''));
    } catch (e) {
      this.bootFailed(String(e && e.message || e));
      return;
    }
    this.worker = w;
    if (files) files.then(f => { if (w === this.worker) w.postMessage({ type: 'files', worker: f && f.worker, kernels: f && f.kernels }); });
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
