'use strict';
// Loss chart on a <canvas>: faint per-step batch loss, a moving average over it, and dev-loss points,
// all as log10(loss) like the notebook plots. A redraw costs O(width), not O(steps): per-pixel-column
// min/max comes from a pyramid of block minima/maxima of log10(loss), window means from prefix sums.
// The raw losses are kept exactly as the worker sent them (float32), see losses().
// Drawing is lazy: in the panel's frames (onPanelFrame), only while the canvas is in sight, and not at
// all when the new data would move nothing by half a pixel (a long run adds steps far faster than pixels).

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
/**
 * One frame for everything the live panel draws (the chart, the views, the numbers), at most every
 * PANEL_FRAME_MS. A browser that renders in software pays for every frame in which anything on screen
 * changed (WebKitGTK without a GPU: tens of ms each, so 25 progress messages a second in 25 frames left
 * it ~5 frames/s); gathered into ten frames a second, the page keeps its frame rate for scrolling and
 * reading. Each draw function runs once per panel frame however often it was asked for.
 */
const PANEL_FRAME_MS = 100;
const panelDraws = new Set();
let panelQueued = false, panelDrawnAt = -Infinity;

function onPanelFrame(draw) {
  panelDraws.add(draw);
  if (panelQueued) return;
  panelQueued = true;
  const run = () => {
    panelQueued = false;
    panelDrawnAt = performance.now();
    const draws = [...panelDraws];
    panelDraws.clear();
    for (const d of draws) d();
  };
  const wait = panelDrawnAt + PANEL_FRAME_MS - performance.now();
  if (wait > 0) setTimeout(() => requestAnimationFrame(run), wait);
  else requestAnimationFrame(run);
}

const LEVELS = 24;                 // block sizes 2, 4, ... 2^24: enough for 16M steps
const MARGIN = { left: 50, right: 18, top: 26, bottom: 34 };

/**
 * What drawing needs to know about a canvas without asking the page's layout: its CSS size (from a
 * ResizeObserver) and whether any of it is in sight (an IntersectionObserver: scrolled out of the
 * window, or out of the panel's own scroll, it is not). Reading clientWidth in a frame whose text
 * just changed forces a layout of the page; drawing what nobody sees costs a software renderer frames.
 * onResize() runs when the canvas changes size, onSeen() when it comes into sight.
 */
class CanvasSight {
  constructor(canvas, onResize, onSeen = onResize) {
    this.w = 0;
    this.h = 0;
    this.seen = false;
    new ResizeObserver(entries => {
      const r = entries[entries.length - 1].contentRect;
      this.w = r.width;
      this.h = r.height;
      onResize();
    }).observe(canvas);
    new IntersectionObserver(entries => {
      this.seen = entries[entries.length - 1].isIntersecting;
      if (this.seen) onSeen();
    }).observe(canvas);
  }

  /** The canvas's bitmap at CSS size × devicePixelRatio, cleared, with a CSS-pixel transform; null while it has no size. */
  fit(canvas, ctx) {
    const dpr = window.devicePixelRatio || 1, w = this.w, h = this.h;
    if (w === 0 || h === 0) return null;
    const pw = Math.round(w * dpr), ph = Math.round(h * dpr);
    if (canvas.width !== pw || canvas.height !== ph) { canvas.width = pw; canvas.height = ph; }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    return { w, h, dpr };
  }
}

