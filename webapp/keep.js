// Runs kept across reloads (IndexedDB, see store.js): every run that trained a step is a record, saved
// every 5 s, when it pauses, finishes, diverges or is replaced, and when the tab is hidden or closed.
// The runs table lists them all, with the ones another tab trains as "running elsewhere"; any other one
// can be resumed, exported or deleted here. A run's words travel with it: data/names.txt is fetched
// again, a dropped list is stored while a run uses it.
import { $, download } from './dom.js';
import { fmtDuration, fmtInt, sentence } from './format.js';
import { note } from './notices.js';
import { CHUNK, RunStore } from './store.js';
import { NAMES, checksumOf, fetchNames } from './wordlist.js';

export const SAVE_EVERY_MS = 5000;

export class Keeper {
  /**
   * run: the Run this tab trains; table: the RunLog (summary and clock of the run, the list of kept
   * runs); ownership: the Ownership of runs by tabs; changed(): the panel should redraw;
   * resumeRun(rec, text, checksum): loads a stored run into the worker (its words, then its model).
   */
  constructor(run, table, ownership, { changed, resumeRun }) {
    Object.assign(this, { run, table, ownership, changed, resumeRun });
    this.store = new RunStore();
    this.off = false;                // storage failed to open: nothing more is tried
    this.noted = false;
    this.asked = [];                 // per snapshot asked for: the run id and words it goes with
    this.requestedStep = -1;
    this.saved = { id: null, steps: 0, json: null, step: 0 };   // what the store has of the current run
    this.resumable = null;           // the stored run offered at the top of the panel
    this.resuming = null;            // the stored run being loaded into the worker
    this.busy = false;
    this.saves = [];                 // for tests and bench/: {step, syncMs, putMs, bytes} per save
    this.records = [];
    this.persistAsked = false;
    run.subscribe(m => {
      if (m.type === 'snapshot') this.saveSnapshot(m);
      else if (m.type === 'error' && m.during === 'snapshot') this.asked.shift();
    });
  }

  /** Storage does not work here: one line, once; training goes on. */
  failed(e) {
    if (this.noted) return;
    this.noted = true;
    const full = /storage for this site is full/.test(String(e && e.message));
    note(`Can't keep this run across reloads: ${sentence(String(e && e.message || e))} Training is not affected${full ? '; Export model keeps it as a file' : ''}.`, 'warn');
  }

  /** The worker built a new model: a new run, owned by this tab (a resumed one keeps its id, see resumed()). */
  newModel(previousId) {
    this.saved = { id: this.run.id, steps: 0, json: null, step: 0 };
    return Promise.all([previousId && previousId !== this.run.id ? this.ownership.release(previousId) : null, this.ownership.claim(this.run.id)]);
  }

  /** Ask the worker for a snapshot when the run has steps not yet asked for (force: a new model at the same step). */
  requestSave(force) {
    const run = this.run;
    if (this.off || this.resuming || !run.ready || !(run.step > 0)) return;
    if (!force && run.step === this.requestedStep) return;
    // The run and its words as they are now: a new word list may be on its way by the time the answer comes.
    if (!run.snapshot()) return;
    this.asked.push({ id: run.id, words: run.words || {}, status: run.status });
    this.requestedStep = run.step;
  }

  /** The record of the current run, with its model file `json` at `step`; `seen`: the steps the page has. */
  record(json, step, seen, words, status) {
    const run = this.run, dev = run.curve.dev.filter(d => d.step <= seen);
    return {
      id: run.id, status, step, seen, steps: run.steps, config: run.config ? { ...run.config } : null, json,
      curveSteps: seen, devSteps: dev.map(d => d.step), devLosses: dev.map(d => d.loss),
      dataset: words.source, checksum: null, elapsedMs: Math.round(this.table.elapsedMs()),
      summary: this.table.summary(), savedAt: Date.now(),
    };
  }

  /** Curve chunks from the first one not yet complete in the store up to step `upTo` (older steps than the curve keeps: NaN). */
  chunks(upTo) {
    const curve = this.run.curve, recent = curve.losses(), out = [];
    for (let index = Math.floor(this.saved.steps / CHUNK); index * CHUNK < upTo; index++) {
      const losses = new Float32Array(CHUNK).fill(NaN), at = index * CHUNK;
      for (let i = Math.max(at, curve.from); i < Math.min(upTo, at + CHUNK); i++) losses[i - at] = recent[i - curve.from];
      out.push({ index, losses });
    }
    return out;
  }

  /** The worker's snapshot, the run's new curve chunks and its words, into IndexedDB. The main thread's part is timed. */
  async saveSnapshot(m) {
    const asked = this.asked.shift() || { id: this.run.id, words: this.run.words || {}, status: this.run.status };
    if (this.off || !(m.step > 0) || typeof m.json !== 'string' || asked.id !== this.run.id) return;
    this.saved.json = m.json;
    this.saved.step = m.step;
    await this.write(m.json, m.step, m.step, asked.words, asked.status === 'running' && !this.run.running ? this.run.status : asked.status);
  }

