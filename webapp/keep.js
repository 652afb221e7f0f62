'use strict';
// teagrad page: the current run kept across reloads, and the offer to resume it (store.js holds IndexedDB).

// ---------- keeping the run across reloads (IndexedDB, see store.js) ----------
// The worker's 'snapshot' (the model file without history) plus what the page already has: the
// chart's batch losses and dev points, the settings, the word list's name and checksum, the clock.

const NAMES = 'data/names.txt';
const SAVE_EVERY_MS = 5000;

/** The word list's checksum: SHA-256 where crypto.subtle exists, else FNV-1a over the UTF-16 units. */
async function checksumOf(text) {
  try {
    const hex = await sha256Hex(text);
    if (hex) return 'sha256:' + hex;
  } catch { /* fall through */ }
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `fnv1a:${(h >>> 0).toString(16)}:${text.length}`;
}

/** Storage does not work here: one line, once; training goes on. */
function storeFailed(e) {
  if (S.storeNoted) return;
  S.storeNoted = true;
  note(`Can't keep this run across reloads: ${sentence(String(e && e.message || e))} Training is not affected.`, 'warn');
}

/** Ask the worker for a snapshot when the run has steps not yet asked for (force: a new model at the same step). */
function requestSave(force) {
  if (S.storeOff || !S.store || S.resumable || S.resuming || !S.ready || !(S.step > 0)) return;
  if (!force && S.step === S.requestedStep) return;
  // The words as they are now: a new word list may be on its way by the time the answer comes.
  if (!post({ type: 'snapshot' })) return;
  S.snapshots.push({ source: S.dataSource, text: S.dataText, checksum: S.dataChecksum });
  S.requestedStep = S.step;
}

/** Before a model is replaced (settings, preset, reset, data, import): keep its last steps first. */
function saveBeforeReplace() { requestSave(false); }

/** The worker's snapshot plus the page's curve, into IndexedDB. The main thread's part is timed. */
async function saveSnapshot(m) {
  const words = S.snapshots.shift() || { source: S.dataSource, text: S.dataText, checksum: S.dataChecksum };
  if (S.storeOff || !S.store || !(m.step > 0) || typeof m.json !== 'string') return;
  const t0 = performance.now();
  const dev = chart.dev;
  const record = {
    version: 1, json: m.json, step: m.step, config: S.acceptedConfig ? { ...S.acceptedConfig } : null,
    losses: chart.losses().slice(0, m.step),      // a copy: a view would clone the chart's whole buffer
    devSteps: dev.map(d => d.step), devLosses: dev.map(d => d.loss),
    dataset: words.source, checksum: null, elapsedMs: Math.round(runs.elapsedMs()), savedAt: Date.now(),
  };
  const sync = performance.now() - t0;
  try {
    record.checksum = await words.checksum;
    const keep = words.source !== NAMES && S.wordsStored !== record.checksum && typeof words.text === 'string'
      ? { checksum: record.checksum, text: words.text } : null;
    await S.store.save(record, keep);
    if (keep) S.wordsStored = keep.checksum;
    const r2 = x => Math.round(x * 100) / 100;     // main-thread ms: building the record, and put()'s clone
    (testState.saves = testState.saves || []).push({ step: m.step, syncMs: r2(sync), putMs: r2(S.store.lastPutMs), bytes: m.json.length + 4 * record.losses.length });
  } catch (e) {
    storeFailed(e);
  }
}

/** After a reload (or a restarted worker): offer the stored run, if it trained at least one step. */
async function offerStoredRun() {
  if (S.storeOff || !S.store) return;
  try {
    const rec = await S.store.load();
    if (!rec || !(rec.step > 0) || typeof rec.json !== 'string') return;
    S.resumable = rec;
    const total = rec.config && rec.config.steps ? ` of ${fmtInt(rec.config.steps)}` : '';
    const time = rec.elapsedMs > 0 ? `, ${fmtDuration(rec.elapsedMs / 1000)} of training` : '';
    $('resume-text').textContent = `Kept from before: a run at step ${fmtInt(rec.step)}${total} on ${rec.dataset || 'its word list'}${time}.`;
    $('resume-go').textContent = `Resume run at step ${fmtInt(rec.step)}`;
    $('resume').hidden = false;
    testState.resumable = rec.step;
    scheduleRender();
  } catch (e) {
    S.storeOff = true;
    storeFailed(e);
  }
}

