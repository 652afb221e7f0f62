// Boots the JavaScript build of the teagrad worker (Java compiled by TeaVM), the fallback engine.
// Started with ?bench (the page opened with ?bench) it loads bench/'s worker instead.
'use strict';
try {
  importScripts(new URLSearchParams(self.location.search).has('bench') ? 'js/bench-worker.js' : 'js/worker.js');
  main([]);
} catch (e) {
  postMessage({ type: 'error', during: 'boot', message: String((e && e.message) || e) });
}