  async write(json, step, seen, words, status) {
    const t0 = performance.now();
    const record = this.record(json, step, seen, words, status), chunks = this.chunks(seen);
    const sync = performance.now() - t0;
    try {
      record.checksum = await words.checksum;
      const keepWords = words.source !== NAMES && typeof words.text === 'string' && !(this.storedWords && this.storedWords.checksum === record.checksum)
        ? { checksum: record.checksum, name: words.source, text: words.text } : null;
      await this.store.save(record, chunks, keepWords);
      this.saved.steps = seen;
      const r2 = x => Math.round(x * 100) / 100;     // main-thread ms: building the record, and put()'s clone
      this.saves.push({ step, syncMs: r2(sync), putMs: r2(this.store.lastPutMs), bytes: json.length + 4 * CHUNK * chunks.length });
      this.askPersistence();
      this.ownership.announce();
      this.refresh();
    } catch (e) {
      this.failed(e);
    }
  }

  /** The tab is being hidden or closed: the steps since the last snapshot go in with the last model file (the worker cannot answer in time). */
  saveNow() {
    const run = this.run, s = this.saved;
    if (this.off || !s.json || s.id !== run.id || run.step <= s.steps) return;
    this.write(s.json, s.step, run.step, run.words || {}, run.running ? 'running' : run.status);
  }

  /** Once a run is stored: ask the browser not to evict this site's storage under pressure. */
  askPersistence() {
    if (this.persistAsked || !(navigator.storage && navigator.storage.persist)) return;
    this.persistAsked = true;
    navigator.storage.persist().catch(() => {});
  }

  /** Every kept run as {id, step, status}: for the test tools (window.teagradState.savedRuns()). */
  async savedRuns() {
    const [records, elsewhere] = await Promise.all([this.store.runs(), this.ownership.elsewhere()]);
    return records.map(r => ({ id: r.id, step: r.seen || r.step, status: elsewhere.has(r.id) ? 'running elsewhere' : shownStatus(r) }));
  }

  /** The kept runs again (after a save here or in another tab): into the runs table and the offer. */
  async refresh() {
    if (this.off) return;
    try {
      const [records, elsewhere] = await Promise.all([this.store.runs(), this.ownership.elsewhere()]);
      this.records = records;
      this.table.setKept(records, elsewhere, this.run.id);
      await this.showWords();
      if (this.resumable && (elsewhere.has(this.resumable.id) || !records.some(r => r.id === this.resumable.id))) this.hideOffer();
      this.changed();
    } catch (e) {
      this.off = true;
      this.failed(e);
    }
  }

  /** Says which dropped word list is stored in this browser, and for how many kept runs; one button forgets it. */
  async showWords() {
    const lists = await this.store.wordLists();
    const w = lists[0] || null;
    this.storedWords = w;
    $('stored-words').hidden = !w;
    if (!w) return;
    const users = this.records.filter(r => r.checksum === w.checksum).length;
    $('stored-words-text').textContent = `“${w.name}” is stored in this browser for ${users === 1 ? 'a kept run' : `${fmtInt(users)} kept runs`}` +
      `${lists.length > 1 ? ` (and ${lists.length - 1} more list${lists.length > 2 ? 's' : ''})` : ''}, so that ${users === 1 ? 'it' : 'they'} can be resumed.`;
  }

  /** Forgets the stored word list shown; says which kept runs can then not be resumed. */
  async forgetWords() {
    const w = this.storedWords;
    if (!w) return;
    try {
      await this.store.forgetWords(w.checksum);
      const orphans = this.records.filter(r => r.checksum === w.checksum);
      note(`Forgot “${w.name}”.${orphans.length ? ` ${orphans.length === 1 ? 'The kept run' : `${fmtInt(orphans.length)} kept runs`} on it (${orphans.map(r => `step ${fmtInt(r.seen || r.step)}`).join(', ')}) can no longer be resumed; export or delete ${orphans.length === 1 ? 'it' : 'them'}.` : ''}`);
      this.ownership.announce();
      await this.refresh();
    } catch (e) {
      note(`Can't forget the word list: ${sentence(String(e && e.message || e))}`, 'error');
    }
  }

