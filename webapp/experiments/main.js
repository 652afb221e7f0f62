// Mounts the experiments section on the page: its workers run the engine the panel runs, on the
// panel's word list and settings, and the panel's worker messages feed the live embedding view.
import { mountExperiments } from './panel.js';

const box = document.getElementById('experiments-box');
const page = () => window.teagradPage || {};
let defaults = page().ready ? page().ready.defaults : null;   // the panel's worker may have been ready before this module ran
const readyWaiters = [];

const experiments = mountExperiments(box, {
  makeWorker: () => new Worker(page().engine && page().engine() === 'js' ? 'worker-js.js' : 'worker-wasm.js'),
  words: async () => (page().words && page().words()) || (await (await fetch('data/names.txt')).text()),
  defaults: () => (defaults ? Promise.resolve(defaults) : new Promise(resolve => readyWaiters.push(resolve))),
  vocab: () => (page().vocab && page().vocab()) || '',
  currentConfig: () => (page().config && page().config()) || {},
  useLearningRate(lr) {
    const field = document.getElementById('cfg-lr');
    if (!field) return;
    field.value = String(lr);
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.dispatchEvent(new Event('change', { bubbles: true }));
  },
});

window.addEventListener('teagrad-message', e => {
  const m = e.detail;
  if (m && m.type === 'ready' && m.defaults) {
    defaults = m.defaults;
    for (const resolve of readyWaiters.splice(0)) resolve(defaults);
  }
  experiments.message(m);
});
