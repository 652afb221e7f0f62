// Runs compared. Every run that finishes, or is stopped and then replaced by a fresh
// model, becomes a row of the results table and a faint labelled curve on the loss chart. The table
// downloads as CSV and JSON (Blob + object URL, nothing leaves the browser). Text only, no innerHTML.
import { download } from './dom.js';
import { fmtInt, fmtLoss, fmtSeconds, round7 } from './format.js';

export class RunLog {
  /**
   * els: {body: tbody, table: its box, empty: text shown while there are no rows, csv, json, clear: buttons};
   * chart: the LossChart (keepRun / clearRuns: a finished run's curve stays on it); titleOf(presetName) gives a preset's title.
   */
  constructor(els, chart, titleOf) {
    this.els = els;
    this.chart = chart;
    this.titleOf = titleOf;
    this.rows = [];
    this.cur = null;
    this.count = 0;
    window.teagradRuns = this.rows;          // test hook: the results table as plain objects
    els.csv.addEventListener('click', () => this.download('csv'));
    els.json.addEventListener('click', () => this.download('json'));
    els.clear.addEventListener('click', () => this.clear());
    this.render();
  }

  /** The worker has a fresh model (model message) with this config, trained for `step` steps already; curve: its Curve. */
  begin(config, step, curve) {
    const c = config || {};
    this.cur = {
      config: { ...c }, curve, preset: typeof c.preset === 'string' ? c.preset : null, startStep: step, step,
      firstLoss: null, lastDev: null, devStep: null, losses: null, ms: 0, since: null, archived: false,
    };
  }

  progress(m) {
    const r = this.cur;
    if (!r) return;
    const losses = m.losses || [];
    if (r.firstLoss === null && losses.length && m.from === r.startStep) r.firstLoss = losses[0];
    r.step = m.step;
    if (m.running && r.since === null) r.since = performance.now();
    if (!m.running) this.stopClock();
  }

  dev(m) {
    if (!this.cur) return;
    this.cur.lastDev = m.loss;
    this.cur.devStep = m.step;
  }

  /** An evaluation (train/dev/test in eval mode) of the current model. */
  losses(m) {
    const r = this.cur;
    if (!r) return;
    r.losses = { step: m.step, train: m.train, val: m.val, test: m.test };
    if (r.archived) this.updateRow(r);          // e.g. Evaluate after the run finished
  }

  /** The run's training time so far, in ms (kept with the run across reloads). */
  elapsedMs() {
    const r = this.cur;
    if (!r) return 0;
    return r.ms + (r.since !== null ? performance.now() - r.since : 0);
  }

  /** A run that came back (resumed, or a model file with its curve): where it began, its first loss, its clock. */
  restore({ startStep, firstLoss, ms }) {
    const r = this.cur;
    if (!r) return;
    if (Number.isInteger(startStep)) r.startStep = startStep;
    if (firstLoss !== undefined) r.firstLoss = firstLoss;
    if (Number.isFinite(ms)) r.ms = ms;
  }

  /** Training stopped (paused, diverged, an error): the clock stops; the run may still continue. */
  stopClock() {
    const r = this.cur;
    if (r && r.since !== null) { r.ms += performance.now() - r.since; r.since = null; }
  }

  /** The run reached its last step. */
  done(m) {
    if (!this.cur) return;
    this.cur.step = m.step;
    this.archive('finished');
  }

  /** The model is about to be replaced: a run that trained here and is not in the table yet joins it as stopped. */
  end() {
    const r = this.cur;
    if (r && !r.archived && r.step > r.startStep) this.archive('stopped');
    this.cur = null;
  }

  archive(status) {
    const r = this.cur;
    this.stopClock();
    r.archived = true;
    r.status = status;
    r.n = ++this.count;
    r.row = {};
    this.rows.push(r.row);
    this.updateRow(r);
    const named = r.row.run !== 'Custom' && r.row.run !== 'Run';   // otherwise the network says more than the word
    this.chart.keepRun(r.curve, `#${r.n} ${named ? r.row.run : r.row.settings.split(', ').slice(0, 3).join(', ')}`);
  }