  /** After a reload (or a restarted worker): the kept runs, and the newest one no other tab trains offered at the top. */
  async offer() {
    await this.refresh();
    if (this.off || this.run.step > 0) return;
    const elsewhere = await this.ownership.elsewhere().catch(() => new Set());
    const rec = this.records.find(r => r.step > 0 && typeof r.json === 'string' && !elsewhere.has(r.id) && r.id !== this.run.id);
    if (!rec) return;
    this.resumable = rec;
    const total = rec.steps ? ` of ${fmtInt(rec.steps)}` : '';
    const time = rec.elapsedMs > 0 ? `, ${fmtDuration(rec.elapsedMs / 1000)} of training` : '';
    $('resume-text').textContent = `Kept from before: a run at step ${fmtInt(rec.step)}${total} on ${rec.dataset || 'its word list'}${time}.`;
    $('resume-go').textContent = `Resume run at step ${fmtInt(rec.step)}`;
    $('resume').hidden = false;
    this.changed();
  }

  hideOffer() {
    this.resumable = null;
    $('resume').hidden = true;
  }

  /** A new run begins: the offer goes (the kept run stays in the table). */
  dropOffer() { if (this.resumable) this.hideOffer(); }

  /** Resume kept run `id` (the offered one by default): its word list (checked), its model, its curve; Continue trains on. */
  async resume(id = this.resumable && this.resumable.id) {
    if (!id || this.busy) return;
    this.busy = true;
    this.changed();
    try {
      const rec = await this.store.run(id);
      if (!rec || typeof rec.json !== 'string') throw new Error('it is no longer kept');
      if (!(await this.ownership.claim(rec.id))) throw new Error('another tab is training it; close it there first');
      let text;
      if (rec.dataset === NAMES) {
        text = await fetchNames().catch(e => { throw new Error(`${NAMES} could not be loaded (${e.message})`); });
      } else {
        const w = rec.checksum ? await this.store.words(rec.checksum) : null;
        if (!w || typeof w.text !== 'string') throw new Error(`the word list “${rec.dataset}” is not kept any more`);
        text = w.text;
      }
      const sum = await checksumOf(text);
      if (rec.checksum && sum !== rec.checksum) {
        throw new Error(`${rec.dataset} is not the word list the run trained on (its checksum differs), so it would not be the same run`);
      }
      if (!this.run.ready) throw new Error('the training engine is not ready yet');
      this.requestSave(false);                       // the run trained here so far stays kept
      this.hideOffer();
      this.resuming = { rec, losses: await this.store.curve(rec.id, rec.step) };
      this.resumeRun(rec, text, sum);
    } catch (e) {
      if (id !== this.run.id) this.ownership.release(id);
      note(`Can't resume the kept run: ${sentence(String(e && e.message || e))}`, 'error');
    } finally {
      this.busy = false;
      this.changed();
    }
  }

  /** Forget kept run `id` (the offered one by default). */
  async discard(id = this.resumable && this.resumable.id) {
    if (!id) return;
    if (this.resumable && this.resumable.id === id) this.hideOffer();
    try {
      if ((await this.ownership.elsewhere()).has(id)) throw new Error('another tab is training it');
      const rec = this.records.find(r => r.id === id);
      await this.store.delete(id);
      note(`The kept run at step ${fmtInt(rec ? rec.step : 0)} was deleted.`);
      this.ownership.announce();
      await this.refresh();
    } catch (e) {
      note(`Can't delete the kept run: ${sentence(String(e && e.message || e))}`, 'error');
    }
  }

  /** A kept run's model file (as it was last saved: without its curve). */
  async exportKept(id) {
    const rec = await this.store.run(id).catch(() => null);
    if (!rec) return note('That run is no longer kept.', 'error');
    download(rec.json, `teagrad-model-step-${rec.step}.json`, 'application/json');
    note(`Kept run exported (step ${fmtInt(rec.step)}, without its curve).`);
  }

  /** The model message of a resumed run arrived: it takes the kept run's id, curve and clock. Returns the record, or null. */
  resumed(m, previousId) {
    const r = this.resuming && m.step === this.resuming.rec.step ? this.resuming : null;
    if (!r) return null;
    this.resuming = null;
    const { rec, losses } = r;
    this.run.id = rec.id;
    this.newModel(previousId);
    const devSteps = [], devLosses = [];
    (rec.devSteps || []).forEach((s, i) => { if (s <= rec.step) { devSteps.push(s); devLosses.push(rec.devLosses[i]); } });
    this.run.restoreCurve(0, losses, devSteps, devLosses);
    this.run.sendHistory(losses, devSteps, devLosses);
    this.requestedStep = rec.step;
    this.saved = { id: rec.id, steps: rec.step, json: rec.json, step: rec.step };
    return rec;
  }

  /** The worker died: what was asked of it is gone. */
  lost() {
    this.asked = [];
    this.requestedStep = -1;
    this.resuming = null;
  }
}

/** How a kept record reads in the list: a run saved while training that no tab owns any more was interrupted. */
export const shownStatus = r => (r.status === 'running' || r.status === 'idle' ? 'paused' : r.status);
