// Boots the JavaScript build of the teagrad worker (Java compiled by TeaVM), the fallback engine.
// Started with ?bench (the page opened with ?bench) it loads bench/'s worker instead.
// self.teagradBoot records when each boot step ended, as in worker-wasm.js.
'use strict';
self.teagradBoot = { started: performance.now() };
try {
  importScripts(new URLSearchParams(self.location.search).has('bench') ? 'js/bench-worker.js' : 'js/worker.js');
  self.teagradBoot.compiled = performance.now();
  main([]);
} catch (e) {
  postMessage({ type: 'error', during: 'boot', message: String((e && e.message) || e) });
}
