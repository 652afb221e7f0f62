// The loss chart on a <canvas>: a run's batch loss per step (faint), a moving average over it and its
// dev-loss points, all as log10(loss) like the notebook plots, plus faint labelled curves of earlier
// runs. A redraw costs O(width), not O(steps): the Curve answers per-column min/max and window means.
// Drawing is lazy: in the panel's frames (onPanelFrame), only while the canvas is in sight, and not at
// all when new data would move nothing by half a pixel (a long run adds steps far faster than pixels).
import { Curve } from './curve.js';
import { onPanelFrame, CanvasSight } from './frames.js';
import { fmtInt, formatLoss, formatSteps, niceStep } from './format.js';

const CHART_COLORS = {
  raw: 'rgba(31, 95, 191, 0.22)',
  smooth: '#1f5fbf',
  dev: '#c2410c',
  grid: '#ebe8e2',
  axis: '#8a8f98',
  text: '#4a4f57',
  marker: '#9aa0a8',
  kept: 'rgba(90, 96, 108, 0.42)',
  keptText: '#7a808a',
};
const MARGIN = { left: 50, right: 18, top: 26, bottom: 34 };

/** A run's mean curve (log10 of the loss, over `window` steps) at ≤ 400 points: how an earlier run stays on the chart. */
export function faintPoints(curve, window) {
  const n = curve.n, pts = [];
  const every = Math.max(1, Math.ceil(n / 400));
  for (let b = Math.min(n, every); b > 0; b = b >= n ? 0 : Math.min(n, b + every)) {
    const m = curve.windowMean(b - window, b);
    if (Number.isFinite(m)) pts.push({ step: b, y: Math.round(m * 1e5) / 1e5 });
  }
  return pts;
}

