// The live panel: the learner's commands (buttons, the form, files, links) turned into the run's
// commands, and the run's messages turned into what the panel shows (readouts, notices, the form, the
// chart, the views, the runs table). All arithmetic happens in the worker; this file only decides what
// to send and what to show.
import { $, put, download } from './dom.js';
import { clean, fmtDuration, fmtInt, fmtLoss, sentence } from './format.js';
import { note, setStatus } from './notices.js';
import { onPanelFrame } from './frames.js';
import { SettingsLink } from './link.js';
import { parseField } from './settings.js';
import { renderPresets, markPreset, renderLayers } from './network.js';
import { MAX_WORDLIST_BYTES, NAMES, checksumOf, fetchNames, readWithProgress, showPreview, wordListProblem } from './wordlist.js';

/** Messages (and their errors) that a section of their own answers and shows (batchnorm/). */
const OWN_SECTION = ['batchnorm', 'evalmodes', 'coupling', 'check', 'replay'];

export class Panel {
  /** parts: {run, chart, views, table, form, keeper}: each made by main.js. */
  constructor(parts) {
    Object.assign(this, parts);
    this.link = new SettingsLink(this.form);
    this.presets = [];
    this.presetPending = null;       // a preset asked for: its model fills the form and the link
    this.importing = false;
    this.importNote = null;
    this.pendingWords = null;        // {text, source} until the worker is ready
    this.datasetStatus = '';
    this.keptSource = '';            // what a refused list falls back to
    this.source = '';                // the word list being loaded or loaded
    this.bench = { firstStepAt: undefined, devMs: undefined, waiting: {} };
    this.pending = new Map();         // what the worker is busy with ('data', 'import') → what the panel says meanwhile
    this.render = this.render.bind(this);
    this.run.subscribe(m => this.receive(m));
  }

  scheduleRender() { onPanelFrame(this.render); }

  receive(m) {
    const handler = m && HANDLERS[m.type];
    if (handler) handler.call(this, m, this.run);
    else if (m && !['ready', 'snapshot', ...OWN_SECTION].includes(m.type)) console.warn('teagrad: unknown message from the worker', m);
  }

  // ---------- word lists ----------

  /** fetched: data/names.txt's text as fetchNames() gives it, perhaps asked for before the panel existed (boot.js). */
  async loadDefaultWords(fetched = fetchNames()) {
    setStatus(`Loading the word list ${NAMES} …`);
    try {
      const text = await fetched;
      if (this.pendingWords || this.run.wordsSent) return;     // the user's own list came first
      this.queueWords(text, NAMES);
    } catch (e) {
      if (this.pendingWords || this.run.wordsSent) return;     // the user dropped a list meanwhile
      setStatus(`No word list yet: ${NAMES} could not be loaded (${e.message}). Drop a .txt word list ` +
        '(one word per line) on this panel or choose one below, or put names.txt into the data/ folder ' +
        '(the teagrad command-line tool downloads it) and reload.', true);
    }
  }

  queueWords(text, source) {
    this.pendingWords = { text, source };
    this.flushWords();
  }

  /** Send the queued word list once the worker is ready; then our settings (no-op if unchanged). */
  flushWords() {
    const run = this.run;
    if (!run.ready || !this.pendingWords) return;
    const { text, source } = this.pendingWords;
    this.pendingWords = null;
    run.pause();
    this.keeper.requestSave(false);                    // the old words go with the old run
    this.source = source;
    // A worker without words yet takes the settings first and keeps them: it builds the data set and the
    // model once, with them, instead of once with its defaults and again with ours.
    if (!run.wordsSent) this.applySettings({ beforeWords: true });
    run.useWords(text, source, checksumOf(text));
    this.busyWith('data', `Reading ${source} …`);
    const mb = text.length / 1048576;
    setStatus(mb >= 1
      ? `The training engine is splitting ${source} (${mb.toFixed(0)} MB) into words and examples; large lists take a while …`
      : `Reading ${source} …`);
    this.applySettings({});
    this.sendLinkPreset();
  }

  async loadWordFile(file) {
    if (!file) return;
    if (file.size === 0) return note(`“${file.name}” is empty: a word list needs one word per line.`, 'error');
    if (file.size > MAX_WORDLIST_BYTES) return note(`“${file.name}” is too large (${fmtInt(Math.round(file.size / 1048576))} MB) for a word list.`, 'error');
    const restoreStatus = () => setStatus(this.run.dataset ? this.datasetStatus : 'No data set loaded: drop a word list on this panel.', !this.run.dataset);
    let text;
    try { text = await readWithProgress(file); } catch (e) { restoreStatus(); return note(`Could not read “${file.name}”: ${e.message}`, 'error'); }
    const problem = wordListProblem(text);
    if (problem) { restoreStatus(); return note(`“${file.name}” ${problem} Nothing was changed.`, 'error'); }
    showPreview(file.name, text);
    this.queueWords(text, file.name);
  }

