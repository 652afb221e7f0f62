// Boots the JavaScript build of the teagrad worker (Java compiled by TeaVM), the fallback engine.
// Started with ?bench (the page opened with ?bench) it loads bench/'s worker instead.
// kernels.wasm (the SIMD products, see teagrad.web.JsSimd) is fetched and instantiated on a
// WebAssembly.Memory of its own while the worker's script loads; where the browser has no
// WebAssembly SIMD, the file does not come, or the page was opened with ?simd=off, the worker
// starts without it and keeps its float[] products.
// self.teagradBoot records when each boot step ended, as in worker-wasm.js.
'use strict';
self.teagradBoot = { started: performance.now() };
// A word list read ahead (below, or sent by a page) before this worker listens: kept for the worker's main
// (WorkerMain), which replaces this handler.
self.onmessage = e => { if (e.data && e.data.type === 'ahead') self.teagradAhead = e.data; };
// Started with ?names (the page's own engine, boot.js): the default word list is downloaded here while the
// runtime loads, and read ahead as if the page had sent it (Protocol's ahead). A failure is the page's to
// report: it fetches the list too. The same lines as worker-wasm.js's: a third file both import would be
// one more request before either boots.
if (new URLSearchParams(self.location.search).has('names')) {
  fetch('data/names.txt', { cache: 'no-cache' })
    .then(r => (r.ok ? r.text() : null))
    .then(text => {
      if (text === null) return;
      self.teagradBoot.names = performance.now();
      self.dispatchEvent(new MessageEvent('message', { data: { type: 'ahead', text } }));   // to whichever handler listens now
    })
    .catch(() => {});
}
const query = new URLSearchParams(self.location.search);
const kernels = query.get('simd') === 'off' || typeof WebAssembly !== 'object'
  ? Promise.resolve(null)
  : fetch('wasm/kernels.wasm')
    .then(r => (r.ok ? r.arrayBuffer() : null))
    .then(bytes => {
      if (!bytes || !WebAssembly.validate(bytes)) return null;   // no SIMD: the module does not validate
      const memory = new WebAssembly.Memory({ initial: 1 });
      return WebAssembly.instantiate(bytes, { env: { memory } }).then(r => ({ exports: r.instance.exports, memory }));
    })
    .catch(() => null)   // without the module the worker is slower, not broken
    .then(k => { self.teagradBoot.kernels = performance.now(); return k; });
const bootFailed = e => postMessage({ type: 'error', during: 'boot', message: String((e && e.message) || e) });
try {
  importScripts(query.has('bench') ? 'js/bench-worker.js' : 'js/worker.js');
  self.teagradBoot.compiled = performance.now();
  kernels.then(k => {
    self.teagradSimdKernels = k;
    main([]);
  }).catch(bootFailed);
} catch (e) {
  bootFailed(e);
}