export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.dirty = false;
    this.drawn = 0;                 // the picture on the canvas, as a hash of what it shows (see pictureKey)
    this.decayStep = 0;
    this.kept = [];                 // earlier runs: {label, pts: [{step, y}]}, survive reset()
    this.curve = new Curve();       // the run on show: its batch losses and dev points
    this.total = 1;
    this.sight = new CanvasSight(canvas, () => this.invalidate());
    window.addEventListener('resize', () => this.invalidate());   // zoom changes devicePixelRatio
  }

  /** The curve to draw (a run's), and its planned number of steps (the x-axis range). */
  show(curve, total) {
    this.curve = curve;
    this.drawn = 0;
    this.setTotal(total);
    this.invalidate();
  }

  setTotal(total) { total = Math.max(1, total || 1); if (total !== this.total) { this.total = total; this.invalidate(); } }
  setDecayStep(step) { if (step !== this.decayStep) { this.decayStep = step; this.invalidate(); } }

  /** The faint, labelled mean curves of earlier runs: [{label, pts: [{step, y}]}] (faintPoints), at most 8. */
  setKept(kept) {
    this.kept = kept.slice(0, 8);
    this.drawn = 0;                  // the key counts kept runs, not their contents
    this.invalidate();
  }

  /** Mark for redraw; many calls before the panel's next frame cost one draw, and none while the chart is out of sight. */
  invalidate() {
    this.dirty = true;
    if (this.sight && this.sight.seen) onPanelFrame(this.drawIfDirty);
  }

  drawIfDirty = () => {
    if (this.dirty && this.sight.seen) { this.dirty = false; this.draw(); }
  };

  smoothWindow() { return Math.max(10, Math.round(this.total / 200)); }   // 1,000 for 200k steps

  draw() {
    const { canvas, ctx } = this;
    const cssW = this.sight.w, cssH = this.sight.h;
    const plot = { x: MARGIN.left, y: MARGIN.top, w: cssW - MARGIN.left - MARGIN.right, h: cssH - MARGIN.top - MARGIN.bottom };
    if (plot.w < 20 || plot.h < 20) return;
    const lastDev = this.curve.dev.length ? this.curve.dev[this.curve.dev.length - 1].step : 0;
    const lastKept = this.kept.reduce((s, k) => Math.max(s, k.pts[k.pts.length - 1].step), 0);
    const xMax = Math.max(this.total, this.curve.n, lastDev, lastKept, 1);
    const cols = this.columns(plot.w, xMax);
    const yr = this.yRange(cols);
    const X = step => plot.x + (step / xMax) * plot.w;
    const Y = v => plot.y + plot.h - ((v - yr.lo) / (yr.hi - yr.lo)) * plot.h;
    const key = this.pictureKey(cssW, cssH, xMax, yr, cols, X, Y);
    if (key === this.drawn && canvas.width > 0) return;   // the same picture, to half a pixel
    this.drawn = key;
    this.sight.fit(canvas, ctx);

    this.drawAxes(plot, xMax, yr, X, Y);
    this.drawLegend(plot);
    if (cols.count === 0 && this.curve.dev.length === 0 && this.kept.length === 0) {
      ctx.fillStyle = CHART_COLORS.text;
      ctx.font = '13px system-ui, sans-serif';
      ctx.textAlign = 'center';
      const hint = 'The loss curve appears here once training starts.';
      const cx = plot.x + plot.w / 2, cy = plot.y + plot.h / 2;
      if (ctx.measureText(hint).width <= plot.w - 16) {
        ctx.fillText(hint, cx, cy);
      } else {   // a narrow chart (a phone): two lines, so the text stays off the axis labels
        ctx.fillText('The loss curve appears here', cx, cy - 9);
        ctx.fillText('once training starts.', cx, cy + 9);
      }
      return;
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();
    this.drawKept(plot, X, Y);
    this.drawRaw(cols, X, Y);
    this.drawSmooth(cols, X, Y);
    this.drawDev(X, Y);
    ctx.restore();
  }

  /**
   * A hash of everything the picture shows, its curves in half pixels: equal keys draw the same
   * picture. The kept runs and dev points are counted, not hashed: they change only by being added.
   */
  pictureKey(w, h, xMax, yr, cols, X, Y) {
    let k = 0x811c9dc5;
    const mix = v => { k = Math.imul(k ^ (v | 0), 16777619); };
    for (const v of [w, h, (window.devicePixelRatio || 1) * 100, xMax, this.decayStep, this.kept.length, this.curve.dev.length,
      this.smoothWindow(), Math.round(yr.lo * 1e4), Math.round(yr.hi * 1e4), cols.count]) mix(v);
    const half = v => (Number.isFinite(v) ? Math.round(v * 2) : -1);
    const w2 = this.smoothWindow();
    for (let i = 0; i < cols.count; i++) {
      mix(half(X(cols.x[i]))); mix(half(Y(cols.lo[i]))); mix(half(Y(cols.hi[i])));
      mix(half(X(cols.end[i]))); mix(half(Y(this.curve.windowMean(cols.end[i] - w2, cols.end[i]))));
    }
    return k;
  }

  /** One bucket per pixel column (or per point when there are fewer points than pixels). */
  columns(width, xMax) {
    const perCol = xMax / width;
    const n = this.curve.n, out = { lo: [], hi: [], x: [], end: [], gap: [], count: 0, points: perCol <= 1 };
    let gap = false;
    const buckets = perCol <= 1 ? n : Math.ceil(n / perCol);
    for (let c = 0; c < buckets; c++) {
      const a = perCol <= 1 ? c : Math.floor(c * perCol);
      const b = perCol <= 1 ? c + 1 : Math.min(n, Math.floor((c + 1) * perCol));
      if (b <= a) continue;
      const [lo, hi] = this.curve.rangeMinMax(a, b);
      if (!(lo <= hi)) { gap = out.count > 0; continue; }   // only NaNs here: no line across it
      out.lo.push(lo); out.hi.push(hi); out.x.push((a + b) / 2 + 0.5); out.end.push(b); out.gap.push(gap);
      gap = false;
      out.count++;
    }
    return out;
  }

  yRange(cols) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < cols.count; i++) { lo = Math.min(lo, cols.lo[i]); hi = Math.max(hi, cols.hi[i]); }
    for (const d of this.curve.dev) { lo = Math.min(lo, d.y); hi = Math.max(hi, d.y); }
    for (const k of this.kept) for (const p of k.pts) { lo = Math.min(lo, p.y); hi = Math.max(hi, p.y); }
    if (!(lo <= hi)) { lo = Math.log10(1.8); hi = Math.log10(3.5); }
    if (hi - lo < 0.05) { const m = (hi + lo) / 2; lo = m - 0.025; hi = m + 0.025; }
    const pad = (hi - lo) * 0.06;
    return { lo: lo - pad, hi: hi + pad };
  }

  /** Earlier runs: thin grey mean curves, each labelled just left of its end (labels nudged apart). */
  drawKept(plot, X, Y) {
    const ctx = this.ctx, used = [];
    ctx.lineWidth = 1.5;
    ctx.lineJoin = 'round';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    for (const k of this.kept) {
      ctx.strokeStyle = CHART_COLORS.kept;
      ctx.beginPath();
      k.pts.forEach((p, i) => (i ? ctx.lineTo(X(p.step), Y(p.y)) : ctx.moveTo(X(p.step), Y(p.y))));
      ctx.stroke();
      const end = k.pts[k.pts.length - 1];
      let y = Y(end.y) - 3;
      while (used.some(u => Math.abs(u - y) < 11)) y -= 11;
      used.push(y);
      ctx.fillStyle = CHART_COLORS.keptText;
      ctx.fillText(k.label, Math.max(plot.x + ctx.measureText(k.label).width + 2, X(end.step) - 2), Math.max(plot.y + 11, y));
    }
  }

  drawRaw(cols, X, Y) {
    const ctx = this.ctx;
    ctx.strokeStyle = CHART_COLORS.raw;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = 0; i < cols.count; i++) {
      if (cols.points) {                             // fewer points than pixels: a plain polyline
        const x = X(cols.x[i]), y = Y(cols.hi[i]);
        if (i === 0 || cols.gap[i]) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      } else {                                       // one vertical min..max stroke per pixel column
        const x = Math.floor(X(cols.x[i])) + 0.5;
        ctx.moveTo(x, Y(cols.hi[i]) - 0.5);
        ctx.lineTo(x, Y(cols.lo[i]) + 0.5);
      }
    }
    ctx.stroke();
  }

  drawSmooth(cols, X, Y) {
    const ctx = this.ctx, w = this.smoothWindow();
    ctx.strokeStyle = CHART_COLORS.smooth;
    ctx.lineWidth = 2;
    ctx.lineJoin = 'round';
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < cols.count; i++) {
      const b = cols.end[i];
      const m = this.curve.windowMean(b - w, b);
      if (!Number.isFinite(m)) { pen = false; continue; }
      const x = X(b), y = Y(m);
      if (pen && !cols.gap[i]) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
  }

  drawDev(X, Y) {
    const ctx = this.ctx;
    if (this.curve.dev.length === 0) return;
    ctx.strokeStyle = CHART_COLORS.dev;
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    this.curve.dev.forEach((d, i) => (i ? ctx.lineTo(X(d.step), Y(d.y)) : ctx.moveTo(X(d.step), Y(d.y))));
    ctx.stroke();
    if (this.curve.dev.length > 400) return;               // markers only while they stay readable
    for (const d of this.curve.dev) {
      ctx.beginPath();
      ctx.arc(X(d.step), Y(d.y), 3.5, 0, 2 * Math.PI);
      ctx.fillStyle = CHART_COLORS.dev;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#fff';
      ctx.stroke();
    }
  }

  drawAxes(plot, xMax, yr, X, Y) {
    const ctx = this.ctx;
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    // y: ticks at round loss values, labelled as losses on a log axis
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of logTicks(yr.lo, yr.hi, plot.h)) {
      const y = Math.round(Y(Math.log10(t))) + 0.5;
      ctx.strokeStyle = CHART_COLORS.grid;
      ctx.beginPath(); ctx.moveTo(plot.x, y); ctx.lineTo(plot.x + plot.w, y); ctx.stroke();
      ctx.fillStyle = CHART_COLORS.text;
      ctx.fillText(formatLoss(t), plot.x - 6, y);
    }
    // x: ticks at round step counts
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const step = niceStep(xMax / Math.max(2, Math.floor(plot.w / 80)));
    for (let s = 0; s <= xMax + 1e-9; s += step) {
      const x = Math.round(X(s)) + 0.5;
      ctx.strokeStyle = CHART_COLORS.grid;
      ctx.beginPath(); ctx.moveTo(x, plot.y); ctx.lineTo(x, plot.y + plot.h); ctx.stroke();
      ctx.fillStyle = CHART_COLORS.text;
      ctx.fillText(formatSteps(s), x, plot.y + plot.h + 5);
    }
    // the learning-rate drop, if it falls inside the run
    if (this.decayStep > 0 && this.decayStep < xMax) {
      const x = Math.round(X(this.decayStep)) + 0.5;
      ctx.strokeStyle = CHART_COLORS.marker;
      ctx.setLineDash([3, 3]);
      ctx.beginPath(); ctx.moveTo(x, plot.y); ctx.lineTo(x, plot.y + plot.h); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = CHART_COLORS.text;
      ctx.textAlign = 'left';
      ctx.fillText('lr ÷ 10', x + 3, plot.y + 3);
    }
    ctx.strokeStyle = CHART_COLORS.axis;
    ctx.beginPath();
    ctx.moveTo(plot.x + 0.5, plot.y); ctx.lineTo(plot.x + 0.5, plot.y + plot.h + 0.5); ctx.lineTo(plot.x + plot.w, plot.y + plot.h + 0.5);
    ctx.stroke();
    // axis titles
    ctx.fillStyle = CHART_COLORS.text;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.fillText('step', plot.x + plot.w, plot.y + plot.h + MARGIN.bottom);
    ctx.save();
    ctx.translate(12, plot.y + plot.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('loss (log scale)', 0, 0);
    ctx.restore();
  }

  drawLegend(plot) {
    const ctx = this.ctx;
    ctx.font = '11px system-ui, sans-serif';
    const long = ['batch loss', `mean of ${fmtInt(this.smoothWindow())} steps`, 'dev loss (eval mode)'];
    const short = ['batch', 'mean', 'dev (eval)'];
    const width = labels => labels.reduce((w, l) => w + 35 + ctx.measureText(l).width, 0);
    const labels = width(long) <= plot.w + MARGIN.right ? long : short;   // narrow screens: short labels
    const colors = [CHART_COLORS.raw, CHART_COLORS.smooth, CHART_COLORS.dev];
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    let x = plot.x;
    const y = 10;
    labels.forEach((label, i) => {
      if (i < 2) {
        ctx.strokeStyle = colors[i];
        ctx.lineWidth = i === 0 ? 3 : 2;
        ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 16, y); ctx.stroke();
      } else {
        ctx.fillStyle = colors[i];
        ctx.beginPath(); ctx.arc(x + 8, y, 3.5, 0, 2 * Math.PI); ctx.fill();
      }
      ctx.fillStyle = CHART_COLORS.text;
      ctx.fillText(label, x + 21, y);
      x += 35 + ctx.measureText(label).width;
    });
  }
}

/** Round loss values between 10^lo and 10^hi, the nicest first, at least 22px apart. */
function logTicks(lo, hi, height) {
  const picked = [];
  const px = t => ((Math.log10(t) - lo) / (hi - lo)) * height;
  const tiers = [[1, 2, 5], [1.5, 3], [2.5, 4, 6, 8], [1.2, 1.4, 1.6, 1.8, 2.2, 2.4, 2.6, 2.8, 3.5, 4.5, 7, 9]];
  for (const tier of tiers) {
    for (let d = Math.floor(lo) - 1; d <= Math.ceil(hi); d++) {
      for (const m of tier) {
        const t = Number((m * Math.pow(10, d)).toPrecision(6));
        const v = Math.log10(t);
        if (v < lo || v > hi) continue;
        if (picked.every(p => Math.abs(px(p) - px(t)) >= 22)) picked.push(t);
      }
    }
  }
  if (picked.length < 2) {   // a very narrow range: just label its ends
    return [Math.pow(10, lo + (hi - lo) * 0.1), Math.pow(10, hi - (hi - lo) * 0.1)];
  }
  return picked.sort((a, b) => a - b);
}