class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.dirty = false;
    this.drawn = 0;                 // the picture on the canvas, as a hash of what it shows (see pictureKey)
    this.decayStep = 0;
    this.kept = [];                 // earlier runs: {label, pts: [{step, y}]}, survive reset()
    this.reset(1);
    this.sight = new CanvasSight(canvas, () => this.invalidate());
    window.addEventListener('resize', () => this.invalidate());   // zoom changes devicePixelRatio
  }

  /** Forget all data; `total` is the planned number of steps (the x-axis range). */
  reset(total) {
    this.total = Math.max(1, total || 1);
    this.n = 0;
    this.allocate(4096);
    this.dev = [];
    this.invalidate();
  }

  allocate(cap) {
    const old = this.n > 0 ? this : null;
    const raw = new Float32Array(cap), sum = new Float64Array(cap + 1), cnt = new Float64Array(cap + 1);
    const mins = [], maxs = [];
    for (let k = 0; k < LEVELS; k++) {
      const size = (cap >> (k + 1)) + 1;
      mins.push(new Float32Array(size).fill(Infinity));
      maxs.push(new Float32Array(size).fill(-Infinity));
    }
    if (old) {                      // growing: keep what we have
      raw.set(old.raw.subarray(0, this.n));
      sum.set(old.sum.subarray(0, this.n + 1));
      cnt.set(old.cnt.subarray(0, this.n + 1));
      for (let k = 0; k < LEVELS; k++) {
        mins[k].set(old.mins[k].subarray(0, Math.min(old.mins[k].length, mins[k].length)));
        maxs[k].set(old.maxs[k].subarray(0, Math.min(old.maxs[k].length, maxs[k].length)));
      }
    }
    Object.assign(this, { cap, raw, sum, cnt, mins, maxs });
  }

  setTotal(total) { if (total > 0 && total !== this.total) { this.total = total; this.invalidate(); } }
  setDecayStep(step) { this.decayStep = step; this.invalidate(); }
  losses() { return this.raw.subarray(0, this.n); }     // batch loss of step i + 1 at index i

  /** Append batch losses of steps from+1 .. from+losses.length. */
  append(from, losses) {
    if (from < this.n) this.truncate(from);
    while (this.n < from) this.push(NaN);            // a gap (e.g. an imported model): nothing to draw
    for (let i = 0; i < losses.length; i++) this.push(losses[i]);
    this.invalidate();
  }

  push(loss) {
    if (this.n === this.cap) this.allocate(this.cap * 2);
    const i = this.n++;
    this.raw[i] = loss;
    const v = loss > 0 ? Math.log10(loss) : NaN;
    const ok = Number.isFinite(v);
    this.sum[i + 1] = this.sum[i] + (ok ? v : 0);
    this.cnt[i + 1] = this.cnt[i] + (ok ? 1 : 0);
    if (!ok) return;
    for (let k = 0; k < LEVELS; k++) {        // a coarser block contains this one: stop when unchanged
      const j = i >> (k + 1);
      let changed = false;
      if (v < this.mins[k][j]) { this.mins[k][j] = v; changed = true; }
      if (v > this.maxs[k][j]) { this.maxs[k][j] = v; changed = true; }
      if (!changed) break;
    }
  }

  truncate(keep) {                 // rare (a rewind): rebuild from the kept prefix
    const kept = this.raw.slice(0, keep);
    const dev = this.dev.filter(d => d.step <= keep);
    this.reset(this.total);
    kept.forEach(l => this.push(l));
    this.dev = dev;
  }

  /** Keep a faint, labelled copy of this run's mean curve (at most ~400 points) for comparing runs. */
  keepRun(label) {
    const n = this.n, w = this.smoothWindow(), pts = [];
    const every = Math.max(1, Math.ceil(n / 400));
    for (let b = Math.min(n, every); b > 0; b = b >= n ? 0 : Math.min(n, b + every)) {
      const m = this.windowMean(b - w, b);
      if (Number.isFinite(m)) pts.push({ step: b, y: m });
    }
    if (pts.length === 0) return;
    this.kept.push({ label: String(label), pts });
    if (this.kept.length > 8) this.kept.shift();
    this.drawn = 0;                  // the key counts kept runs, and the ninth replaces the first
    this.invalidate();
  }

  clearRuns() { this.kept = []; this.drawn = 0; this.invalidate(); }

  addDev(step, loss) {
    const y = loss > 0 ? Math.log10(loss) : NaN;
    if (Number.isFinite(y)) { this.dev.push({ step, y, loss }); this.invalidate(); }   // loss: kept with the run
  }

  /** Mark for redraw; many calls before the panel's next frame cost one draw, and none while the chart is out of sight. */
  invalidate() {
    this.dirty = true;
    if (this.sight && this.sight.seen) onPanelFrame(this.drawIfDirty);
  }

  drawIfDirty = () => {
    if (this.dirty && this.sight.seen) { this.dirty = false; this.draw(); }
  };

  /** Approximate min/max of log10(loss) over steps a..b-1: whole blocks of the coarsest level that still fit twice. */
  rangeMinMax(a, b) {
    let lo = Infinity, hi = -Infinity;
    const len = b - a;
    if (len < 4) {
      for (let i = a; i < b; i++) {
        const v = Math.log10(this.raw[i]);
        if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      }
      return [lo, hi];
    }
    const k = Math.min(LEVELS - 1, Math.floor(Math.log2(len)) - 2);   // block = 2^(k+1) <= len/2
    const shift = k + 1;
    for (let j = a >> shift, last = (b - 1) >> shift; j <= last; j++) {
      if (this.mins[k][j] < lo) lo = this.mins[k][j];
      if (this.maxs[k][j] > hi) hi = this.maxs[k][j];
    }
    return [lo, hi];
  }

  /** Mean of the finite log10(loss) values over steps a..b-1, or NaN. */
  windowMean(a, b) {
    a = Math.max(0, a);
    const c = this.cnt[b] - this.cnt[a];
    return c > 0 ? (this.sum[b] - this.sum[a]) / c : NaN;
  }

  smoothWindow() { return Math.max(10, Math.round(this.total / 200)); }   // 1,000 for 200k steps

  draw() {
    const { canvas, ctx } = this;
    const cssW = this.sight.w, cssH = this.sight.h;
    const plot = { x: MARGIN.left, y: MARGIN.top, w: cssW - MARGIN.left - MARGIN.right, h: cssH - MARGIN.top - MARGIN.bottom };
    if (plot.w < 20 || plot.h < 20) return;
    const lastDev = this.dev.length ? this.dev[this.dev.length - 1].step : 0;
    const lastKept = this.kept.reduce((s, k) => Math.max(s, k.pts[k.pts.length - 1].step), 0);
    const xMax = Math.max(this.total, this.n, lastDev, lastKept, 1);
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
    if (cols.count === 0 && this.dev.length === 0 && this.kept.length === 0) {
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
    for (const v of [w, h, (window.devicePixelRatio || 1) * 100, xMax, this.decayStep, this.kept.length, this.dev.length,
      this.smoothWindow(), Math.round(yr.lo * 1e4), Math.round(yr.hi * 1e4), cols.count]) mix(v);
    const half = v => (Number.isFinite(v) ? Math.round(v * 2) : -1);
    const w2 = this.smoothWindow();
    for (let i = 0; i < cols.count; i++) {
      mix(half(X(cols.x[i]))); mix(half(Y(cols.lo[i]))); mix(half(Y(cols.hi[i])));
      mix(half(X(cols.end[i]))); mix(half(Y(this.windowMean(cols.end[i] - w2, cols.end[i]))));
    }
    return k;
  }

  /** One bucket per pixel column (or per point when there are fewer points than pixels). */
  columns(width, xMax) {
    const perCol = xMax / width;
    const n = this.n, out = { lo: [], hi: [], x: [], end: [], count: 0, points: perCol <= 1 };
    const buckets = perCol <= 1 ? n : Math.ceil(n / perCol);
    for (let c = 0; c < buckets; c++) {
      const a = perCol <= 1 ? c : Math.floor(c * perCol);
      const b = perCol <= 1 ? c + 1 : Math.min(n, Math.floor((c + 1) * perCol));
      if (b <= a) continue;
      const [lo, hi] = this.rangeMinMax(a, b);
      if (!(lo <= hi)) continue;                      // only NaNs in this bucket
      out.lo.push(lo); out.hi.push(hi); out.x.push((a + b) / 2 + 0.5); out.end.push(b);
      out.count++;
    }
    return out;
  }

  yRange(cols) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < cols.count; i++) { lo = Math.min(lo, cols.lo[i]); hi = Math.max(hi, cols.hi[i]); }
    for (const d of this.dev) { lo = Math.min(lo, d.y); hi = Math.max(hi, d.y); }
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
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
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
      const m = this.windowMean(b - w, b);
      if (!Number.isFinite(m)) { pen = false; continue; }
      const x = X(b), y = Y(m);
      if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
  }

  drawDev(X, Y) {
    const ctx = this.ctx;
    if (this.dev.length === 0) return;
    ctx.strokeStyle = CHART_COLORS.dev;
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    this.dev.forEach((d, i) => (i ? ctx.lineTo(X(d.step), Y(d.y)) : ctx.moveTo(X(d.step), Y(d.y))));
    ctx.stroke();
    if (this.dev.length > 400) return;               // markers only while they stay readable
    for (const d of this.dev) {
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
    const long = ['batch loss', `mean of ${this.smoothWindow().toLocaleString('en-US')} steps`, 'dev loss (eval mode)'];
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

function niceStep(raw) {
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function formatSteps(s) {
  if (s >= 1e6) return `${Number((s / 1e6).toPrecision(3))}M`;
  if (s >= 1e3) return `${Number((s / 1e3).toPrecision(3))}k`;
  return String(Math.round(s));
}

function formatLoss(t) { return t >= 100 ? t.toFixed(0) : String(Number(t.toPrecision(3))); }
