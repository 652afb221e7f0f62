// The batch-norm statistics panel: one unit's batch mean and std at every logged step against the
// running mean and std that chase them (momentum shows as lag), every unit at the newest step, and the
// dev loss four ways. The worker computes everything (messages batchnorm and evalmodes, listed in
// src/main/java/teagrad/web/Protocol.java); this module decides when to ask and draws the answers.
// It asks only while the panel is on screen, so a learner who never scrolls here costs training nothing.
import { INK, fit, axes, clipped, line, dots, extent, say, inked, inkedWith } from './plot.js';
import { fmtInt as count } from '../format.js';

const ASK_MS = 250;                 // the statistics at most four times a second
const EVAL_MIN_MS = 1500;           // the dev loss four ways: at most every 1.5 s while training …
const EVAL_SHARE = 50;              // … and at most 1/50 of the time (it takes ~1 s in the WASM worker)

const fmt = x => (Number.isFinite(x) ? x.toFixed(4) : '—');
const signed = x => (Number.isFinite(x) ? (x < 0 ? '\u2212' : '+') + Math.abs(x).toFixed(4) : '—');

export class BatchNormStatsPanel {
  /**
   * els: {section, layer: select, unit: input, biased: checkbox, mean, std, units: canvases, note, devAt,
   * dev: {running, runningBiased, calibrated, batch, biasedDiff}: cells}; run: {send(msg), subscribe(fn)}.
   */
  constructor(els, run) {
    this.els = els;
    this.run = run;
    this.visible = false;
    this.reset();
    this.test = (window.teagradBatchNorm = {
      replies: 0, evalReplies: 0, last: null, evalModes: null, error: null,
      inked: name => inked(els[name]),
      /** Pixels of the batch series (blue) and the running series (orange) in a canvas. */
      series: name => ({ batch: inkedWith(els[name], INK.batch), running: inkedWith(els[name], INK.running) }),
    });
    new IntersectionObserver(entries => {
      this.visible = entries[entries.length - 1].isIntersecting;
      if (this.visible) { this.ask(); this.askEval(); this.draw(); }
    }).observe(els.section);
    new ResizeObserver(() => this.draw()).observe(els.mean);
    els.layer.addEventListener('change', () => { this.layer = Number(els.layer.value); this.unit = 0; els.unit.value = '0'; this.ask(true); });
    els.unit.addEventListener('change', () => this.pickUnit(Number(els.unit.value)));
    els.biased.addEventListener('change', () => { this.draw(); this.showEval(); });
    els.units.addEventListener('click', e => this.clickUnits(e));
    run.subscribe(m => this.onMessage(m));
  }

  /** A new model: nothing of the old one is shown. */
  reset() {
    Object.assign(this, { data: null, evalModes: null, layer: -1, unit: 0, step: 0, running: false, unavailable: false,
      pending: false, askedAt: -Infinity, askedStep: -1, evalPending: false, evalAt: -Infinity, evalStep: -1, evalMs: 0, timer: 0 });
    this.els.note.textContent = '';
    this.draw();
    this.showEval();
  }

  onMessage(m) {
    switch (m.type) {
      case 'model':
        this.reset();
        this.step = m.step || 0;
        this.unavailable = Array.isArray(m.layers) && !m.layers.some(l => /^BatchNorm1d/.test(String(l)));
        if (this.unavailable) this.els.note.textContent = 'This network has no batch norm: turn it on in the settings to see its statistics.';
        this.draw();
        this.ask();
        this.askEval();
        break;
      case 'progress':
        if (m.step !== this.step && this.test.error) this.unavailable = false;   // e.g. "no steps logged yet" after an import: try again
        this.step = m.step;
        this.running = !!m.running;
        this.ask();
        this.askEval();
        break;
      case 'paused': case 'done': this.running = false; this.ask(); this.askEval(); break;
      case 'batchnorm': this.pending = false; this.show(m); break;
      case 'evalmodes': this.evalPending = false; this.evalModes = m; this.evalMs = m.ms; this.test.evalReplies++; this.test.evalModes = m; this.showEval(); break;
      case 'error':
        if (m.during === 'batchnorm') {            // e.g. no steps logged yet: asked again at the next step
          Object.assign(this, { pending: false, data: null, unavailable: true });
          this.els.note.textContent = String(m.message);
          this.test.error = m.message;
          this.draw();
        }
        if (m.during === 'evalmodes') { this.evalPending = false; this.els.devAt.textContent = String(m.message); }
        break;
    }
  }

