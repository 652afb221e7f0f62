// The lecture's four diagnostic views, drawn from a run's `diagnostics` messages. Nothing here
// computes on the network: the worker sends histograms and ratios, this file only keeps the last message and draws it in the panel's next
// frame (onPanelFrame, frames.js), and only the views whose picture changed and that are in sight (the
// others when they come into sight). Every text that comes from the worker is set with textContent.
//
//   diagnostics {step, lr, tanh: [{layer, label, mean, std, saturated, min, max, hist: Float32Array(100),
//                gradMean, gradStd, gradMin, gradMax, gradHist: Float32Array(100)}],
//                weights: [{layer, label, shape, gradMean, gradStd, gradToData, log10UpdateToData}],
//                saturation: {layer, rows, cols, bits: Uint8Array(rows * cols)}}
import { FRAME_INK, axisLines, yAxisTitle } from './axes.js';
import { onPanelFrame, CanvasSight } from './frames.js';
import { fmtInt, formatSteps, niceStep } from './format.js';

const VIEW_COLORS = ['#1f5fbf', '#c2410c', '#1d6b3a', '#7e3fb0', '#b8860b', '#0e7490', '#be185d', '#4b5563', '#65a30d', '#9a3412'];
const VIEW_INK = { ...FRAME_INK, guide: '#6b7280' };
const VIEW_MARGIN = { left: 40, right: 10, top: 10, bottom: 24 };
const RATIO_POINTS_MAX = 1500;      // per weight; beyond that every other point is dropped
const WAITING = 'Waiting for the first step.';
const VIEWS = ['act', 'grad', 'sat', 'ratio'];

// ---------- number formats whose width does not jump (the legends use tabular figures) ----------

const FIG = '\u2007';   // a space as wide as a digit
const MINUS = '\u2212';
const fixedSigned = (x, d) => (Number.isFinite(x) ? (x < 0 ? MINUS : '+') + Math.abs(x).toFixed(d) : '—');
const fixed = (x, d, width) => (Number.isFinite(x) ? x.toFixed(d).padStart(width, FIG) : '—');
const percent = x => (Number.isFinite(x) ? (100 * x).toFixed(1).padStart(5, FIG) + '%' : '—');

/** “+1.23e−03”: exponent padded to two digits; the sign shown (signed) or a figure space for x ≥ 0. */
function sci(x, signed = true, d = 2) {
  if (!Number.isFinite(x)) return '—';
  const sign = x < 0 ? MINUS : signed ? '+' : FIG;
  if (x === 0) return sign + (0).toFixed(d) + 'e+00';
  const [m, e] = Math.abs(x).toExponential(d).split('e');
  const ex = Number(e);
  return sign + m + 'e' + (ex < 0 ? MINUS : '+') + String(Math.abs(ex)).padStart(2, '0');
}

/** An axis label: “−2e−3”, “0”, “1.5e−4”. */
function sciShort(x) {
  if (x === 0) return '0';
  const [m, e] = Math.abs(x).toExponential(1).split('e');
  const mant = m.endsWith('.0') ? m.slice(0, -2) : m;
  return (x < 0 ? MINUS : '') + mant + 'e' + e.replace('-', MINUS).replace('+', '');
}

// ---------- a crisp canvas (CSS size × devicePixelRatio, the size from its CanvasSight) ----------

function fitCanvas(canvas, sight) {
  const ctx = canvas.getContext('2d');
  const f = sight.fit(canvas, ctx);
  return f && { ctx, w: f.w, h: f.h };
}

function centreText(ctx, text, x, y) {
  ctx.fillStyle = VIEW_INK.text;
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x, y);
}

export function plotArea(w, h) {
  return { x: VIEW_MARGIN.left, y: VIEW_MARGIN.top, w: w - VIEW_MARGIN.left - VIEW_MARGIN.right, h: h - VIEW_MARGIN.top - VIEW_MARGIN.bottom };
}

/** The frame, vertical grid lines at `ticks` (x values) and their labels. */
export function drawFrame(ctx, plot, ticks, X, label, yTitle) {
  ctx.font = '10px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const right = plot.x + plot.w + VIEW_MARGIN.right;   // the canvas's edge: a label at the last tick ("200k") stays inside
  for (const t of ticks) {
    const x = Math.round(X(t)) + 0.5;
    ctx.strokeStyle = VIEW_INK.grid;
    ctx.beginPath(); ctx.moveTo(x, plot.y); ctx.lineTo(x, plot.y + plot.h); ctx.stroke();
    ctx.fillStyle = VIEW_INK.text;
    const text = label(t), half = ctx.measureText(text).width / 2;
    ctx.fillText(text, Math.min(x, right - half - 1), plot.y + plot.h + 4);
  }
  axisLines(ctx, plot);
  yAxisTitle(ctx, plot, yTitle, 11);
}

