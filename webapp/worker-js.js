// Boots the JavaScript build of the teagrad worker (Java compiled by TeaVM), the fallback engine.
'use strict';
try {
  importScripts('js/worker.js');
  main([]);
} catch (e) {
  postMessage({ type: 'error', during: 'boot', message: String((e && e.message) || e) });
}