  /** A dropped file: a model file (.json) is imported, anything else read as a word list. */
  routeFile(file) {
    if (/\.json$/i.test(file.name)) this.importModel(file); else this.loadWordFile(file);
  }

  // ---------- model files and kept runs ----------

  async importModel(file) {
    if (!file) return;
    if (file.size === 0) return note(`“${file.name}” is empty: not a model file.`, 'error');
    let json;
    try { json = await file.text(); } catch (e) { return note(`Could not read “${file.name}”: ${e.message}`, 'error'); }
    this.run.pause();
    this.keeper.requestSave(false);
    if (!this.run.importModel(json)) return note('The training engine is not ready yet.', 'error');
    this.keeper.dropOffer();
    this.importing = true;
    this.busyWith('import', `Importing “${file.name}” …`);
    this.importNote = note(`Importing “${file.name}” …`);   // replaced by the outcome
  }

  /** A stored run goes back into the worker: its words, then its model (the keeper checked both). */
  resumeRun(rec, text, checksum) {
    const run = this.run;
    run.pause();
    this.pendingWords = null;
    this.source = rec.dataset || 'the kept word list';
    run.useWords(text, this.source, Promise.resolve(checksum));
    run.importModel(rec.json);
    this.busyWith('data', `Reading ${this.source} …`);
    this.busyWith('import', 'Resuming the kept run …');
  }

  /**
   * The worker is busy with `what` (a word list, an import): until it answers, the controls say so
   * and nothing that would replace the model can be clicked (a Reset queued behind an import would wipe it).
   */
  busyWith(what, text) {
    this.pending.set(what, text);
    this.scheduleRender();
  }

  /** A job is over; the last one brings the controls back at once, not at the panel's next frame (up to 100 ms on). */
  done(what) {
    if (!this.pending.delete(what)) return;
    if (this.pending.size === 0) this.render();
    else this.scheduleRender();
  }

  // ---------- commands ----------

  /** Send the form's settings as 'configure' when they differ from what the worker has. */
  applySettings({ pauseFirst = false, beforeWords = false }) {
    const run = this.run;
    const { ok, config: form } = this.form.validate();
    if (!ok || !run.ready || !(run.wordsSent || beforeWords)) return false;
    const config = this.form.toSend(form);
    this.link.write(config);
    if (this.form.same(config, run.sentConfig)) return false;
    if (pauseFirst) run.pause();
    this.keeper.requestSave(false);
    run.configure(config);
    return true;
  }

  onSettingsChange() {
    const { ok } = this.form.validate();
    if (!ok || this.run.running) return;
    const hadSteps = this.run.step > 0;
    if (this.applySettings({}) && hadSteps) note('Settings changed: a fresh model starts at step 0.');
  }

  onStart() {
    if (!this.form.requireValid()) return;
    this.applySettings({});                           // a pending edit takes effect before training
    this.keeper.dropOffer();
    this.run.start();
    this.scheduleRender();
  }

  onStep() {
    if (!this.form.requireValid()) return;
    this.applySettings({});
    this.keeper.dropOffer();
    this.run.stepOnce();
  }

  onReset() {
    if (this.pending.size) return;
    this.run.pause();
    this.keeper.requestSave(false);
    this.run.reset();
  }

  onSample() {
    const count = parseField({ kind: 'int', min: 1, max: 1000, error: 'must be a whole number from 1 to 1,000' }, $('sample-count').value);
    const seed = parseField(this.form.settings.seed, $('sample-seed').value);
    const problem = count.error ? `Count: ${count.error}` : seed.error ? `Seed: ${seed.error}` : '';
    $('sample-error').textContent = problem;
    if (problem) return;
    if (this.run.sample(count.value, seed.value)) $('sample-summary').textContent = 'sampling …';
  }

  /** One click: the worker replaces network and init by the preset (training settings are kept). */
  onPreset(name) {
    if (!this.run.ready || !this.run.wordsSent) return;
    this.run.pause();
    this.keeper.requestSave(false);
    if (this.run.preset(name)) this.presetPending = name;
  }

  /** A preset named in the link: the worker builds it once it has the data. */
  sendLinkPreset() {
    if (!this.link.preset || !this.run.ready || !this.run.wordsSent) return;
    this.onPreset(this.link.takePreset());
  }