/** Overlaid histograms: each series is {color, lo, hi, hist}, a density over [lo, hi] in equal bins. */
function drawHistograms(ctx, plot, series, X) {
  let top = 0;
  for (const s of series) for (let i = 0; i < s.hist.length; i++) if (s.hist[i] > top && Number.isFinite(s.hist[i])) top = s.hist[i];
  if (!(top > 0)) return false;
  const Y = v => plot.y + plot.h - (Math.min(v, top) / top) * plot.h * 0.95;
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.x, plot.y - 1, plot.w + 1, plot.h + 2);
  ctx.clip();
  ctx.lineWidth = 1.5;
  ctx.lineJoin = 'round';
  for (const s of series) {
    const n = s.hist.length, width = (s.hi - s.lo) / n;
    ctx.strokeStyle = s.color;
    ctx.beginPath();
    if (!(width > 0)) {                       // every value the same: a spike
      const x = X(s.lo);
      ctx.moveTo(x, Y(0)); ctx.lineTo(x, Y(top));
    } else {
      for (let i = 0; i < n; i++) {
        const x = X(s.lo + (i + 0.5) * width), y = Y(Number.isFinite(s.hist[i]) ? s.hist[i] : 0);
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
    }
    ctx.stroke();
  }
  ctx.restore();
  return true;
}

// ---------- a legend as a small table, rebuilt only when its rows change ----------

class Legend {
  constructor(table, headers) {
    this.table = table;
    this.headers = headers;
    this.key = '';
    this.cells = [];
  }

  /** rows: [{color, label, values: [string]}] */
  show(rows) {
    const key = rows.map(r => r.color + '|' + r.label).join('\n');
    if (key !== this.key) {
      this.key = key;
      this.table.replaceChildren();
      this.cells = [];
      if (rows.length) {
        const head = document.createElement('tr');
        for (const h of this.headers) {
          const th = document.createElement('th');
          th.scope = 'col';
          th.textContent = h;
          head.append(th);
        }
        const thead = document.createElement('thead');
        thead.append(head);
        const body = document.createElement('tbody');
        for (const r of rows) {
          const tr = document.createElement('tr');
          const sw = document.createElement('td');
          const mark = document.createElement('span');
          mark.className = 'swatch';
          mark.style.backgroundColor = r.color;   // CSSOM, allowed by the page's style-src 'self'
          sw.append(mark, document.createTextNode(r.label));
          sw.className = 'legend-label';
          tr.append(sw);
          const cells = [];
          for (let i = 0; i < this.headers.length - 1; i++) {
            const td = document.createElement('td');
            tr.append(td);
            cells.push(td);
          }
          this.cells.push(cells);
          body.append(tr);
        }
        this.table.append(thead, body);
      }
    }
    rows.forEach((r, i) => r.values.forEach((v, j) => {
      const td = this.cells[i][j];
      if (td.textContent !== v) td.textContent = v;
    }));
  }
}

// ---------- the four views ----------

