'use strict';
// teagrad page: the worker and its protocol, the page's state, the commands and the rendering. All
// arithmetic happens in the worker; the page only sends commands, keeps a little state and draws.
// Beside it: settings.js (the form and the URL hash), wordlist.js (reading word lists), keep.js
// and store.js (the run kept across reloads), chart.js, views.js and runs.js (what is drawn).
//
// The messages between page and worker are listed in src/main/java/teagrad/web/Protocol.java.

const BENCH = new URLSearchParams(location.search).has('bench');   // bench/: timing hooks and messages
const SIMD_OFF = new URLSearchParams(location.search).get('simd') === 'off';   // the WASM worker without its SIMD kernels (tests)

// ---------- page state ----------

const S = {
  worker: null, engine: null, simd: false, fellBack: false, ready: false,
  pendingData: null, dataSent: false, awaitingData: false, dataSource: '', dataset: null,
  sentConfig: null, acceptedConfig: null, importing: false,
  step: 0, steps: 200000, running: false, lr: null, sps: 0, rateWindow: [],
  firstLoss: null, lastLoss: null, devPoints: 0, lastDev: null, params: null,
  linkErrors: {}, hash: '', rules: [],
  presets: [], presetPending: null, hashPreset: null, layers: null,
  // never lose a run: the word list's text and checksum, the store, the run offered for resuming
  dataText: null, dataChecksum: null, store: null, storeOff: false, storeNoted: false,
  snapshots: [], requestedStep: -1, wordsStored: null, resumable: null, resuming: null, resumeBusy: false,
};
const testState = (window.teagradState = { step: 0, devPoints: 0, lastLoss: null, firstLoss: null, running: false });
let chart = null, views = null, runs = null;

function syncTestState() {
  Object.assign(testState, { step: S.step, devPoints: S.devPoints, lastLoss: S.lastLoss, firstLoss: S.firstLoss, running: S.running });
}

// ---------- small formatting helpers ----------

const fmtInt = n => Number(n).toLocaleString('en-US');
const fmtLoss = x => (Number.isFinite(x) ? x.toFixed(4) : '—');
const clean = v => (Array.isArray(v) ? v.join(',') : typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(7)) : v);
/** A value as the form and the hash show it: lists as "100,100", the gain 5/3 as "5/3". */
const shown = (f, v) => (f.kind === 'float' && Math.abs(v - 5 / 3) < 1e-6 ? '5/3' : String(clean(v)));

function fmtDuration(sec) {
  if (!Number.isFinite(sec) || sec < 0) return '';
  const s = Math.round(sec), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = x => String(x).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}

// ---------- messages (text only, newest first, at most two) ----------
// They float over the top of the chart instead of pushing it down; news fades after a while,
// warnings and errors stay until dismissed.

const MAX_MESSAGES = 2, INFO_MS = 8000;

function note(text, kind = 'info') {
  const box = $('messages');
  const div = document.createElement('div');
  div.className = `msg ${kind}`;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'dismiss';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Dismiss');
  close.addEventListener('click', () => div.remove());
  div.append(document.createTextNode(text), close);
  box.prepend(div);
  while (box.children.length > MAX_MESSAGES) box.lastElementChild.remove();
  if (kind === 'info') setTimeout(() => div.remove(), INFO_MS);
  return div;
}

/** A worker message as a sentence, so that more text can follow it. */
const sentence = msg => (/[.!?]$/.test(msg) ? msg : msg + '.');

function setStatus(text, missing = false) {
  $('status').textContent = text;
  $('status').classList.toggle('missing', missing);
}

// ---------- talking to the worker ----------

function post(msg) {
  if (!S.worker || !S.ready) return false;
  S.worker.postMessage(msg);
  return true;
}

function supportsWasmGC() {
  // A module whose only content is a struct type: valid only where WASM GC is implemented.
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 95, 1, 120, 0]);
  try { return typeof WebAssembly === 'object' && WebAssembly.validate(bytes); } catch { return false; }
}

function pickEngine() {
  const forced = new URLSearchParams(location.search).get('engine');
  if (forced === 'js' || forced === 'wasm') return forced;
  return supportsWasmGC() ? 'wasm' : 'js';
}

