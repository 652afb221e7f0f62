// The experiments' pictures on a canvas: lines against a linear or logarithmic x axis with a legend
// (the overlaid loss curves, loss and saturation against gain, the learning-rate finder's curve with
// its suggestion marked) and the embedding table in the plane, a character at each point. Every
// label is drawn with fillText: text from data is never HTML. A picture is drawn when its canvas is in
// sight (drawWhenSeen); data-points says at once how many points it holds, for tests and tools.

import { drawWhenSeen } from '../frames.js';
import { fmtInt } from '../format.js';

export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

const PAD = { left: 52, right: 12, top: 12, bottom: 36 };

/** A canvas sized to its box on screen (and the device's pixels), its context scaled to CSS pixels. */
function context(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || canvas.width, h = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(w * ratio)) { canvas.width = Math.round(w * ratio); canvas.height = Math.round(h * ratio); }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  return { ctx, w, h };
}

/** About five round values spanning [lo, hi]. */
function ticks(lo, hi) {
  const raw = (hi - lo) / 5 || 1, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const label = v => (Math.abs(v) >= 1000 ? fmtInt(v) : String(Number(v.toPrecision(4))));

/**
 * series: [{label, points: [[x, y]], dots?}]; opts: {xLabel, yLabel, logX, yRange?: [lo, hi], marker?: {x, label}}.
 * Points whose y is not finite are left out (a run that has not reached step 1,000, a diverged one).
 */
export function drawLines(canvas, series, opts = {}) {
  const tx = opts.logX ? Math.log10 : x => x;
  const pts = series.flatMap(s => s.points).filter(([x, y]) => Number.isFinite(y) && Number.isFinite(tx(x)));
  canvas.dataset.points = String(pts.length);
  drawWhenSeen(canvas, () => paintLines(canvas, series, opts, tx, pts));
}

function paintLines(canvas, series, opts, tx, pts) {
  const { ctx, w, h } = context(canvas);
  if (!pts.length) {
    ctx.fillStyle = '#666';
    ctx.fillText(opts.empty || 'no data yet', PAD.left, h / 2);
    return;
  }
  let [x0, x1] = [Math.min(...pts.map(p => tx(p[0]))), Math.max(...pts.map(p => tx(p[0])))];
  let [y0, y1] = opts.yRange || [Math.min(...pts.map(p => p[1])), Math.max(...pts.map(p => p[1]))];
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  if (y0 === y1) { y0 -= 0.5; y1 += 0.5; }
  const X = x => PAD.left + (tx(x) - x0) / (x1 - x0) * (w - PAD.left - PAD.right);
  const Y = y => h - PAD.bottom - (Math.min(Math.max(y, y0), y1) - y0) / (y1 - y0) * (h - PAD.top - PAD.bottom);

  ctx.strokeStyle = '#ccc';
  ctx.fillStyle = '#444';
  ctx.lineWidth = 1;
  ctx.textAlign = 'center';
  const xTicks = opts.logX ? ticks(x0, x1).filter(Number.isInteger).map(e => 10 ** e) : ticks(x0, x1);
  for (const v of xTicks) {
    ctx.beginPath(); ctx.moveTo(X(v), PAD.top); ctx.lineTo(X(v), h - PAD.bottom); ctx.stroke();
    ctx.fillText(label(v), X(v), h - PAD.bottom + 13);
  }
  ctx.textAlign = 'right';
  for (const v of ticks(y0, y1)) {
    ctx.beginPath(); ctx.moveTo(PAD.left, Y(v)); ctx.lineTo(w - PAD.right, Y(v)); ctx.stroke();
    ctx.fillText(label(v), PAD.left - 4, Y(v) + 4);
  }
  ctx.textAlign = 'center';
  if (opts.xLabel) ctx.fillText(opts.xLabel, PAD.left + (w - PAD.left - PAD.right) / 2, h - 4);
  if (opts.yLabel) {
    ctx.save(); ctx.translate(11, PAD.top + (h - PAD.top - PAD.bottom) / 2); ctx.rotate(-Math.PI / 2);
    ctx.fillText(opts.yLabel, 0, 0); ctx.restore();
  }

  series.forEach((s, i) => {
    const color = s.color || COLORS[i % COLORS.length];
    const p = s.points.filter(([x, y]) => Number.isFinite(y) && Number.isFinite(tx(x)));
    ctx.strokeStyle = ctx.fillStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    p.forEach(([x, y], j) => (j ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y))));
    ctx.stroke();
    if (s.dots) for (const [x, y] of p) { ctx.beginPath(); ctx.arc(X(x), Y(y), 3, 0, 2 * Math.PI); ctx.fill(); }
  });

  if (opts.marker && Number.isFinite(opts.marker.x)) {
    const mx = X(opts.marker.x);
    ctx.strokeStyle = ctx.fillStyle = '#000';
    ctx.setLineDash([4, 3]);
    ctx.beginPath(); ctx.moveTo(mx, PAD.top); ctx.lineTo(mx, h - PAD.bottom); ctx.stroke();
    ctx.setLineDash([]);
    ctx.textAlign = mx > w / 2 ? 'right' : 'left';
    ctx.fillText(opts.marker.label, mx + (mx > w / 2 ? -4 : 4), PAD.top + 10);
  }

  // The legend, top right, one line per named series.
  const named = series.map((s, i) => [s, i]).filter(([s]) => s.label);
  if (named.length > 1 || opts.legend) {
    ctx.textAlign = 'left';
    const lw = Math.max(...named.map(([s]) => ctx.measureText(s.label).width)) + 22;
    let y = PAD.top + 4;
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.fillRect(w - PAD.right - lw - 4, y - 2, lw + 4, named.length * 14 + 4);
    for (const [s, i] of named) {
      ctx.fillStyle = s.color || COLORS[i % COLORS.length];
      ctx.fillRect(w - PAD.right - lw, y + 4, 12, 3);
      ctx.fillStyle = '#222';
      ctx.fillText(s.label, w - PAD.right - lw + 16, y + 9);
      y += 14;
    }
  }
}