export class DiagnosticViews {
  /**
   * els: {act, grad, sat, ratio: canvases; actLegend, gradLegend, ratioLegend: tables;
   * satLayer: select; satNote: text under the picture}; onInspect(layer) asks the worker for another tanh layer.
   */
  constructor(els, onInspect) {
    this.els = els;
    this.onInspect = onInspect;
    this.layers = null;
    this.off = document.createElement('canvas');    // the saturation bits at one pixel per value
    this.legends = {
      act: new Legend(els.actLegend, ['tanh layer', 'mean', 'std', 'saturated']),
      grad: new Legend(els.gradLegend, ['gradient of', 'mean', 'std']),
      ratio: new Legend(els.ratioLegend, ['weight', 'shape', 'log10 update:data']),
    };
    this.test = (window.teagradViews = {
      messages: 0, frames: 0, step: null, ratioPoints: 0,
      views: { act: { draws: 0, data: false }, grad: { draws: 0, data: false }, sat: { draws: 0, data: false }, ratio: { draws: 0, data: false } },
      /** Canvas pixels that are neither transparent nor near-white (for tests). */
      pixels: name => {
        const c = els[name];
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) n++;
        return n;
      },
    });
    els.satLayer.addEventListener('change', () => {
      const layer = Number(els.satLayer.value);
      if (Number.isInteger(layer)) this.onInspect(layer);
    });
    this.dirty = new Set(VIEWS);       // views whose picture is not drawn yet
    this.sight = {};
    for (const name of VIEWS) {
      this.sight[name] = new CanvasSight(els[name], () => { this.dirty.add(name); this.invalidate(); }, () => this.invalidate());
    }
    window.addEventListener('resize', () => { VIEWS.forEach(n => this.dirty.add(n)); this.invalidate(); });   // devicePixelRatio
    this.reset(null);
  }

  /** A fresh model in the worker: forget everything until its step-0 diagnostics arrive. */
  reset(layers) {
    this.diag = null;
    this.lastLive = null;
    this.ratio = new Map();   // "layer:label" -> {label, shape, color, steps: [], ys: []}
    if (layers !== undefined) this.setLayers(layers);
    this.test.step = null;
    this.test.ratioPoints = 0;
    for (const v of Object.values(this.test.views)) v.data = false;
    VIEWS.forEach(n => this.dirty.add(n));
    this.invalidate();
  }

  /** The printed layer list of `model`: its Tanh entries are the choices of the saturation picture. */
  setLayers(layers) {
    this.layers = Array.isArray(layers) ? layers.map(String) : null;
    const tanh = [];
    (this.layers || []).forEach((l, i) => { if (/^tanh\b/i.test(l)) tanh.push({ layer: i, label: `Tanh ${tanh.length + 1}` }); });
    this.fillSelect(tanh);
  }

  fillSelect(choices) {
    const sel = this.els.satLayer;
    const key = choices.map(c => c.layer + ':' + c.label).join(',');
    if (sel.dataset.key === key) return;
    sel.dataset.key = key;
    sel.replaceChildren(...choices.map(c => {
      const o = document.createElement('option');
      o.value = String(c.layer);
      o.textContent = `${c.label} (layer ${c.layer})`;
      return o;
    }));
    sel.disabled = choices.length < 2;
  }

  /** The scrubber shows an earlier step (on) or the live one again (off). */
  replaying(on) {
    this.held = on;
    if (!on && this.lastLive) {
      this.diag = this.lastLive;
      this.test.step = this.lastLive.step;
      VIEWS.forEach(n => this.dirty.add(n));
      this.invalidate();
    }
  }

  /** A diagnostics message: the step just taken, or (m.replay) an earlier one for the scrubber. */
  update(m) {
    if (!m.replay) this.lastLive = m;
    if (this.held && !m.replay) {                 // the scrubber holds an earlier step on screen: only the ratio lines move on
      this.addRatios(m);
      this.dirty.add('ratio');
      this.invalidate();
      return;
    }
    this.diag = m;
    this.test.messages++;
    this.test.step = m.step;
    const tanh = Array.isArray(m.tanh) ? m.tanh : [];
    if (!this.layers) this.fillSelect(tanh.map(t => ({ layer: t.layer, label: String(t.label) })));
    if (m.saturation && Number.isInteger(m.saturation.layer)) this.els.satLayer.value = String(m.saturation.layer);
    if (!m.replay) this.addRatios(m);
    VIEWS.forEach(n => this.dirty.add(n));
    this.invalidate();
  }

  /** update:data ratios of the 2-D weights, one point per live message. */
  addRatios(m) {
    for (const w of Array.isArray(m.weights) ? m.weights : []) {
      if (!Array.isArray(w.shape) || w.shape.length !== 2 || !Number.isFinite(w.log10UpdateToData)) continue;
      const key = w.layer + ':' + w.label;
      let s = this.ratio.get(key);
      if (!s) {
        s = { label: String(w.label), shape: w.shape.join('×'), color: VIEW_COLORS[this.ratio.size % VIEW_COLORS.length], steps: [], ys: [] };
        this.ratio.set(key, s);
      }
      const last = s.steps.length - 1;
      if (last >= 0 && s.steps[last] >= m.step) { s.steps.length = s.ys.length = last; }   // a repeat (e.g. after inspect)
      s.steps.push(m.step);
      s.ys.push(w.log10UpdateToData);
      if (s.steps.length > RATIO_POINTS_MAX) {
        s.steps = s.steps.filter((_, i) => i % 2 === 0 || i === s.steps.length - 1);
        s.ys = s.ys.filter((_, i, a) => i % 2 === 0 || i === a.length - 1);
      }
    }
    this.test.ratioPoints = Math.max(0, ...[...this.ratio.values()].map(s => s.steps.length));
  }

  invalidate() { onPanelFrame(this.drawNow); }

  drawNow = () => this.draw();

  /** The legends (text, cheap when unchanged) and the changed views that are in sight. */
  draw() {
    this.test.frames++;
    const d = this.diag, tanh = d && Array.isArray(d.tanh) ? d.tanh : [];
    const paint = {
      act: () => this.drawActivations(tanh),
      grad: () => this.drawGradients(tanh),
      sat: () => this.drawSaturation(d && d.saturation, tanh),
      ratio: () => this.drawRatio(),
    };
    for (const name of VIEWS) {
      if (!this.dirty.has(name) || !this.sight[name].seen) continue;
      this.dirty.delete(name);
      this.mark(name, paint[name]());
    }
    this.showLegends(tanh);
  }

  mark(name, drewData) {
    const v = this.test.views[name];
    v.draws++;
    if (drewData) v.data = true;
  }

  drawActivations(tanh) {
    const f = fitCanvas(this.els.act, this.sight.act);
    if (!f) return false;
    const plot = plotArea(f.w, f.h);
    const X = v => plot.x + ((v + 1) / 2) * plot.w;
    drawFrame(f.ctx, plot, [-1, -0.5, 0, 0.5, 1], X, t => (t < 0 ? MINUS + Math.abs(t) : String(t)), 'density');
    if (!tanh.length) { centreText(f.ctx, WAITING, plot.x + plot.w / 2, plot.y + plot.h / 2); return false; }
    return drawHistograms(f.ctx, plot, tanh.map((t, i) => ({ color: VIEW_COLORS[i % VIEW_COLORS.length], lo: t.min, hi: t.max, hist: t.hist || [] })), X);
  }

  drawGradients(tanh) {
    const f = fitCanvas(this.els.grad, this.sight.grad);
    if (!f) return false;
    const plot = plotArea(f.w, f.h);
    let r = 0;
    for (const t of tanh) r = Math.max(r, Math.abs(t.gradMin) || 0, Math.abs(t.gradMax) || 0);
    const R = r > 0 ? r * 1.05 : 1;
    const X = v => plot.x + ((v + R) / (2 * R)) * plot.w;
    drawFrame(f.ctx, plot, r > 0 ? [-r, -r / 2, 0, r / 2, r] : [0], X, sciShort, 'density');
    if (!tanh.length) { centreText(f.ctx, WAITING, plot.x + plot.w / 2, plot.y + plot.h / 2); return false; }
    if (!(r > 0)) { centreText(f.ctx, 'No gradients yet: they appear after the first backward pass.', plot.x + plot.w / 2, plot.y + plot.h / 2); return false; }
    return drawHistograms(f.ctx, plot, tanh.map((t, i) => ({ color: VIEW_COLORS[i % VIEW_COLORS.length], lo: t.gradMin, hi: t.gradMax, hist: t.gradHist || [] })), X);
  }

  /** Batch × units, white where |t| > 0.97: the lecture's imshow(h.abs() > 0.99, cmap='gray'). */
  drawSaturation(sat, tanh) {
    const f = fitCanvas(this.els.sat, this.sight.sat);
    const note = this.els.satNote;
    if (!f) return false;
    const ok = sat && sat.rows > 0 && sat.cols > 0 && sat.bits && sat.bits.length >= sat.rows * sat.cols;
    if (!ok) {
      centreText(f.ctx, WAITING, f.w / 2, f.h / 2);
      if (note.textContent !== '') note.textContent = '';
      return false;
    }
    const { rows, cols, bits } = sat;
    const off = this.off;
    if (off.width !== cols || off.height !== rows) { off.width = cols; off.height = rows; }
    const octx = off.getContext('2d');
    const img = octx.createImageData(cols, rows);
    const px = img.data;
    let white = 0;
    for (let i = 0, n = rows * cols; i < n; i++) {
      const v = bits[i] ? 255 : 0;
      white += bits[i] ? 1 : 0;
      px[4 * i] = px[4 * i + 1] = px[4 * i + 2] = v;
      px[4 * i + 3] = 255;
    }
    octx.putImageData(img, 0, 0);
    const cell = Math.min(f.w / cols, f.h / rows);
    const w = cols * cell, h = rows * cell;
    const ctx = f.ctx;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(off, 0, 0, cols, rows, (f.w - w) / 2, (f.h - h) / 2, w, h);
    const t = tanh.find(x => x.layer === sat.layer);
    const name = t ? String(t.label) : `layer ${sat.layer}`;
    const text = `${name}: ${fmtInt(white)} of ${fmtInt(rows * cols)} values saturated (${(100 * white / (rows * cols)).toFixed(1)}%), ` +
      `${fmtInt(rows)} examples × ${fmtInt(cols)} units, step ${fmtInt(this.diag.step)}.`;
    if (note.textContent !== text) note.textContent = text;
    return true;
  }

  /** log10(update / data) per 2-D weight over the steps, with the lecture's guide at −3. */
  drawRatio() {
    const f = fitCanvas(this.els.ratio, this.sight.ratio);
    if (!f) return false;
    const ctx = f.ctx, plot = plotArea(f.w, f.h);
    const series = [...this.ratio.values()];
    let lo = -4, hi = -2, xMax = 10;
    for (const s of series) {
      for (const y of s.ys) { if (y < lo) lo = y; if (y > hi) hi = y; }
      xMax = Math.max(xMax, s.steps[s.steps.length - 1] || 0);
    }
    lo = Math.floor(lo - 0.2); hi = Math.ceil(hi + 0.2);
    const X = s => plot.x + (s / xMax) * plot.w;
    const Y = v => plot.y + plot.h - ((v - lo) / (hi - lo)) * plot.h;
    // y grid: whole powers of ten
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const every = Math.max(1, Math.ceil((hi - lo) / 6));
    for (let v = lo; v <= hi; v += every) {
      const y = Math.round(Y(v)) + 0.5;
      ctx.strokeStyle = VIEW_INK.grid;
      ctx.beginPath(); ctx.moveTo(plot.x, y); ctx.lineTo(plot.x + plot.w, y); ctx.stroke();
      ctx.fillStyle = VIEW_INK.text;
      ctx.fillText(v < 0 ? MINUS + Math.abs(v) : String(v), plot.x - 4, y);
    }
    const step = Math.max(1, niceStep(xMax / Math.max(2, Math.floor(plot.w / 70))));
    const ticks = [];
    for (let s = 0; s <= xMax + 1e-9; s += step) ticks.push(s);
    drawFrame(ctx, { ...plot }, ticks, X, formatSteps, 'log10 ratio');
    // the guide
    const gy = Math.round(Y(-3)) + 0.5;
    ctx.strokeStyle = VIEW_INK.guide;
    ctx.setLineDash([4, 3]);
    ctx.beginPath(); ctx.moveTo(plot.x, gy); ctx.lineTo(plot.x + plot.w, gy); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = VIEW_INK.guide;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';                       // under the line: the curves mostly run above it
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillText('≈ 1e-3', plot.x + plot.w - 2, gy + 2);
    if (!series.length) {
      centreText(ctx, this.diag ? 'The ratios appear after the first update.' : WAITING, plot.x + plot.w / 2, plot.y + plot.h * 0.3);
      return false;
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();
    ctx.lineWidth = 1.5;
    ctx.lineJoin = 'round';
    for (const s of series) {
      ctx.strokeStyle = s.color;
      ctx.beginPath();
      s.steps.forEach((st, i) => (i ? ctx.lineTo(X(st), Y(s.ys[i])) : ctx.moveTo(X(st), Y(s.ys[i]))));
      if (s.steps.length === 1) ctx.lineTo(X(s.steps[0]) + 2, Y(s.ys[0]));   // one point: a dash
      ctx.stroke();
    }
    ctx.restore();
    return true;
  }

  showLegends(tanh) {
    const color = i => VIEW_COLORS[i % VIEW_COLORS.length];
    this.legends.act.show(tanh.map((t, i) => ({
      color: color(i), label: `${t.label} (${t.layer})`,
      values: [fixedSigned(t.mean, 3), fixed(t.std, 3, 6), percent(t.saturated)],
    })));
    this.legends.grad.show(tanh.map((t, i) => ({
      color: color(i), label: `${t.label} (${t.layer})`,
      values: [sci(t.gradMean), sci(t.gradStd, false)],
    })));
    this.legends.ratio.show([...this.ratio.values()].map(s => ({
      color: s.color, label: s.label,
      values: [s.shape, fixedSigned(s.ys[s.ys.length - 1], 2)],
    })));
  }
}