function startWorker(engine) {
  S.engine = engine;
  S.ready = false;
  let w;
  try {
    const flags = [BENCH ? 'bench' : '', SIMD_OFF ? 'simd=off' : ''].filter(Boolean).join('&');
    w = new Worker((engine === 'wasm' ? 'worker-wasm.js' : 'worker-js.js') + (flags ? '?' + flags : ''));
  } catch (e) {
    bootFailed(String(e && e.message || e));
    return;
  }
  S.worker = w;
  w.onmessage = e => { if (w === S.worker) onMessage(e.data); };
  w.onmessageerror = () => { if (w === S.worker) note('A message from the worker could not be read.', 'error'); };
  w.onerror = e => {
    if (w !== S.worker) return;
    e.preventDefault();
    const msg = e.message || 'the worker script failed to load';
    if (!S.ready) bootFailed(msg);
    else workerCrashed(msg);
  };
}

/** The worker died while running: start a new one on the same words and offer the kept run. */
function workerCrashed(message) {
  note(`The training engine failed (${message}) and was restarted.${S.storeOff ? '' : ' The run kept so far can be resumed.'}`, 'error');
  if (S.worker) S.worker.terminate();
  S.worker = null;
  runs.stopClock();
  Object.assign(S, { step: 0, running: false, ready: false, dataSent: false, snapshots: [], requestedStep: -1, resuming: null, importing: false,
    pendingData: S.dataText !== null ? { text: S.dataText, source: S.dataSource } : null });
  startWorker(S.engine);
  offerStoredRun();
  scheduleRender();
}

/** The engine did not start: fall back from WASM GC to JavaScript once, then give up loudly. */
function bootFailed(message) {
  if (S.worker) S.worker.terminate();
  S.worker = null;
  if (S.engine === 'wasm' && !S.fellBack) {
    S.fellBack = true;
    note(`The WebAssembly GC engine did not start (${message}). Switched to the JavaScript engine.`, 'warn');
    startWorker('js');
    return;
  }
  $('engine').textContent = 'none';
  note(`The training engine could not start: ${message}`, 'error');
  setStatus('The live panel cannot run in this browser; the chapter still reads fine.', true);
}

