// Boots the WASM GC build of the teagrad worker (Java compiled by TeaVM).
// Any failure becomes a protocol 'error' during 'boot', so the page can fall back to the JS build.
'use strict';
const bootFailed = e => postMessage({ type: 'error', during: 'boot', message: String((e && e.message) || e) });
try {
  importScripts('wasm/classes.wasm-runtime.js');
  TeaVM.wasmGC.load('wasm/worker.wasm').then(t => t.exports.main([])).catch(bootFailed);
} catch (e) {
  bootFailed(e);
}
