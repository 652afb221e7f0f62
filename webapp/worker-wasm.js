// Boots the WASM GC build of the teagrad worker (Java compiled by TeaVM).
// Any failure becomes a protocol 'error' during 'boot', so the page can fall back to the JS build.
// kernels.wasm (the SIMD products, see teagrad.web.Simd) shares TeaVM's linear memory and is
// passed to it as the import module "kernels". Where the browser has no WebAssembly SIMD (or the
// page was opened with ?simd=off) a stub stands in and the worker keeps its float[] products.
// Started with ?bench (the page opened with ?bench) it loads bench/'s worker instead.
// self.teagradBoot records when each boot step ended (performance.now()); the ready message carries
// it for bench/'s split of the time to the first step.
'use strict';
self.teagradBoot = { started: performance.now() };
// A word list read ahead (below, or sent by a page) before this worker listens: kept for the worker's main
// (WorkerMain), which replaces this handler.
self.onmessage = e => { if (e.data && e.data.type === 'ahead') self.teagradAhead = e.data; };
// Started with ?names (the page's own engine, boot.js): the default word list is downloaded here while the
// runtime loads, and read ahead as if the page had sent it (Protocol's ahead). A failure is the page's to
// report: it fetches the list too.
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
const notLoaded = () => { throw new Error('kernels.wasm is not loaded'); };
const bootFailed = e => postMessage({ type: 'error', during: 'boot', message: String((e && e.message) || e) });
try {
  // kernels.wasm is fetched while TeaVM's runtime script loads (importScripts blocks), not after it.
  const kernelsBytes = fetch('wasm/kernels.wasm')
    .then(r => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`kernels.wasm: HTTP ${r.status}`))));
  importScripts('wasm/classes.wasm-runtime.js');
  self.teagradBoot.runtime = performance.now();
  const query = new URLSearchParams(self.location.search);
  const simdWanted = query.get('simd') !== 'off';
  const worker = query.has('bench') ? 'wasm/bench-worker.wasm' : 'wasm/worker.wasm';
  kernelsBytes
    .then(bytes => {
      self.teagradSimd = simdWanted && WebAssembly.validate(bytes);
      const kernels = self.teagradSimd ? new WebAssembly.Module(bytes) : null;
      self.teagradBoot.kernels = performance.now();
      return TeaVM.wasmGC.load(worker, {   // fetches the worker and compiles it as it streams in
        installImports(o) {
          o.kernels = kernels
            ? new WebAssembly.Instance(kernels, { env: { memory: o.env.memory } }).exports   // wasm-to-wasm calls
            : { axpy: notLoaded, tanh: notLoaded, sumRows: notLoaded, softmax: notLoaded, sgd: notLoaded, notFinite: notLoaded, zero: notLoaded, copy: notLoaded, transpose: notLoaded, transposeAdd: notLoaded,
                bnMoments: notLoaded, bnNormalise: notLoaded, bnNormaliseEval: notLoaded, bnBackward: notLoaded, bnBackwardEval: notLoaded };   // every import of module "kernels" (teagrad.web.Simd)
        },
      });
    })
    .then(t => {
      self.teagradBoot.compiled = performance.now();
      t.exports.main([]);
    })
    .catch(bootFailed);
} catch (e) {
  bootFailed(e);
}