  /** Asks for the statistics when the panel is seen, the step moved on and the last answer is in. */
  ask(force = false) {
    if (!this.visible || this.pending || (!force && (this.step === this.askedStep || this.unavailable))) return;
    const wait = this.askedAt + ASK_MS - performance.now();
    if (wait > 0 && !force) { this.later(wait); return; }
    if (!this.run.send({ type: 'batchnorm', layer: this.layer, unit: this.unit })) return;
    Object.assign(this, { pending: true, askedAt: performance.now(), askedStep: this.step });
  }

  askEval() {
    if (!this.visible || this.evalPending || this.step === this.evalStep) return;
    const gap = this.running ? Math.max(EVAL_MIN_MS, EVAL_SHARE * this.evalMs) : 0;
    const wait = this.evalAt + gap - performance.now();
    if (wait > 0) { this.later(wait); return; }
    if (!this.run.send({ type: 'evalmodes' })) return;
    Object.assign(this, { evalPending: true, evalAt: performance.now(), evalStep: this.step });
  }

  /** One timer for whichever request waits: training may have stopped by then. */
  later(ms) {
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = 0; this.ask(); this.askEval(); }, ms);
  }

  pickUnit(u) {
    const n = this.data ? this.data.features : 0;
    if (!Number.isInteger(u) || u < 0 || (n && u >= n)) { this.els.unit.value = String(this.unit); return; }
    this.unit = u;
    this.els.unit.value = String(u);
    this.ask(true);
  }

  clickUnits(e) {
    if (!this.data || !this.unitsX) return;
    const r = this.els.units.getBoundingClientRect();
    this.pickUnit(this.unitsX(e.clientX - r.left));
  }

  show(m) {
    this.data = m;
    this.layer = m.layer;
    this.unit = m.unit;
    this.test.replies++;
    this.test.last = { step: m.step, layer: m.layer, unit: m.unit, points: m.steps.length,
      batchMean: m.batchMean[m.batchMean.length - 1], runningMean: m.runningMean[m.runningMean.length - 1],
      runningStd: m.runningStd[m.runningStd.length - 1], runningStdBiased: m.runningStdBiased[m.runningStdBiased.length - 1] };
    this.test.error = null;
    const sel = this.els.layer, key = m.batchNorms.map(b => b.layer).join(',');
    if (sel.dataset.key !== key) {
      sel.dataset.key = key;
      sel.replaceChildren(...m.batchNorms.map(b => {
        const o = document.createElement('option');
        o.value = String(b.layer);
        o.textContent = `${b.label} (layer ${b.layer}, ${b.features} units)`;
        return o;
      }));
    }
    sel.value = String(m.layer);
    sel.disabled = m.batchNorms.length < 2;
    this.els.unit.max = String(m.features - 1);
    if (document.activeElement !== this.els.unit) this.els.unit.value = String(m.unit);
    const last = m.steps.length - 1, biased = this.els.biased.checked;
    this.els.note.textContent = `${m.label}, unit ${m.unit}: ${count(m.steps.length)} logged steps up to step ${count(m.step)}; ` +
      `momentum ${Number(m.momentum.toPrecision(7))}, so the running values average about the last ${count(Math.round(1 / m.momentum))} steps. ` +
      `Now: batch mean ${fmt(m.batchMean[last])}, running ${fmt(m.runningMean[last])}; batch std ${fmt(m.batchStd[last])}, ` +
      `running ${fmt(biased ? m.runningStdBiased[last] : m.runningStd[last])}${biased ? ' (tracked biased)' : ''}.`;
    this.draw();
  }

  /** Only while the section is in sight: the observer above draws it when it comes (at start it is far down the page). */
  draw() {
    if (!this.visible) return;
    const d = this.data, biased = this.els.biased.checked;
    this.drawSeries(this.els.mean, d, d && d.batchMean, d && d.runningMean, 'mean');
    this.drawSeries(this.els.std, d, d && d.batchStd, d && (biased ? d.runningStdBiased : d.runningStd), 'std');
    this.drawUnits();
  }

  /** One unit over the logged steps: the batch's value as dots, the running value as a line. */
  drawSeries(canvas, d, batch, running, title) {
    const f = fit(canvas);
    if (!f) return;
    if (!d) { say(f, this.els.note.textContent ? 'No statistics for this network.' : 'Scroll here while a model with batch norm trains.'); return; }
    const xs = [d.steps[0], Math.max(d.steps[d.steps.length - 1], d.steps[0] + 1)];
    const { X, Y, box } = axes(f, xs, extent([batch, running]), title);
    clipped(f.ctx, box, () => {
      dots(f.ctx, d.steps, batch, X, Y, INK.batch, d.steps.length > 150 ? 1.3 : 1.8);
      line(f.ctx, d.steps, running, X, Y, INK.running, { width: 2 });
    });
  }

  /** Every unit at the newest step: the batch mean (dot) and the running mean (dash) side by side. */
  drawUnits() {
    const f = fit(this.els.units);
    this.unitsX = null;
    if (!f) return;
    const d = this.data;
    if (!d) { say(f, ''); return; }
    const u = d.units, n = d.features, idx = Array.from({ length: n }, (_, i) => i);
    const { X, Y, box } = axes(f, [-0.5, n - 0.5], extent([u.batchMean, u.runningMean]), 'mean');
    this.unitsX = px => Math.round(((px - box.x) / box.w) * n - 0.5);
    const ctx = f.ctx;
    clipped(ctx, box, () => {
      ctx.fillStyle = '#eef2f8';                      // the chosen unit
      ctx.fillRect(X(d.unit - 0.5), box.y, Math.max(2, X(d.unit + 0.5) - X(d.unit - 0.5)), box.h);
      ctx.strokeStyle = INK.running;
      ctx.lineWidth = 2;
      const half = Math.max(1.5, box.w / n / 2.5);
      for (let j = 0; j < n; j++) {
        ctx.beginPath(); ctx.moveTo(X(j) - half, Y(u.runningMean[j])); ctx.lineTo(X(j) + half, Y(u.runningMean[j])); ctx.stroke();
      }
      dots(ctx, idx, u.batchMean, X, Y, INK.batch, Math.min(2, Math.max(1.2, box.w / n / 3)));
    });
  }

  /** The dev loss four ways; the checkbox picks which running variance the first row uses. */
  showEval() {
    const e = this.evalModes, c = this.els.dev, biased = this.els.biased.checked;
    c.running.textContent = e ? fmt(biased ? e.runningBiased : e.running) : '—';
    c.runningOther.textContent = e ? fmt(biased ? e.running : e.runningBiased) : '—';
    c.calibrated.textContent = e ? fmt(e.calibrated) : '—';
    c.batch.textContent = e ? fmt(e.batch) : '—';
    c.biasedDiff.textContent = e ? signed(e.runningBiased - e.running) : '—';
    c.runningLabel.textContent = biased ? 'running statistics, variance tracked biased (÷m)' : 'running statistics, variance unbiased (÷(m−1), PyTorch)';
    c.otherLabel.textContent = biased ? 'the same, variance unbiased (PyTorch)' : 'the same, variance tracked biased (÷m)';
    this.els.devAt.textContent = e ? `dev split, at step ${count(e.step)} (took ${Math.round(e.ms)} ms in the worker)` : 'dev split: appears when the panel is on screen';
  }
}