  /** The table's plain-object row for run r (the same object stays in window.teagradRuns). */
  updateRow(r) {
    const c = r.config, widths = Array.isArray(c.widths) ? c.widths : Number.isFinite(c.hidden) ? [c.hidden] : [];
    const ev = r.losses && r.losses.step === r.step ? r.losses : null;   // an evaluation of the final model
    Object.assign(r.row, {
      n: r.n,
      run: (r.preset && this.titleOf(r.preset)) || (r.preset === 'custom' ? 'Custom' : 'Run'),
      preset: r.preset,
      settings: shortSettings(c, widths),
      widths: widths.slice(),
      batchNorm: !!c.batchNorm,
      initGain: Number.isFinite(c.initGain) && !handScaled(c) ? round7(c.initGain) : null,
      lr: Number.isFinite(c.lr) ? round7(c.lr) : null, batchSize: c.batchSize, seed: c.seed,
      status: r.status,
      firstLoss: r.firstLoss,
      train: ev ? ev.train : null,
      dev: ev ? ev.val : r.lastDev,
      devStep: ev ? ev.step : r.devStep,
      test: ev ? ev.test : null,
      steps: r.step,
      seconds: Math.round(r.ms / 100) / 10,
    });
    this.render();
  }

  clear() {
    this.rows.length = 0;
    this.chart.clearRuns();
    this.render();
  }

  render() {
    const body = this.els.body;
    body.replaceChildren(...this.rows.map(row => {
      const tr = document.createElement('tr');
      tr.title = row.status === 'finished' ? 'finished' : 'stopped before its last step';
      const cells = [String(row.n), row.run, fmtLoss(row.firstLoss), fmtLoss(row.train),
        fmtLoss(row.dev) + (row.train === null && row.dev !== null ? '*' : ''), fmtLoss(row.test),
        fmtInt(row.steps), fmtSeconds(row.seconds)];
      cells.forEach((text, i) => {
        const td = document.createElement(i === 1 ? 'th' : 'td');
        td.textContent = text;
        if (i === 1) {                               // the run's name, then its settings and how it ended
          td.scope = 'row';
          const small = document.createElement('span');
          small.className = 'run-settings';
          small.textContent = `${row.settings}${row.status === 'stopped' ? ' · stopped' : ''}`;
          td.append(small);
        }
        tr.append(td);
      });
      return tr;
    }));
    const none = this.rows.length === 0;
    this.els.empty.hidden = !none;
    this.els.table.hidden = none;
    this.els.csv.disabled = this.els.json.disabled = this.els.clear.disabled = none;
  }

  download(kind) {
    if (!this.rows.length) return;
    if (kind === 'csv') download(toCsv(this.rows), 'teagrad-runs.csv', 'text/csv');
    else download(JSON.stringify(this.rows, null, 2) + '\n', 'teagrad-runs.json', 'application/json');
  }

}



/** The lecture's first experiments scale N(0, 1) hidden weights by hand (Config.hiddenScale): no gain is used then. */
const handScaled = c => c.hiddenScale > 0;

/** “5×100, BN, gain 5/3, lr 0.1, batch 32, seed 42”; “200, no BN, hidden N(0, 1) × 0.2, …” for a hand-scaled init. */
export function shortSettings(c, widths) {
  const same = widths.length > 1 && widths.every(w => w === widths[0]);
  const net = same ? `${widths.length}×${widths[0]}` : widths.join('-') || '?';
  const g = c.initGain;
  const num = v => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : '?');
  const init = handScaled(c) ? `hidden N(0, 1)${c.hiddenScale === 1 ? '' : ` × ${num(c.hiddenScale)}`}`
    : Number.isFinite(g) ? `gain ${Math.abs(g - 5 / 3) < 1e-6 ? '5/3' : String(Number(g.toPrecision(4)))}` : null;
  return [net, c.batchNorm ? 'BN' : 'no BN', init, `lr ${num(c.lr)}`, `batch ${num(c.batchSize)}`, `seed ${num(c.seed)}`]
    .filter(Boolean).join(', ');
}

const CSV_FIELDS = ['n', 'run', 'preset', 'status', 'settings', 'widths', 'batchNorm', 'initGain', 'lr', 'batchSize', 'seed',
  'firstLoss', 'train', 'dev', 'devStep', 'test', 'steps', 'seconds'];

export function toCsv(rows) {
  const cell = v => {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) v = v.join(' ');
    if (typeof v !== 'string') return String(v);
    const safe = /^[=+\-@\t\r]/.test(v) ? "'" + v : v;          // no formulas when opened in a spreadsheet
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [CSV_FIELDS.join(','), ...rows.map(r => CSV_FIELDS.map(k => cell(r[k])).join(','))].join('\r\n') + '\r\n';
}