  /** The form is built: the link's settings go into it (at load, before the first model). */
  applyLinkSettings() {
    if (!this.link.load(this.presets)) return;
    const { ok, config } = this.form.validate();
    if (ok) this.link.write(config);
    else note('Some settings in the link are not valid; see the highlighted fields.', 'warn');
  }

  onHashChange() {
    if (!SettingsLink.present()) { this.link.restore(); return; }   // an in-page anchor: put the settings back afterwards
    if (!this.link.load(this.presets)) return;
    const { ok, config } = this.form.validate();
    if (!ok) { note('The settings in the link are not valid; see the highlighted fields.', 'warn'); return; }
    this.link.write(config);
    if (this.applySettings({ pauseFirst: true })) note('Settings from the link applied: fresh model.');
    this.sendLinkPreset();
  }

  /** The form and the link show the worker's model. */
  showConfig(config) {
    this.form.fill(config);
    if (this.form.validate().ok) this.link.write(config);
  }

  /** Names as text only; the "new" / "in training set" badge is CSS on data-known. */
  showSamples(names, known) {
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

  /**
   * The learning rate shown before the worker has reported one: the settings' starting rate at step 0
   * (the decay is the worker's rule, Config.learningRate, and applies later), else unknown.
   */
  startingLr() {
    if (this.run.step > 0) return null;
    const c = this.run.config || this.form.validate().config;
    return Number.isFinite(c.lr) ? c.lr : null;
  }

  /** The worker died and a new one is starting: words again, and the kept run on offer. */
  engineCrashed(message) {
    const run = this.run;
    note(`The training engine failed (${message}) and was restarted.${this.keeper.off ? '' : ' The run kept so far can be resumed.'}`, 'error');
    this.table.stopClock();
    run.lost();
    this.keeper.lost();
    this.importing = false;
    this.pending.clear();
    if (run.words) this.pendingWords = { text: run.words.text, source: run.words.source };
    this.keeper.newModel(run.previousId).then(() => this.keeper.offer());
    this.scheduleRender();
  }

  engineFailed(message) {
    $('engine').textContent = 'none';
    note(`The training engine could not start: ${message}`, 'error');
    setStatus('The live panel cannot run in this browser; the chapter still reads fine.', true);
  }

  /** bench/: answers (or errors) for window.teagradBaseline / teagradProfile / teagradKernels. */
  settleBench(type, value, error) {
    const p = this.bench.waiting[type];
    delete this.bench.waiting[type];
    if (!p) return;
    if (error === undefined) p.resolve(value); else p.reject(new Error(error));
  }

  askBench(type, msg) {
    return new Promise((resolve, reject) => {
      this.bench.waiting[type] = { resolve, reject };
      if (!this.run.send(msg)) this.settleBench(type, undefined, 'the training engine is not ready');
    });
  }

  // ---------- rendering: DOM text in the panel's frames, and only what changed ----------

  render() {
    const run = this.run, keeper = this.keeper;
    const busy = this.pending.size > 0;
    const live = run.ready && !!run.dataset && !busy;
    const finished = run.finished;
    const text = (id, value) => put($(id), 'textContent', value);
    text('step-count', fmtInt(run.step));
    text('step-total', fmtInt(run.steps));
    put($('progress'), 'value', run.steps ? Math.round(1000 * Math.min(1, run.step / run.steps)) / 1000 : 0);   // a finer step is under a pixel
    text('speed', run.running && run.sps > 0 ? `${fmtInt(Math.round(run.sps))} steps/s` : '');
    text('eta', run.running && run.sps > 0 ? `ETA ${fmtDuration((run.steps - run.step) / run.sps)}` : '');
    text('batch-loss', run.lastLoss === null ? '—' : fmtLoss(run.lastLoss));
    const lr = Number.isFinite(run.lr) ? run.lr : this.startingLr();   // the last step's, as progress and model messages report it
    text('lr', Number.isFinite(lr) ? String(clean(lr)) : '—');
    text('dev-loss', run.lastDev === null ? '—' : fmtLoss(run.lastDev));
    text('params', run.params === null ? '—' : fmtInt(run.params));

    const disabled = (id, value) => put($(id), 'disabled', value);
    disabled('start', !live || run.running || finished);
    text('start', run.running ? 'Training…' : run.step > 0 && !finished ? 'Continue' : 'Start');
    disabled('pause', !live || !run.running);
    disabled('step', !live || run.running || finished);
    for (const id of ['reset', 'evaluate', 'sample', 'export']) disabled(id, !live);
    disabled('model-import', !run.ready || busy);
    disabled('wordlist-file', busy);
    put($('busy'), 'hidden', !busy);
    text('busy', busy ? `${[...this.pending.values()].join(' ')} The controls come back when the training engine is done.` : '');
    disabled('resume-go', !live || keeper.busy);
    disabled('resume-discard', keeper.busy);
    for (const b of $('presets').querySelectorAll('button')) put(b, 'disabled', !live);
    disabled('settings-fields', run.running || busy);
    text('settings-hint', run.running
      ? 'Settings are locked while training runs; pause to change them (that starts a fresh model).'
      : finished && run.step > 0
        ? 'Run finished. Reset to train again, or change a setting (fresh model).'
        : 'Changing a setting while paused or idle builds a fresh model (step 0).');
  }
}

/** What the panel does with each worker message, after the run has taken it in (this: the Panel). */
const HANDLERS = {
  ready(m, run) {
    $('engine').textContent = run.engine.kind;
    $('engine-name').textContent = `(${run.engine.kind === 'wasm' ? 'WebAssembly GC' : 'JavaScript'}${run.engine.simd ? ' + SIMD' : ''})`;
    this.presets = (m.presets || []).map(p => ({ name: String(p.name), title: String(p.title || p.name), summary: String(p.summary || '') }));
    renderPresets($('presets'), this.presets, run.config && run.config.preset, name => this.onPreset(name));
    if (!this.form.built) {                            // the first ready: the form from the worker's table, then the link's settings
      this.form.build(m.settings || [], m.defaults || {}, m.rules);
      this.applyLinkSettings();
      this.chart.setTotal(Number($('cfg-steps').value) || run.steps);
    }
    this.flushWords();
  },

  dataset(m) {
    const vocab = Array.from(String(m.vocab || ''));          // code points, as the worker counts them
    const shownVocab = vocab.join('').replace(/ /g, '␣');     // a space would be invisible
    this.keptSource = this.source;
    this.datasetStatus = `${fmtInt(m.words)} words from ${this.source} · vocabulary of ${vocab.length} characters (${shownVocab}) · ` +
      `examples: train ${fmtInt(m.train)}, dev ${fmtInt(m.val)}, test ${fmtInt(m.test)}`;
    setStatus(this.datasetStatus);
    document.body.dataset.ready = '1';
    this.scheduleRender();
  },

  model(m, run) {
    const config = run.config;
    if (m.cause === 'data' || m.cause === 'import') this.done(m.cause);
    if (this.presetPending && m.cause === 'preset') {   // the preset's network: show it in the form and the link
      this.presetPending = null;
      this.showConfig(config);
    }
    this.table.end();                                  // a run stopped half-way joins the table before its curve goes
    const resumed = this.keeper.resumed(m, run.previousId);
    if (!resumed) this.keeper.newModel(run.previousId);
    if (resumed) {                                     // the stored run is back: its settings in the form and the link
      this.showConfig(config);
      const lost = (resumed.seen || 0) - resumed.step;
      const after = m.note ? sentence(m.note) : 'Continue trains on exactly as if the page had never closed.';
      note(lost > 0
        ? `Resumed at step ${fmtInt(m.step)}; the last ${fmtInt(lost)} steps were not saved. ${after}`
        : `Run resumed at step ${fmtInt(m.step)}: ${after}`, lost > 0 || m.note ? 'warn' : 'info');
    } else if (this.importing && m.cause === 'import') {
      this.importing = false;
      if (this.importNote) this.importNote.remove();
      this.showConfig(config);
      note(`Model imported: ${fmtInt(m.params)} parameters, trained for ${fmtInt(m.step)} steps.${m.note ? ` Note: ${sentence(m.note)}` : ''}`);   // note: an old file whose run draws fresh batches
    }
    this.chart.show(run.curve, run.steps);
    this.chart.setDecayStep(config.lrDecayStep || 0);
    for (const id of ['loss-train', 'loss-val', 'loss-test']) $(id).textContent = '—';
    $('losses-at').textContent = '';
    $('samples').replaceChildren();                   // they came from the old model
    $('sample-summary').textContent = '';
    renderLayers($('net-layers'), run.layers);
    markPreset($('presets'), config.preset);
    this.views.reset(run.layers);
    this.table.begin(config, m.step || 0, run.curve, run.id);
    if (resumed) this.table.restore({ startStep: 0, firstLoss: run.firstLoss, ms: resumed.elapsedMs || 0 });
    if (m.step > 0) run.evaluate();                    // an imported or resumed model: show its losses
    if (m.step > 0 && !resumed) this.keeper.requestSave(true);   // an imported model is the run now
    this.keeper.refresh();
    this.scheduleRender();
  },

  /** An imported model file's curve: the batch losses up to its step and its dev points. */
  history(m, run) {
    const n = m.losses ? m.losses.length : 0;
    this.table.restore({ startStep: Math.max(0, (m.step || 0) - n), firstLoss: n ? m.losses[0] : null });
    this.chart.invalidate();
    this.scheduleRender();
  },

  diagnostics(m) { this.views.update(m); },

  progress(m, run) {
    if (m.step > 0 && this.bench.firstStepAt === undefined) this.bench.firstStepAt = performance.now();   // for bench/
    this.table.progress(m);
    this.chart.setTotal(m.steps);
    this.chart.invalidate();
    this.scheduleRender();
  },

  dev(m) {
    if (m.ms !== undefined) (this.bench.devMs = this.bench.devMs || []).push(m.ms);   // bench/: ms per dev-split evaluation
    this.table.dev(m);
    this.chart.invalidate();
    this.scheduleRender();
  },

  baseline(m) { this.settleBench('baseline', m.stepsPerSecond); },
  profile(m) { this.settleBench('profile', m.text); },
  kernels(m) { this.settleBench('kernels', JSON.parse(m.json)); },

  losses(m) {
    $('loss-train').textContent = fmtLoss(m.train);
    $('loss-val').textContent = fmtLoss(m.val);
    $('loss-test').textContent = fmtLoss(m.test);
    $('losses-at').textContent = `at step ${fmtInt(m.step)}`;
    this.table.losses(m);
    this.chart.invalidate();
    this.scheduleRender();
  },

  done(m) {
    this.table.done(m);
    this.keeper.requestSave(false);
    note(`Finished: ${fmtInt(m.step)} steps.`);
    this.scheduleRender();
  },

  paused() {
    this.table.stopClock();
    this.keeper.requestSave(false);
    this.scheduleRender();
  },

  samples(m) { this.showSamples(m.names || [], m.known || []); },

  exported(m) {
    download(m.json, 'teagrad-model.json', 'application/json');
    note('Model exported as teagrad-model.json.');
  },

  diverged(m) {
    this.table.stopClock();
    this.keeper.requestSave(false);                    // the model as of the step before
    note(`Training diverged: ${sentence(m.message || `the loss is not a finite number at step ${fmtInt(m.step)}`)}`, 'error');
    this.scheduleRender();
  },

  error(m, run) {
    const msg = m.message || 'unknown error';
    this.presetPending = null;
    this.table.stopClock();
    if (m.during === 'configure') {
      note(`Settings refused: ${sentence(msg)}`, 'error');
    } else if (m.during === 'data') {
      this.done('data');
      note(`The word list was refused: ${sentence(msg)}${run.dataset ? ' The previous data set is still loaded.' : ''}`, 'error');
      if (!run.dataset) setStatus('No data set loaded: drop a word list on this panel.', true);
      else { this.source = this.keptSource; setStatus(this.datasetStatus); }   // not "Reading …" any more
    } else if (m.during === 'import' && this.keeper.resuming) {
      this.done('import');
      this.keeper.resuming = null;
      note(`Could not resume the stored run: ${sentence(msg)}`, 'error');
    } else if (m.during === 'import') {
      this.done('import');
      this.importing = false;
      if (this.importNote) this.importNote.remove();
      note(`Import failed: ${sentence(msg)} The current model is unchanged.`, 'error');
    } else if (m.during === 'train' || m.during === 'start') {
      note(`Training stopped: ${sentence(msg)}`, 'error');
    } else if (m.during === 'snapshot') {
      // nothing to keep (no model yet): the keeper forgets the request
    } else if (m.during === 'history') {
      note(`The resumed run's curve was not accepted by the training engine: ${sentence(msg)} A later export carries only the steps trained from now on.`, 'warn');
    } else if (OWN_SECTION.includes(m.during)) {
      // said where it was asked, beside the section's controls
    } else if (m.during === 'baseline' || m.during === 'profile' || m.during === 'kernels') {
      this.settleBench(m.during, undefined, msg);
    } else {                                           // step, evaluate, sample, reset, export, …: a run goes on
      if (m.during === 'sample') $('sample-summary').textContent = '';
      note(`${m.during ? `Error (${m.during})` : 'Error'}: ${msg}`, 'error');
    }
    this.scheduleRender();
  },
};