const HANDLERS = {
  ready(m) {
    S.ready = true;
    S.engine = m.engine === 'js' || m.engine === 'wasm' ? m.engine : S.engine;
    S.simd = m.simd === true;
    testState.simd = S.simd;
    $('engine').textContent = S.engine;
    $('engine-name').textContent = S.engine === 'wasm' ? (S.simd ? '(WebAssembly GC + SIMD)' : '(WebAssembly GC)') : '(JavaScript)';
    S.rules = Array.isArray(m.rules) ? m.rules : [];
    S.presets = (m.presets || []).map(p => ({ name: String(p.name), title: String(p.title || p.name), summary: String(p.summary || '') }));
    renderPresets($('presets'), S.presets, S.acceptedConfig && S.acceptedConfig.preset, onPreset);
    if (!FIELDS.length) {                            // the first ready: the form from the worker's table, then the link's settings
      buildForm(m.settings || [], m.defaults || {});
      applyLinkSettings();
      chart.reset(Number($('cfg-steps').value) || S.steps);
    }
    flushData();
  },

  dataset(m) {
    S.dataset = m;
    if (S.awaitingData) {                           // new words: the worker rebuilt the model
      S.awaitingData = false;
      freshModel(S.steps);
    }
    const vocab = Array.from(String(m.vocab || ''));          // code points, as the worker counts them
    const shown = vocab.join('').replace(/ /g, '␣');          // a space would be invisible
    S.keptSource = S.dataSource;   // what a refused list falls back to
    S.datasetStatus = `${fmtInt(m.words)} words from ${S.dataSource} · vocabulary of ${vocab.length} characters (${shown}) · ` +
      `examples: train ${fmtInt(m.train)}, dev ${fmtInt(m.val)}, test ${fmtInt(m.test)}`;
    setStatus(S.datasetStatus);
    if (S.ready) document.body.dataset.ready = '1';
    scheduleRender();
  },

  model(m) {
    const config = { ...(m.config || {}) };
    S.acceptedConfig = config;
    S.sentConfig = config;
    if (S.presetPending && m.cause === 'preset') {   // the preset's network: show it in the form and the link
      S.presetPending = null;
      fillForm(config);
      if (validateForm().ok) writeHash(config);
    }
    const resumed = S.resuming && m.step === S.resuming.step ? S.resuming : null;
    if (resumed) {                                  // the stored run is back: its settings in the form and the link
      S.resuming = null;
      fillForm(config);
      if (validateForm().ok) writeHash(config);
      note(`Run resumed at step ${fmtInt(m.step)}: Continue trains on exactly as if the page had never closed.`);
    } else if (S.importing && m.cause === 'import') {
      S.importing = false;
      if (S.importNote) S.importNote.remove();
      fillForm(config);
      if (validateForm().ok) writeHash(config);
      note(`Model imported: ${fmtInt(m.params)} parameters, trained for ${fmtInt(m.step)} steps.`);
    }
    S.params = m.params;
    freshModel(config.steps || S.steps, m.step);
    S.lr = m.lr;
    chart.setDecayStep(config.lrDecayStep || 0);
    S.layers = Array.isArray(m.layers) ? m.layers : null;
    renderLayers($('net-layers'), S.layers);
    markPreset($('presets'), config.preset);
    views.reset(S.layers);
    runs.begin(config, m.step || 0);
    if (resumed) restoreRun(resumed);
    if (m.step > 0) post({ type: 'evaluate' });   // an imported or resumed model: show its losses
    if (m.step > 0 && !resumed) requestSave(true);   // an imported model is the run now
  },

  /** An imported model file's curve: the batch losses up to its step and its dev points. */
  history(m) {
    const losses = m.losses instanceof Float32Array ? m.losses : new Float32Array(m.losses || []);
    const from = Math.max(0, (m.step || 0) - losses.length);
    drawCurve(from, losses, m.devSteps || [], m.devLosses || []);
    runs.restore({ startStep: from, firstLoss: losses.length ? losses[0] : null });
  },

  snapshot(m) { saveSnapshot(m); },

  diagnostics(m) { views.update(m); },

  progress(m) {
    const losses = m.losses || [];
    if (m.step > 0 && testState.firstStepAt === undefined) testState.firstStepAt = performance.now();   // for bench/
    chart.append(m.from, losses);
    runs.progress(m);
    if (losses.length) {
      if (S.firstLoss === null) S.firstLoss = losses[0];
      S.lastLoss = losses[losses.length - 1];
    }
    Object.assign(S, { step: m.step, steps: m.steps, lr: m.lr, running: !!m.running });
    S.sps = smoothedRate(m);
    chart.setTotal(m.steps);
    scheduleRender();
  },

  dev(m) {
    if (BENCH) (testState.devMs = testState.devMs || []).push(m.ms);   // ms per dev-split evaluation
    chart.addDev(m.step, m.loss);
    runs.dev(m);
    S.devPoints++;
    S.lastDev = m.loss;
    scheduleRender();
  },

  baseline(m) { settleBench('baseline', m.stepsPerSecond); },

  profile(m) { settleBench('profile', m.text); },
  kernels(m) { settleBench('kernels', JSON.parse(m.json)); },

  losses(m) {
    $('loss-train').textContent = fmtLoss(m.train);
    $('loss-val').textContent = fmtLoss(m.val);
    $('loss-test').textContent = fmtLoss(m.test);
    $('losses-at').textContent = `at step ${fmtInt(m.step)}`;
    runs.losses(m);
    if (S.devPoints === 0 && Number.isFinite(m.val)) {   // e.g. an imported model: its dev loss on the chart
      chart.addDev(m.step, m.val);
      S.devPoints++;
      S.lastDev = m.val;
      scheduleRender();
    }
  },

  done(m) {
    Object.assign(S, { step: m.step, running: false });
    runs.done(m);
    requestSave(false);
    note(`Finished: ${fmtInt(m.step)} steps.`);
    scheduleRender();
  },

  paused(m) {
    Object.assign(S, { step: m.step, running: false });
    runs.stopClock();
    requestSave(false);
    scheduleRender();
  },

  samples(m) { showSamples(m.names || [], m.known || []); },

  exported(m) {
    const url = URL.createObjectURL(new Blob([m.json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'teagrad-model.json';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
    note('Model exported as teagrad-model.json.');
  },

  diverged(m) {
    S.running = false;
    runs.stopClock();
    requestSave(false);                              // the model as of the step before
    note(`Training diverged: ${sentence(m.message || `the loss is not a finite number at step ${fmtInt(m.step)}`)}`, 'error');
    scheduleRender();
  },

  error(m) {
    const msg = m.message || 'unknown error';
    S.presetPending = null;
    runs.stopClock();
    if (m.during === 'boot' && !S.ready) { bootFailed(msg); return; }
    if (m.during === 'configure') {
      S.sentConfig = S.acceptedConfig;             // so the next change is sent again
      note(`Settings refused: ${sentence(msg)}`, 'error');
    } else if (m.during === 'data') {
      S.awaitingData = false;
      note(`The word list was refused: ${sentence(msg)}${S.dataset ? ' The previous data set is still loaded.' : ''}`, 'error');
      if (!S.dataset) setStatus('No data set loaded: drop a word list on this panel.', true);
      else { S.dataSource = S.keptSource; setStatus(S.datasetStatus); }   // not "Reading …" any more
    } else if (m.during === 'import' && S.resuming) {
      S.resuming = null;
      note(`Could not resume the stored run: ${sentence(msg)}`, 'error');
    } else if (m.during === 'import') {
      S.importing = false;
      if (S.importNote) S.importNote.remove();
      note(`Import failed: ${sentence(msg)} The current model is unchanged.`, 'error');
    } else if (m.during === 'train' || m.during === 'start') {   // the only errors that stop training
      S.running = false;
      S.rateWindow = [];
      note(`Training stopped: ${sentence(msg)}`, 'error');
    } else if (m.during === 'snapshot') {
      S.snapshots.shift();                           // nothing to keep (no model yet)
    } else if (m.during === 'history') {
      note(`The resumed run's curve was not accepted by the training engine: ${sentence(msg)} A later export carries only the steps trained from now on.`, 'warn');
    } else if (m.during === 'baseline' || m.during === 'profile' || m.during === 'kernels') {
      settleBench(m.during, undefined, msg);
    } else {                                         // step, evaluate, sample, reset, export, …: a run goes on
      if (m.during === 'sample') $('sample-summary').textContent = '';
      note(`${m.during ? `Error (${m.during})` : 'Error'}: ${msg}`, 'error');
    }
    scheduleRender();
  },
};

/** Steps per second over the last few seconds of progress, so that speed and ETA do not jump. */
const RATE_WINDOW_MS = 5000;
function smoothedRate(m) {
  const now = performance.now(), w = S.rateWindow;
  if (!m.running || (w.length && m.step < w[w.length - 1].step)) { w.length = 0; return m.running ? m.stepsPerSecond : 0; }
  w.push({ t: now, step: m.step });
  while (w.length > 2 && now - w[1].t >= RATE_WINDOW_MS) w.shift();
  const first = w[0], span = now - first.t;
  // The first second: the worker's own quarter-second figure; then the window's average.
  return span < 1000 ? m.stepsPerSecond : ((m.step - first.step) * 1000) / span;
}

/** bench/: answers (or errors) for window.teagradBaseline / teagradProfile. */
const benchWaiting = {};
function settleBench(type, value, error) {
  const p = benchWaiting[type];
  delete benchWaiting[type];
  if (!p) return;
  if (error === undefined) p.resolve(value); else p.reject(new Error(error));
}

/** Parts of the page in modules of their own (batchnorm/): they send and listen through this. */
const pageListeners = new Set();
window.teagradPage = { send: msg => post(msg), subscribe: fn => { pageListeners.add(fn); return () => pageListeners.delete(fn); }, views: () => views };

function onMessage(m) {
  const handler = m && HANDLERS[m.type];
  if (handler) handler(m); else if (!pageListeners.size) console.warn('teagrad: unknown message from the worker', m);
  syncTestState();
  for (const fn of pageListeners) fn(m);
}

// ---------- model file ----------

async function importModel(file) {
  if (!file) return;
  if (file.size === 0) return note(`“${file.name}” is empty: not a model file.`, 'error');
  let json;
  try { json = await file.text(); } catch (e) { return note(`Could not read “${file.name}”: ${e.message}`, 'error'); }
  if (S.running) post({ type: 'pause' });
  saveBeforeReplace();
  if (!post({ type: 'import', json })) return note('The training engine is not ready yet.', 'error');
  dropOffer();
  S.importing = true;
  S.importNote = note(`Importing “${file.name}” …`);   // replaced by the outcome
}

// ---------- commands ----------

/** Send the form's settings as 'configure' when they differ from what the worker has. */
function applySettings({ pauseFirst = false }) {
  const { ok, config: form } = validateForm();
  if (!ok || !S.ready || !S.dataSent) return false;
  const config = configToSend(form);
  writeHash(config);
  if (sameConfig(config, S.sentConfig)) return false;
  if (S.running && pauseFirst) post({ type: 'pause' });
  saveBeforeReplace();
  post({ type: 'configure', config });
  S.sentConfig = config;
  return true;
}

function onSettingsChange() {
  const { ok } = validateForm();
  if (!ok || S.running) return;
  const hadSteps = S.step > 0;
  if (applySettings({}) && hadSteps) note('Settings changed: a fresh model starts at step 0.');
}

function onStart() {
  if (!requireValidForm()) return;
  applySettings({});                                // a pending edit takes effect before training
  dropOffer();
  if (post({ type: 'start' })) { S.running = true; syncTestState(); scheduleRender(); }
}

function onPause() {
  if (S.running) post({ type: 'pause' });            // Start (labelled Continue) resumes
}

function onStep() {
  if (!requireValidForm()) return;
  applySettings({});
  dropOffer();
  post({ type: 'step' });
}

function onReset() {
  if (S.running) post({ type: 'pause' });
  saveBeforeReplace();
  post({ type: 'reset' });
}

function onSample() {
  const count = parseField({ kind: 'int', min: 1, max: 1000, error: 'must be a whole number from 1 to 1,000' }, $('sample-count').value);
  const seed = parseField(SETTINGS.seed, $('sample-seed').value);
  const problem = count.error ? `Count: ${count.error}` : seed.error ? `Seed: ${seed.error}` : '';
  $('sample-error').textContent = problem;
  if (problem) return;
  if (post({ type: 'sample', count: count.value, seed: seed.value })) $('sample-summary').textContent = 'sampling …';
}

/** Names as text only; the "new" / "in training set" badge is CSS on data-known. */
function showSamples(names, known) {
  const list = $('samples');
  list.replaceChildren();
  let fresh = 0;
  names.forEach((name, i) => {
    const li = document.createElement('li');
    const isKnown = !!known[i];
    li.textContent = String(name);
    li.dataset.known = isKnown ? '1' : '0';
    li.title = isKnown ? 'appears in the training words' : 'new: not in the training words';
    if (!isKnown) fresh++;
    list.append(li);
  });
  const pct = names.length ? Math.round((100 * fresh) / names.length) : 0;
  $('sample-summary').textContent = `${fresh} of ${names.length} names are new (${pct}%); the others appear in the training set.`;
}

/** Forget the curve, the readouts and the samples: the worker has a new model at `step`. */
function freshModel(steps, step = 0) {
  runs.end();                                       // a run stopped half-way joins the table before its curve goes
  Object.assign(S, { step, steps, running: false, firstLoss: null, lastLoss: null,
    devPoints: 0, lastDev: null, lr: null, sps: 0, rateWindow: [] });
  chart.reset(steps);
  for (const id of ['loss-train', 'loss-val', 'loss-test']) $(id).textContent = '—';
  $('losses-at').textContent = '';
  $('samples').replaceChildren();                   // they came from the old model
  $('sample-summary').textContent = '';
  scheduleRender();
}

// ---------- rendering: DOM text at most once per animation frame ----------

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(render);
}

function render() {
  renderQueued = false;
  const live = S.ready && !!S.dataset;
  const finished = S.step >= S.steps;
  $('step-count').textContent = fmtInt(S.step);
  $('step-total').textContent = fmtInt(S.steps);
  $('progress').value = S.steps ? Math.min(1, S.step / S.steps) : 0;
  $('speed').textContent = S.running && S.sps > 0 ? `${fmtInt(Math.round(S.sps))} steps/s` : '';
  $('eta').textContent = S.running && S.sps > 0 ? `ETA ${fmtDuration((S.steps - S.step) / S.sps)}` : '';
  $('batch-loss').textContent = S.lastLoss === null ? '—' : fmtLoss(S.lastLoss);
  const lr = Number.isFinite(S.lr) ? S.lr : validateForm().config.lr;   // the worker's (the last step's), else the form's
  $('lr').textContent = Number.isFinite(lr) ? String(clean(lr)) : '—';
  $('dev-loss').textContent = S.lastDev === null ? '—' : fmtLoss(S.lastDev);
  $('params').textContent = S.params === null ? '—' : fmtInt(S.params);

  $('start').disabled = !live || S.running || finished;
  $('start').textContent = S.running ? 'Training…' : S.step > 0 && !finished ? 'Continue' : 'Start';
  $('pause').disabled = !live || !S.running;
  $('step').disabled = !live || S.running || finished;
  for (const id of ['reset', 'evaluate', 'sample', 'export']) $(id).disabled = !live;
  $('model-import').disabled = !S.ready;
  $('resume-go').disabled = !live || S.resumeBusy;
  $('resume-discard').disabled = S.resumeBusy;
  for (const b of $('presets').querySelectorAll('button')) b.disabled = !live;
  $('settings-fields').disabled = S.running;
  const hint = $('settings-hint');
  hint.textContent = S.running
    ? 'Settings are locked while training runs; pause to change them (that starts a fresh model).'
    : finished && S.step > 0
      ? 'Run finished. Reset to train again, or change a setting (fresh model).'
      : 'Changing a setting while paused or idle builds a fresh model (step 0).';
}

// ---------- wiring ----------

function wire() {
  $('start').addEventListener('click', onStart);
  $('pause').addEventListener('click', onPause);
  $('step').addEventListener('click', onStep);
  $('reset').addEventListener('click', onReset);
  $('evaluate').addEventListener('click', () => post({ type: 'evaluate' }));
  $('sample').addEventListener('click', onSample);
  $('export').addEventListener('click', () => post({ type: 'export' }));
  $('resume-go').addEventListener('click', onResume);
  $('resume-discard').addEventListener('click', onDiscard);
  setInterval(() => requestSave(false), SAVE_EVERY_MS);   // while training, or after Step clicks: only when the step changed

  const form = $('settings');
  form.addEventListener('input', () => validateForm());
  form.addEventListener('change', e => {
    if (e.target.type === 'checkbox') delete S.linkErrors[e.target.id.slice(4)];   // toggling fixes a bad bn= from a link
    onSettingsChange();
  });
  form.addEventListener('submit', e => { e.preventDefault(); onSettingsChange(); });

  $('wordlist-file').addEventListener('change', e => { loadWordFile(e.target.files[0]); e.target.value = ''; });
  $('model-import').addEventListener('change', e => { importModel(e.target.files[0]); e.target.value = ''; });

  // Drop a word list (or a model .json) anywhere on the panel.
  const panel = $('live');
  const hasFiles = e => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  for (const type of ['dragenter', 'dragover']) {
    panel.addEventListener(type, e => { if (hasFiles(e)) { e.preventDefault(); panel.classList.add('dragging'); } });
  }
  panel.addEventListener('dragleave', e => { if (!panel.contains(e.relatedTarget)) panel.classList.remove('dragging'); });
  panel.addEventListener('drop', e => {
    e.preventDefault();
    panel.classList.remove('dragging');
    const file = e.dataTransfer.files[0];
    if (file) routeFile(file);
  });
  // A file dropped elsewhere would make the browser navigate away from the page.
  window.addEventListener('dragover', e => { if (hasFiles(e)) e.preventDefault(); });
  window.addEventListener('drop', e => { if (hasFiles(e)) e.preventDefault(); });
  window.addEventListener('hashchange', onHashChange);
}

function main() {
  chart = new LossChart($('chart'));
  Object.defineProperty(testState, 'keptRuns', { get: () => chart.kept.length });   // test hook: earlier runs on the chart
  views = new DiagnosticViews({
    act: $('view-act'), grad: $('view-grad'), sat: $('view-sat'), ratio: $('view-ratio'),
    actLegend: $('legend-act'), gradLegend: $('legend-grad'), ratioLegend: $('legend-ratio'),
    satLayer: $('sat-layer'), satNote: $('sat-note'),
  }, layer => post({ type: 'inspect', layer }));
  runs = new RunLog({ body: $('runs-body'), table: $('runs-table-box'), empty: $('runs-empty'), csv: $('runs-csv'), json: $('runs-json'), clear: $('runs-clear') },
    chart, name => (S.presets.find(p => p.name === name) || {}).title);
  renderPresets($('presets'), S.presets, null, onPreset);
  renderLayers($('net-layers'), null);
  window.teagradLosses = () => chart.losses();       // test hook: every batch loss exactly as the worker sent it (float32)
  if (BENCH) {
    const ask = (type, msg) => new Promise((resolve, reject) => {
      benchWaiting[type] = { resolve, reject };
      if (!post(msg)) settleBench(type, undefined, 'the training engine is not ready');
    });
    window.teagradBaseline = ms => ask('baseline', { type: 'baseline', ms });     // the naive-kernel yardstick, in this worker
    window.teagradProfile = reps => ask('profile', { type: 'profile', reps });    // a step's time op by op, in this worker
    window.teagradKernels = (cases, seed) => ask('kernels', { type: 'kernels', cases, seed });   // SIMD products vs float[], bit for bit
  }
  wire();
  chart.reset(S.steps);
  setStatus('Starting the training engine …');
  render();
  startWorker(pickEngine());
  loadDefaultWords();
  S.store = new RunStore();
  offerStoredRun();
}

main();