function hideOffer() {
  S.resumable = null;
  testState.resumable = null;
  $('resume').hidden = true;
}

/** A new run begins while a stored one is offered: the stored one will be replaced. */
function dropOffer() {
  if (!S.resumable) return;
  note(`A new run started: the kept run at step ${fmtInt(S.resumable.step)} will be replaced by it.`);
  hideOffer();
}

/** Resume: the same word list (checked), the stored model, the stored curve; Continue trains on. */
async function onResume() {
  const rec = S.resumable;
  if (!rec || S.resumeBusy) return;
  S.resumeBusy = true;
  render();
  try {
    let text;
    if (rec.dataset === NAMES) {
      const r = await fetch(NAMES, { cache: 'no-cache' });
      if (!r.ok) throw new Error(`${NAMES} could not be loaded (HTTP ${r.status})`);
      text = await r.text();
    } else {
      const w = await S.store.loadWords();
      if (!w || typeof w.text !== 'string') throw new Error(`the word list “${rec.dataset}” was not kept with it`);
      text = w.text;
    }
    const sum = await checksumOf(text);
    if (rec.checksum && sum !== rec.checksum) {
      throw new Error(`${rec.dataset} is not the word list the run trained on (its checksum differs), so it would not be the same run`);
    }
    if (!S.ready) throw new Error('the training engine is not ready yet');
    hideOffer();
    if (S.running) post({ type: 'pause' });
    Object.assign(S, { dataText: text, dataChecksum: Promise.resolve(sum), dataSource: rec.dataset || 'the kept word list',
      pendingData: null, dataSent: true, awaitingData: true, resuming: rec });
    if (rec.dataset !== NAMES) S.wordsStored = sum;
    post({ type: 'data', text });                    // the run's words, then its model
    post({ type: 'import', json: rec.json });
  } catch (e) {
    note(`Can't resume the kept run: ${sentence(String(e && e.message || e))}`, 'error');
  } finally {
    S.resumeBusy = false;
    scheduleRender();
  }
}

async function onDiscard() {
  const rec = S.resumable;
  hideOffer();
  if (!rec) return;
  try {
    await S.store.discard();
    note(`The kept run at step ${fmtInt(rec.step)} was discarded.`);
  } catch (e) {
    storeFailed(e);
  }
}

/** The resumed run's curve on the chart and in the worker (whose history a later export writes). */
function restoreRun(rec) {
  const losses = rec.losses instanceof Float32Array ? rec.losses : new Float32Array(rec.losses || []);
  const devSteps = Array.isArray(rec.devSteps) ? rec.devSteps : [], devLosses = Array.isArray(rec.devLosses) ? rec.devLosses : [];
  drawCurve(0, losses, devSteps, devLosses);
  runs.restore({ startStep: 0, firstLoss: losses.length && Number.isFinite(losses[0]) ? losses[0] : null, ms: rec.elapsedMs || 0 });
  let k = losses.length;                             // the worker keeps the losses after the last gap (an import)
  while (k > 0 && Number.isFinite(losses[k - 1])) k--;
  post({ type: 'history', losses: losses.slice(k), devSteps: devSteps.slice(), devLosses: devLosses.slice() });
  S.requestedStep = rec.step;
}

/** Draws a curve that came from elsewhere (a model file, the store): losses of steps from+1.., dev points. */
function drawCurve(from, losses, devSteps, devLosses) {
  chart.append(from, losses);
  chart.dev = [];
  const n = Math.min(devSteps.length, devLosses.length);
  for (let i = 0; i < n; i++) chart.addDev(devSteps[i], devLosses[i]);
  S.devPoints = n;
  S.lastDev = n > 0 ? devLosses[n - 1] : null;
  const all = chart.losses();
  let i = 0, j = all.length - 1;
  while (i < all.length && !Number.isFinite(all[i])) i++;
  while (j >= 0 && !Number.isFinite(all[j])) j--;
  S.firstLoss = i < all.length ? all[i] : null;
  S.lastLoss = j >= 0 ? all[j] : null;
  scheduleRender();
}
