// The current run kept across reloads (IndexedDB, see store.js), and the offer to resume it. A record
// is the worker's 'snapshot' (the model file without history) plus what the page already has: the
// run's curve and dev points, its settings, the word list's name and checksum, its training time.
import { $ } from './dom.js';
import { fmtDuration, fmtInt, sentence } from './format.js';
import { note } from './notices.js';
import { RunStore } from './store.js';
import { NAMES, checksumOf, fetchNames } from './wordlist.js';

export const SAVE_EVERY_MS = 5000;

export class Keeper {
  /**
   * run: the Run being kept; table: the RunLog (its clock); changed(): the panel should redraw;
   * resumeRun(rec, text, checksum): hands a stored run back to the panel to load into the worker.
   */
  constructor(run, table, { changed, resumeRun }) {
    this.run = run;
    this.table = table;
    this.changed = changed;
    this.resumeRun = resumeRun;
    this.store = new RunStore();
    this.off = false;                // storage failed to open: nothing more is tried
    this.noted = false;
    this.snapshots = [];             // the words each asked-for snapshot goes with
    this.requestedStep = -1;
    this.wordsStored = null;         // checksum of the dropped list in the store
    this.resumable = null;           // the stored run on offer
    this.resuming = null;            // the stored run being loaded into the worker
    this.busy = false;
    this.saves = [];                 // for tests and bench/: {step, syncMs, putMs, bytes} per save
    run.subscribe(m => { if (m.type === 'snapshot') this.saveSnapshot(m); else if (m.type === 'error' && m.during === 'snapshot') this.snapshots.shift(); });
  }

  /** Storage does not work here: one line, once; training goes on. */
  failed(e) {
    if (this.noted) return;
    this.noted = true;
    note(`Can't keep this run across reloads: ${sentence(String(e && e.message || e))} Training is not affected.`, 'warn');
  }

  /** Ask the worker for a snapshot when the run has steps not yet asked for (force: a new model at the same step). */
  requestSave(force) {
    const run = this.run;
    if (this.off || this.resumable || this.resuming || !run.ready || !(run.step > 0)) return;
    if (!force && run.step === this.requestedStep) return;
    // The words as they are now: a new word list may be on its way by the time the answer comes.
    if (!run.snapshot()) return;
    this.snapshots.push(run.words || {});
    this.requestedStep = run.step;
  }

  /** The worker's snapshot plus the page's curve, into IndexedDB. The main thread's part is timed. */
  async saveSnapshot(m) {
    const words = this.snapshots.shift() || this.run.words || {};
    if (this.off || !(m.step > 0) || typeof m.json !== 'string') return;
    const t0 = performance.now();
    const dev = this.run.curve.dev;
    const record = {
      version: 1, json: m.json, step: m.step, config: this.run.config ? { ...this.run.config } : null,
      losses: this.run.curve.losses().slice(0, m.step),      // a copy: a view would clone the curve's whole buffer
      devSteps: dev.map(d => d.step), devLosses: dev.map(d => d.loss),
      dataset: words.source, checksum: null, elapsedMs: Math.round(this.table.elapsedMs()), savedAt: Date.now(),
    };
    const sync = performance.now() - t0;
    try {
      record.checksum = await words.checksum;
      const keep = words.source !== NAMES && this.wordsStored !== record.checksum && typeof words.text === 'string'
        ? { checksum: record.checksum, text: words.text } : null;
      await this.store.save(record, keep);
      if (keep) this.wordsStored = keep.checksum;
      const r2 = x => Math.round(x * 100) / 100;     // main-thread ms: building the record, and put()'s clone
      this.saves.push({ step: m.step, syncMs: r2(sync), putMs: r2(this.store.lastPutMs), bytes: m.json.length + 4 * record.losses.length });
    } catch (e) {
      this.failed(e);
    }
  }

  /** After a reload (or a restarted worker): offer the stored run, if it trained at least one step. */
  async offer() {
    if (this.off) return;
    try {
      const rec = await this.store.load();
      if (!rec || !(rec.step > 0) || typeof rec.json !== 'string') return;
      this.resumable = rec;
      const total = rec.config && rec.config.steps ? ` of ${fmtInt(rec.config.steps)}` : '';
      const time = rec.elapsedMs > 0 ? `, ${fmtDuration(rec.elapsedMs / 1000)} of training` : '';
      $('resume-text').textContent = `Kept from before: a run at step ${fmtInt(rec.step)}${total} on ${rec.dataset || 'its word list'}${time}.`;
      $('resume-go').textContent = `Resume run at step ${fmtInt(rec.step)}`;
      $('resume').hidden = false;
      this.changed();
    } catch (e) {
      this.off = true;
      this.failed(e);
    }
  }

  hideOffer() {
    this.resumable = null;
    $('resume').hidden = true;
  }

  /** A new run begins while a stored one is offered: the stored one will be replaced. */
  dropOffer() {
    if (!this.resumable) return;
    note(`A new run started: the kept run at step ${fmtInt(this.resumable.step)} will be replaced by it.`);
    this.hideOffer();
  }

  /** Resume: the same word list (checked), the stored model, the stored curve; Continue trains on. */
  async resume() {
    const rec = this.resumable;
    if (!rec || this.busy) return;
    this.busy = true;
    this.changed();
    try {
      let text;
      if (rec.dataset === NAMES) {
        text = await fetchNames().catch(e => { throw new Error(`${NAMES} could not be loaded (${e.message})`); });
      } else {
        const w = await this.store.loadWords();
        if (!w || typeof w.text !== 'string') throw new Error(`the word list “${rec.dataset}” was not kept with it`);
        text = w.text;
      }
      const sum = await checksumOf(text);
      if (rec.checksum && sum !== rec.checksum) {
        throw new Error(`${rec.dataset} is not the word list the run trained on (its checksum differs), so it would not be the same run`);
      }
      if (!this.run.ready) throw new Error('the training engine is not ready yet');
      this.hideOffer();
      this.resuming = rec;
      if (rec.dataset !== NAMES) this.wordsStored = sum;
      this.resumeRun(rec, text, sum);
    } catch (e) {
      note(`Can't resume the kept run: ${sentence(String(e && e.message || e))}`, 'error');
    } finally {
      this.busy = false;
      this.changed();
    }
  }

  async discard() {
    const rec = this.resumable;
    this.hideOffer();
    if (!rec) return;
    try {
      await this.store.discard();
      note(`The kept run at step ${fmtInt(rec.step)} was discarded.`);
    } catch (e) {
      this.failed(e);
    }
  }

  /** The model message of a resumed run arrived: its curve on the chart and in the worker. Returns the record, or null. */
  resumed(m) {
    const rec = this.resuming && m.step === this.resuming.step ? this.resuming : null;
    if (!rec) return null;
    this.resuming = null;
    const losses = rec.losses instanceof Float32Array ? rec.losses : new Float32Array(rec.losses || []);
    const devSteps = Array.isArray(rec.devSteps) ? rec.devSteps : [], devLosses = Array.isArray(rec.devLosses) ? rec.devLosses : [];
    this.run.restoreCurve(0, losses, devSteps, devLosses);
    this.run.sendHistory(losses, devSteps, devLosses);
    this.requestedStep = rec.step;
    return rec;
  }

  /** The worker died: what was asked of it is gone. */
  lost() {
    this.snapshots = [];
    this.requestedStep = -1;
    this.resuming = null;
  }
}
