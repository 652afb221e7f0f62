// The coupling explorer: one example in K random training batches, in training mode (normalised with
// each batch's statistics) and in eval mode (the running statistics). The worker draws the batches and
// runs the network (message coupling, src/main/java/teagrad/web/Protocol.java); this module draws the
// example's pre-activations per unit, its probability of the true next character and its loss.
import { INK, fit, axes, clipped, dots, extent, say, inked, inkedWith, MINUS } from './plot.js';
import { drawWhenSeen } from '../frames.js';

const fmt = (x, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const SHOWN_UNITS = 60;   // the first units of the layer: enough to see the pattern, wide enough to read

export class CouplingExplorer {
  /**
   * els: {letters, next, k: inputs/select; explore, random: buttons; acts, outs: canvases; error, summary:
   * text; cells: {trainAct, evalAct, trainProb, evalProb, trainLoss, evalLoss}}; run: {send, subscribe}.
   */
  constructor(els, run) {
    this.els = els;
    this.run = run;
    this.data = null;
    this.seed = 1;
    this.test = (window.teagradCoupling = { replies: 0, last: null, error: null, inked: name => inked(els[name]),
      series: name => ({ train: inkedWith(els[name], INK.batch), eval: inkedWith(els[name], INK.running) }) });
    els.explore.addEventListener('click', () => this.explore(false));
    els.random.addEventListener('click', () => this.explore(true));
    for (const input of [els.letters, els.next]) input.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); this.explore(false); } });
    // Its first report draws the empty explorer, after the page's layout: drawing here would read the
    // canvas's size in the middle of mounting and force a layout of the whole chapter (~30 ms at start).
    new ResizeObserver(() => this.draw()).observe(els.acts);
    run.subscribe(m => this.onMessage(m));
  }

  onMessage(m) {
    if (m.type === 'ready' || m.type === 'dataset') this.enable(true);
    if (m.type === 'model') {   // a new model: the old example's picture goes, when anyone can see it (no forced layout far down the page)
      this.data = null; this.els.summary.textContent = ''; this.showCells();
      drawWhenSeen(this.els.acts, () => this.draw());
    }
    if (m.type === 'coupling') this.show(m);
    if (m.type === 'error' && m.during === 'coupling') {
      this.els.error.textContent = String(m.message);
      this.test.error = m.message;
      this.enable(true);
    }
  }

  enable(on) { this.els.explore.disabled = this.els.random.disabled = !on; }

  /** Asks the worker: the typed letters (and next character, if given), or a random training example. */
  explore(random) {
    const k = Number(this.els.k.value);
    const msg = { type: 'coupling', k, seed: this.seed++ };
    this.random = random;
    if (!random) {
      msg.letters = this.els.letters.value;
      if (this.els.next.value !== '') msg.next = this.els.next.value;
    }
    this.els.error.textContent = '';
    if (this.run.send(msg)) { this.enable(false); this.els.summary.textContent = 'drawing batches …'; }
  }

  show(m) {
    this.data = m;
    this.test.replies++;
    this.test.error = null;
    this.test.last = { context: m.context, next: m.next, k: m.k, units: m.units, batchNorm: m.batchNorm,
      trainSpread: m.train.meanSpread, evalSpread: m.eval.meanSpread, trainProbSpread: m.train.probSpread, evalProbSpread: m.eval.probSpread,
      trainLossSpread: m.train.lossSpread, evalLossSpread: m.eval.lossSpread };
    this.enable(true);
    if (this.random) {                      // the example drawn: shown in the inputs, so Explore repeats it
      this.els.letters.value = m.context.replace(/^\.+/, '');
      this.els.next.value = m.next;
    }
    this.els.summary.textContent = `“${m.context}” → “${m.next}” in ${m.k} random batches of the training split, recorded at ${m.label} (layer ${m.layer}, ` +
      `${m.units} units; the first ${Math.min(SHOWN_UNITS, m.units)} drawn).` + (m.batchNorm ? '' : ' This network has no batch norm: both modes agree.');
    this.showCells();
    this.draw();
  }

  showCells() {
    const c = this.els.cells, d = this.data;
    c.trainAct.textContent = d ? fmt(d.train.meanSpread) : '—';
    c.evalAct.textContent = d ? fmt(d.eval.meanSpread) : '—';
    c.trainProb.textContent = d ? fmt(d.train.probSpread) : '—';
    c.evalProb.textContent = d ? fmt(d.eval.probSpread) : '—';
    c.trainLoss.textContent = d ? fmt(d.train.lossSpread) : '—';
    c.evalLoss.textContent = d ? fmt(d.eval.lossSpread) : '—';
  }

  draw() {
    this.drawActivations();
    this.drawOutputs();
  }

  /** Per unit, the example's value in each of the K batches (blue, training mode) and in eval mode (orange). */
  drawActivations() {
    const f = fit(this.els.acts);
    if (!f) return;
    const d = this.data;
    if (!d) { say(f, 'Pick an example: its pre-activations in every batch appear here.'); return; }
    const n = Math.min(SHOWN_UNITS, d.units), k = d.k;
    const train = [], evals = [];
    for (let b = 0; b < k; b++) for (let j = 0; j < n; j++) { train.push(d.train.activations[b * d.units + j]); evals.push(d.eval.activations[b * d.units + j]); }
    const { X, Y, box } = axes(f, [-0.7, n - 0.3], extent([train, evals]), 'pre-activation');
    const ctx = f.ctx, w = box.w / n;
    clipped(ctx, box, () => {
      ctx.globalAlpha = 0.5;
      for (let b = 0; b < k; b++) {
        const xs = [], ys = [];
        for (let j = 0; j < n; j++) { xs.push(j - 0.15); ys.push(d.train.activations[b * d.units + j]); }
        dots(ctx, xs, ys, X, Y, INK.batch, Math.max(1, Math.min(1.8, w / 5)));
      }
      ctx.globalAlpha = 1;
      ctx.strokeStyle = INK.running;
      ctx.lineWidth = 2;
      for (let j = 0; j < n; j++) {         // eval mode: every batch gives the same value, one dash
        const y = Y(d.eval.activations[j]);
        ctx.beginPath(); ctx.moveTo(X(j + 0.15) - Math.max(1.5, w / 4), y); ctx.lineTo(X(j + 0.15) + Math.max(1.5, w / 4), y); ctx.stroke();
      }
    });
  }

  /** Two strips: p(true next character) and the loss, one dot per batch in training mode, a line for eval mode. */
  drawOutputs() {
    const f = fit(this.els.outs);
    if (!f) return;
    const d = this.data;
    if (!d) return;
    const ctx = f.ctx, half = f.h / 2;
    const strip = (top, values, evalValue, title) => {
      const [lo, hi] = extent([values, [evalValue]], 0.15);
      const box = { x: 46, y: top + 16, w: f.w - 54, h: half - 34 };
      const X = v => box.x + ((v - lo) / (hi - lo)) * box.w;
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = INK.text;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(title, box.x, top + 1);
      ctx.textAlign = 'center';
      ctx.font = '10px system-ui, sans-serif';
      for (const t of [lo, (lo + hi) / 2, hi]) ctx.fillText(t.toFixed(hi - lo < 0.01 ? 4 : 3).replace('-', MINUS), X(t), box.y + box.h + 3);
      ctx.strokeStyle = INK.grid;
      ctx.beginPath(); ctx.moveTo(box.x, box.y + box.h + 0.5); ctx.lineTo(box.x + box.w, box.y + box.h + 0.5); ctx.stroke();
      ctx.globalAlpha = 0.6;
      dots(ctx, Array.from(values), Array.from(values, (_, i) => (i * 0.618034) % 1), X, v => box.y + 3 + v * (box.h - 6), INK.batch, 2.2);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = INK.running;
      ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(X(evalValue), box.y - 2); ctx.lineTo(X(evalValue), box.y + box.h); ctx.stroke();
    };
    strip(0, d.train.prob, d.eval.prob[0], `p(“${d.next}” | “${d.context}”): training mode, one dot per batch; eval mode, the line`);
    strip(half, d.train.loss, d.eval.loss[0], 'loss −ln p');
  }
}
