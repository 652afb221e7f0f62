// Small canvas helpers for the batch-norm sections: a crisp canvas, a frame with ticks, lines and dots.
// Nothing here computes on the network: the worker sends the numbers, these functions place them.

import { FRAME_INK, axisLines, yAxisTitle } from '../axes.js';

export const INK = { ...FRAME_INK, batch: '#1f5fbf', running: '#c2410c', other: '#1d6b3a', fail: '#b42318' };
export const MINUS = '\u2212';

/** The canvas at its CSS size × devicePixelRatio, cleared; null while it has no size (hidden). */
export function fit(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (w === 0 || h === 0) return null;
  const pw = Math.round(w * dpr), ph = Math.round(h * dpr);
  if (canvas.width !== pw || canvas.height !== ph) { canvas.width = pw; canvas.height = ph; }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

/** About n round numbers covering [lo, hi]: 1, 2 or 5 times a power of ten apart. */
export function ticks(lo, hi, n = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, n), p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** A number on an axis: "−0.5", "1.2k", "3e−4". */
export function tickLabel(t) {
  if (t === 0) return '0';
  const a = Math.abs(t), sign = t < 0 ? MINUS : '';
  if (a >= 1e6) return sign + Number((a / 1e6).toPrecision(3)) + 'M';
  if (a >= 1e3) return sign + Number((a / 1e3).toPrecision(3)) + 'k';
  if (a < 1e-2) return sign + a.toExponential(0).replace('-', MINUS);
  return sign + Number(a.toPrecision(3));
}

/** The [lo, hi] of the finite values of some arrays, widened by pad on each side (a flat range by ±1). */
export function extent(arrays, pad = 0.06) {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) for (const v of a) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!(hi >= lo)) return [0, 1];
  if (hi === lo) return [lo - 1, hi + 1];
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

/**
 * The plot area of a canvas with the axes drawn: x from xs = [lo, hi], y from ys = [lo, hi], grid at
 * round numbers, the y axis titled. Returns {X, Y, box} to place values with.
 */
export function axes(f, xs, ys, yTitle, margin = { left: 46, right: 8, top: 8, bottom: 22 }) {
  const { ctx, w, h } = f;
  const box = { x: margin.left, y: margin.top, w: w - margin.left - margin.right, h: h - margin.top - margin.bottom };
  const X = v => box.x + ((v - xs[0]) / (xs[1] - xs[0] || 1)) * box.w;
  const Y = v => box.y + box.h - ((v - ys[0]) / (ys[1] - ys[0] || 1)) * box.h;
  ctx.font = '10px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.fillStyle = INK.text;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks(ys[0], ys[1], Math.max(2, Math.floor(box.h / 28)))) {
    const y = Math.round(Y(t)) + 0.5;
    ctx.strokeStyle = INK.grid;
    ctx.beginPath(); ctx.moveTo(box.x, y); ctx.lineTo(box.x + box.w, y); ctx.stroke();
    ctx.fillText(tickLabel(t), box.x - 4, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ticks(xs[0], xs[1], Math.max(2, Math.floor(box.w / 70)))) {
    ctx.fillText(tickLabel(t), X(t), box.y + box.h + 5);
  }
  axisLines(ctx, box);
  yAxisTitle(ctx, box, yTitle, 10);
  return { X, Y, box };
}

/** Everything drawn inside the box only. */
export function clipped(ctx, box, draw) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.x, box.y - 1, box.w + 1, box.h + 2);
  ctx.clip();
  draw();
  ctx.restore();
}

/** A polyline through (xs[i], ys[i]); one point draws a short dash. */
export function line(ctx, xs, ys, X, Y, color, { width = 1.6, dash = [] } = {}) {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineJoin = 'round';
  ctx.setLineDash(dash);
  ctx.beginPath();
  for (let i = 0; i < xs.length; i++) (i ? ctx.lineTo(X(xs[i]), Y(ys[i])) : ctx.moveTo(X(xs[i]), Y(ys[i])));
  if (xs.length === 1) ctx.lineTo(X(xs[0]) + 3, Y(ys[0]));
  ctx.stroke();
  ctx.setLineDash([]);
}

/** Dots of radius r at (xs[i], ys[i]). */
export function dots(ctx, xs, ys, X, Y, color, r = 1.8) {
  ctx.fillStyle = color;
  for (let i = 0; i < xs.length; i++) {
    ctx.beginPath();
    ctx.arc(X(xs[i]), Y(ys[i]), r, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/** A sentence in the middle of an empty canvas. */
export function say(f, text) {
  const { ctx, w, h } = f;
  ctx.fillStyle = INK.text;
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  // Word-wrapped to the canvas, less a margin: one line at 1,400 px is three on a phone.
  const lines = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && ctx.measureText(lines[last] + ' ' + word).width <= w - 16) lines[last] += ' ' + word;
    else lines.push(word);
  }
  const lead = 16;
  lines.forEach((line, i) => ctx.fillText(line, w / 2, h / 2 + (i - (lines.length - 1) / 2) * lead));
}

/** Canvas pixels that are neither transparent nor near-white (the tests ask whether a canvas was inked). */
export function inked(canvas) {
  if (!canvas.width || !canvas.height) return 0;
  const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) n++;
  return n;
}

/** Pixels of roughly this colour (within 40 per channel): which series got drawn. */
export function inkedWith(canvas, hex) {
  if (!canvas.width || !canvas.height) return 0;
  const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
  const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && Math.abs(d[i] - r) < 40 && Math.abs(d[i + 1] - g) < 40 && Math.abs(d[i + 2] - b) < 40) n++;
  return n;
}
