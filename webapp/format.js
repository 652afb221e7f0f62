// How numbers and durations read on the page: one place, so the panel, the chart, the views and the
// runs table say "1,234", "2.1034" and "0:42" the same way.

/**
 * 1234567 → "1,234,567", as n.toLocaleString('en-US') writes an integer (a fraction to at most three
 * decimals), without Intl: its first call loads ICU's number data, 55–115 ms in the middle of the
 * page's start (docs/PERFORMANCE.md, stop 27).
 */
export function fmtInt(n) {
  const x = Number(n);
  if (!Number.isFinite(x)) return String(x).replace('Infinity', '∞');
  const [whole, fraction] = Math.abs(x).toFixed(3).split('.');
  const decimals = fraction.replace(/0+$/, '');
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';   // "-0", as the locale writes a negative that rounds to zero
  return sign + whole.replace(/\B(?=(\d{3})+$)/g, ',') + (decimals ? '.' + decimals : '');
}

/** A loss to four decimals, or a dash where there is none. */
export const fmtLoss = x => (Number.isFinite(x) ? x.toFixed(4) : '—');

/** A setting as typed: lists as "100,100", float32 settings to 7 digits (0.1, not 0.10000000149). */
export const clean = v => (Array.isArray(v) ? v.join(',') : typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(7)) : v);

/** A value as the form and the hash show it: lists as "100,100", the gain 5/3 as "5/3". */
export const shown = (f, v) => (f.kind === 'float' && Math.abs(v - 5 / 3) < 1e-6 ? '5/3' : String(clean(v)));

/** The worker's float32 settings as typed: 0.1, not 0.10000000149. */
export const round7 = x => Number(x.toPrecision(7));

/** A worker message as a sentence, so that more text can follow it. */
export const sentence = msg => (/[.!?]$/.test(msg) ? msg : msg + '.');

/** Seconds as "m:ss" or "h:mm:ss" (an ETA, a run's training time); '' when unknown. */
export function fmtDuration(sec) {
  if (!Number.isFinite(sec) || sec < 0) return '';
  const s = Math.round(sec), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = x => String(x).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}

/** A run's time in the table: "4.2 s" under a minute, then "m:ss"; a dash when unknown. */
export function fmtSeconds(sec) {
  if (!Number.isFinite(sec)) return '—';
  if (sec < 60) return `${sec.toFixed(1)} s`;
  return fmtDuration(sec);
}

/** A step count on an axis: "200k", "1.5M". */
export function formatSteps(s) {
  if (s >= 1e6) return `${Number((s / 1e6).toPrecision(3))}M`;
  if (s >= 1e3) return `${Number((s / 1e3).toPrecision(3))}k`;
  return String(Math.round(s));
}

/** A loss on the chart's log axis: "2.5", "0.8", "120". */
export const formatLoss = t => (t >= 100 ? t.toFixed(0) : String(Number(t.toPrecision(3))));

/** 1, 2 or 5 times a power of ten, at least `raw`: a tick spacing. */
export function niceStep(raw) {
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}