/** The embedding table in the plane: plane {x, y, xShare, yShare, projected} from the worker, chars its vocabulary. */
export function drawPlane(canvas, plane, chars) {
  const n = plane ? plane.x.length : 0;
  canvas.dataset.points = String(n);
  drawWhenSeen(canvas, () => paintPlane(canvas, plane, chars, n));
}

function paintPlane(canvas, plane, chars, n) {
  const { ctx, w, h } = context(canvas);
  if (!n) {
    ctx.fillStyle = '#666';
    ctx.fillText('no model yet', PAD.left, h / 2);
    return;
  }
  const xs = Array.from(plane.x), ys = Array.from(plane.y);
  const span = (v) => { const lo = Math.min(...v), hi = Math.max(...v); return [lo, hi === lo ? lo + 1 : hi]; };
  const [x0, x1] = span(xs), [y0, y1] = span(ys);
  // Circles of radius 9 kept clear of the edges, and of the axis labels along the bottom and the left side.
  const m = 12, left = 30, bottom = 30;
  const X = x => left + (x - x0) / (x1 - x0) * (w - left - m), Y = y => h - bottom - (y - y0) / (y1 - y0) * (h - bottom - m);
  ctx.fillStyle = '#444';
  ctx.textAlign = 'left';
  const pct = s => `${(100 * s).toFixed(0)}%`;
  ctx.fillText(plane.projected ? `PC1 (${pct(plane.xShare)} of the variance) →` : 'C[:, 0] →', left, h - 3);
  ctx.save(); ctx.translate(10, h - bottom); ctx.rotate(-Math.PI / 2);
  ctx.fillText(plane.projected ? `PC2 (${pct(plane.yShare)}) →` : 'C[:, 1] →', 0, 0);
  ctx.restore();
  ctx.font = '13px ui-monospace, monospace';
  ctx.textAlign = 'center';
  for (let i = 0; i < n; i++) {
    const cx = X(xs[i]), cy = Y(ys[i]);
    ctx.fillStyle = '#d9e7f5';
    ctx.beginPath(); ctx.arc(cx, cy, 9, 0, 2 * Math.PI); ctx.fill();
    ctx.fillStyle = '#111';
    ctx.fillText(chars[i] === ' ' ? '␣' : (chars[i] || '?'), cx, cy + 4);
  }
}
