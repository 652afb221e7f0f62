// A run's loss curve: the batch loss of every step exactly as the worker sent it (float32), its dev
// points, and what drawing needs in O(width) instead of O(steps): per-range min/max of log10(loss)
// from a pyramid of block minima/maxima, window means from prefix sums.

const LEVELS = 24;                 // block sizes 2, 4, ... 2^24: enough for 16M steps

export class Curve {
  constructor() { this.clear(); }

  /** Forget every step and dev point. */
  clear() {
    this.n = 0;
    this.allocate(4096);
    this.dev = [];                  // {step, y: log10(loss), loss}
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

  /** Batch loss of step i + 1 at index i (NaN where there is none). */
  losses() { return this.raw.subarray(0, this.n); }

  /** Append batch losses of steps from+1 .. from+losses.length. */
  append(from, losses) {
    if (from < this.n) this.truncate(from);
    while (this.n < from) this.push(NaN);            // a gap (e.g. an imported model): nothing to draw
    for (let i = 0; i < losses.length; i++) this.push(losses[i]);
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
    this.clear();
    kept.forEach(l => this.push(l));
    this.dev = dev;
  }

  /** A dev point; false when its loss cannot be drawn on a log scale. */
  addDev(step, loss) {
    const y = loss > 0 ? Math.log10(loss) : NaN;
    if (!Number.isFinite(y)) return false;
    this.dev.push({ step, y, loss });
    return true;
  }

  /** The first and the last finite batch loss, or null. */
  firstLoss() { for (let i = 0; i < this.n; i++) if (Number.isFinite(this.raw[i])) return this.raw[i]; return null; }
  lastLoss() { for (let i = this.n - 1; i >= 0; i--) if (Number.isFinite(this.raw[i])) return this.raw[i]; return null; }

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
}
