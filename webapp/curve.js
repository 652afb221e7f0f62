// A run's loss curve in bounded memory: what drawing needs in O(width) instead of O(steps), for a run
// of any length. Recent steps are kept at full resolution (the batch loss exactly as the worker sent
// it, float32); every step also lands in buckets of BUCKET steps: min/max of log10(loss) in a pyramid of
// block minima/maxima (blocks of 16, 32, … steps) and prefix sums of log10(loss) at bucket edges. The
// chart asks for the min/max of a pixel column through blocks of at least a quarter of the column, so
// whenever a column spans 4 buckets or more (any run longer than the recent window, on a plot up to
// RECENT / (4 × BUCKET) = 1,024 px wide) the picture is the one full resolution gives. 1.75 bytes a
// step of capacity beyond the recent window (3.5 MB): 29 MB for 10 M steps, arrays' slack included.

const LEVELS = 24;                 // block sizes 2, 4, … 2^24
const BUCKET_LEVEL = 3;            // blocks of 2^(3+1) = 16 steps: the finest level kept for every step
const BUCKET = 1 << (BUCKET_LEVEL + 1);
export const RECENT = 1 << 16;     // steps at full resolution: at least RECENT, at most 2 × RECENT

/** Float32Array/Float64Array of `size`, filled with `fill`, holding `old`'s values. */
function grown(Type, old, size, fill) {
  const a = new Type(size);
  if (fill !== 0) a.fill(fill);
  if (old) a.set(old.subarray(0, Math.min(old.length, size)));
  return a;
}

export class Curve {
  constructor() { this.clear(); }

  /** Forget every step and dev point. */
  clear() {
    this.n = 0;                     // steps so far: batch loss of step i + 1 at index i
    this.dev = [];                  // dev points {step, y: log10(loss), loss}
    // every step, in buckets: levels ≥ BUCKET_LEVEL of the min/max pyramid, prefix sums at bucket edges
    this.cap = 0;
    this.mins = [];
    this.maxs = [];
    this.bucketSum = new Float64Array(0);   // Σ log10(loss) of the finite losses before step BUCKET·j
    this.bucketCnt = new Float32Array(0);   // how many there are (exact up to 2^24)
    // the recent window [from, n): raw losses, per-step prefix sums, the pyramid's finer levels
    this.from = 0;
    this.raw = new Float32Array(0);
    this.sum = new Float64Array(1);
    this.cnt = new Float64Array(1);
    this.fine = [];                 // {mins, maxs} of levels 0 .. BUCKET_LEVEL − 1, indexed from `from`
    this.reserve(4096);
  }

  /** Room for `steps` steps. Arrays grow by half again, not double: the slack is memory too. */
  reserve(steps) {
    if (steps > this.cap) {
      const cap = Math.max(steps, Math.ceil(this.cap * 1.5));
      for (let k = BUCKET_LEVEL; k < LEVELS; k++) {
        const size = (cap >> (k + 1)) + 1;
        this.mins[k] = grown(Float32Array, this.mins[k], size, Infinity);
        this.maxs[k] = grown(Float32Array, this.maxs[k], size, -Infinity);
      }
      this.bucketSum = grown(Float64Array, this.bucketSum, (cap >> (BUCKET_LEVEL + 1)) + 2, 0);
      this.bucketCnt = grown(Float32Array, this.bucketCnt, (cap >> (BUCKET_LEVEL + 1)) + 2, 0);
      this.cap = cap;
    }
    const want = Math.min(2 * RECENT, steps - this.from);
    if (want > this.raw.length) {
      const size = Math.min(2 * RECENT, Math.max(want, Math.ceil(this.raw.length * 1.5)));
      this.raw = grown(Float32Array, this.raw, size, 0);
      this.sum = grown(Float64Array, this.sum, size + 1, 0);
      this.cnt = grown(Float64Array, this.cnt, size + 1, 0);
      for (let k = 0; k < BUCKET_LEVEL; k++) {
        const f = this.fine[k] || {}, n = (size >> (k + 1)) + 1;
        this.fine[k] = { mins: grown(Float32Array, f.mins, n, Infinity), maxs: grown(Float32Array, f.maxs, n, -Infinity) };
      }
    }
  }

  /** The recent batch losses at full resolution: step from + i + 1 at index i (from is 0 until the run passes 2 × RECENT steps). */
  losses() { return this.raw.subarray(0, this.n - this.from); }

  /** Append batch losses of steps from+1 .. from+losses.length. */
  append(from, losses) {
    if (from < this.n) this.truncate(from);
    this.reserve(Math.max(from, this.n) + losses.length);
    this.gap(from);
    for (let i = 0; i < losses.length; i++) this.push(losses[i]);
  }

  /**
   * Steps n+1 .. to without a loss (an imported model's past): nothing to draw, nothing summed. The
   * steps that would only pass through the recent window are skipped in one go, leaving what pushing
   * NaN one by one leaves (their buckets' prefix sums at the totals so far, their blocks empty): a
   * model imported at step 10,000,000 is drawn at once instead of after 10 million pushes.
   */
  gap(to) {
    const start = Math.floor((to - 2 * RECENT) / RECENT) * RECENT;   // the window's start after the gap: a multiple of RECENT
    if (start > this.n) {
      const r = this.n - this.from, S = this.sum[r], C = this.cnt[r];
      for (let j = Math.floor(this.n / BUCKET) + 1; j <= start / BUCKET; j++) { this.bucketSum[j] = S; this.bucketCnt[j] = C; }
      this.from = this.n = start;                      // an empty recent window at `start`
      this.raw.fill(0);
      this.sum.fill(0); this.cnt.fill(0);
      this.sum[0] = S; this.cnt[0] = C;
      for (let k = 0; k < BUCKET_LEVEL; k++) { this.fine[k].mins.fill(Infinity); this.fine[k].maxs.fill(-Infinity); }
    }
    while (this.n < to) this.push(NaN);
  }

  push(loss) {
    if (this.n - this.from >= 2 * RECENT) this.forgetOldest();
    if (this.n - this.from === this.raw.length || this.n >= this.cap) this.reserve(this.n + 1);
    const i = this.n++, r = i - this.from;
    this.raw[r] = loss;
    const v = loss > 0 ? Math.log10(loss) : NaN;
    const ok = Number.isFinite(v);
    this.sum[r + 1] = this.sum[r] + (ok ? v : 0);
    this.cnt[r + 1] = this.cnt[r] + (ok ? 1 : 0);
    if ((i + 1) % BUCKET === 0) {                    // a bucket is complete: its prefix sums
      const j = (i + 1) / BUCKET;
      this.bucketSum[j] = this.sum[r + 1];
      this.bucketCnt[j] = this.cnt[r + 1];
    }
    if (!ok) return;
    for (let k = 0; k < LEVELS; k++) {               // a coarser block contains this one: stop when unchanged
      const fine = k < BUCKET_LEVEL, j = fine ? r >> (k + 1) : i >> (k + 1);
      const mins = fine ? this.fine[k].mins : this.mins[k], maxs = fine ? this.fine[k].maxs : this.maxs[k];
      let changed = false;
      if (v < mins[j]) { mins[j] = v; changed = true; }
      if (v > maxs[j]) { maxs[j] = v; changed = true; }
      if (!changed) break;
    }
  }

  /** The recent window holds 2 × RECENT steps: its oldest RECENT leave it (their buckets stay). */
  forgetOldest() {
    const shift = RECENT, keep = this.n - this.from - shift;
    this.raw.copyWithin(0, shift, shift + keep);
    this.sum.copyWithin(0, shift, shift + keep + 1);
    this.cnt.copyWithin(0, shift, shift + keep + 1);
    for (let k = 0; k < BUCKET_LEVEL; k++) {
      const s = shift >> (k + 1), f = this.fine[k];
      f.mins.copyWithin(0, s); f.mins.fill(Infinity, f.mins.length - s);
      f.maxs.copyWithin(0, s); f.maxs.fill(-Infinity, f.maxs.length - s);
    }
    this.from += shift;
  }

  /** Rewind to `keep` steps (rare: the worker restarted a run from an earlier step). */
  truncate(keep) {
    if (keep >= this.n) return;
    const dev = this.dev.filter(d => d.step <= keep);
    if (keep < this.from) {                          // older than the recent window: start again from nothing there
      this.clear();
      this.append(keep, []);
    } else {
      const kept = this.raw.slice(0, keep - this.from);
      const from = this.from;
      this.n = from;
      // Buckets and blocks from `from` on are rebuilt from the kept steps; those before it are whole and stay.
      this.raw.fill(0);
      for (let k = 0; k < BUCKET_LEVEL; k++) { this.fine[k].mins.fill(Infinity); this.fine[k].maxs.fill(-Infinity); }
      this.sum.fill(0, 1); this.cnt.fill(0, 1);
      this.sum[0] = from > 0 ? this.bucketSum[from / BUCKET] : 0;
      this.cnt[0] = from > 0 ? this.bucketCnt[from / BUCKET] : 0;
      for (let k = BUCKET_LEVEL; k < LEVELS; k++) {   // blocks from `from` on: empty buckets, the levels above from their halves
        for (let j = from >> (k + 1); j < this.mins[k].length; j++) {
          const m = this.mins[k - 1], x = this.maxs[k - 1];
          this.mins[k][j] = k === BUCKET_LEVEL ? Infinity : Math.min(m[2 * j] ?? Infinity, m[2 * j + 1] ?? Infinity);
          this.maxs[k][j] = k === BUCKET_LEVEL ? -Infinity : Math.max(x[2 * j] ?? -Infinity, x[2 * j + 1] ?? -Infinity);
        }
      }
      for (const l of kept) this.push(l);
    }
    this.dev = dev;
  }

  /** A dev point; false when its loss cannot be drawn on a log scale. */
  addDev(step, loss) {
    const y = loss > 0 ? Math.log10(loss) : NaN;
    if (!Number.isFinite(y)) return false;
    this.dev.push({ step, y, loss });
    return true;
  }

  /** The first and the last finite batch loss of the recent window, or null. */
  firstLoss() { const l = this.losses(); for (let i = 0; i < l.length; i++) if (Number.isFinite(l[i])) return l[i]; return null; }
  lastLoss() { const l = this.losses(); for (let i = l.length - 1; i >= 0; i--) if (Number.isFinite(l[i])) return l[i]; return null; }

  /** Approximate min/max of log10(loss) over steps a..b-1: whole blocks of the coarsest level that still fit twice. */
  rangeMinMax(a, b) {
    let lo = Infinity, hi = -Infinity;
    const len = b - a;
    if (len < 4 && a >= this.from) {
      for (let i = a; i < b; i++) {
        const v = Math.log10(this.raw[i - this.from]);
        if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      }
      return [lo, hi];
    }
    let k = Math.min(LEVELS - 1, Math.max(0, Math.floor(Math.log2(len)) - 2));   // block = 2^(k+1) <= len/2
    const recent = a >= this.from && k < BUCKET_LEVEL;
    if (k < BUCKET_LEVEL && !recent) k = BUCKET_LEVEL;   // older steps: their buckets
    const shift = k + 1, base = recent ? this.from : 0;
    const mins = recent ? this.fine[k].mins : this.mins[k], maxs = recent ? this.fine[k].maxs : this.maxs[k];
    for (let j = (a - base) >> shift, last = (b - 1 - base) >> shift; j <= last; j++) {
      if (mins[j] < lo) lo = mins[j];
      if (maxs[j] > hi) hi = maxs[j];
    }
    return [lo, hi];
  }

  /** Σ log10(loss) and the count of finite losses before step i (interpolated inside a bucket older than the recent window). */
  prefix(i) {
    if (i >= this.from) return [this.sum[i - this.from], this.cnt[i - this.from]];
    const j = Math.floor(i / BUCKET), t = (i - j * BUCKET) / BUCKET;
    const s0 = this.bucketSum[j], c0 = this.bucketCnt[j];
    const s1 = (j + 1) * BUCKET <= this.from ? this.bucketSum[j + 1] : this.sum[(j + 1) * BUCKET - this.from];
    const c1 = (j + 1) * BUCKET <= this.from ? this.bucketCnt[j + 1] : this.cnt[(j + 1) * BUCKET - this.from];
    return [s0 + t * (s1 - s0), c0 + t * (c1 - c0)];
  }

  /** Mean of the finite log10(loss) values over steps a..b-1, or NaN. */
  windowMean(a, b) {
    a = Math.max(0, a);
    const [sa, ca] = this.prefix(a), [sb, cb] = this.prefix(b);
    return cb - ca > 0.5 ? (sb - sa) / (cb - ca) : NaN;
  }

  /** Bytes held in typed arrays (for the memory test: what a run of n steps costs). */
  bytes() {
    let b = this.raw.byteLength + this.sum.byteLength + this.cnt.byteLength + this.bucketSum.byteLength + this.bucketCnt.byteLength;
    for (const f of this.fine) b += f.mins.byteLength + f.maxs.byteLength;
    for (let k = BUCKET_LEVEL; k < LEVELS; k++) b += this.mins[k].byteLength + this.maxs[k].byteLength;
    return b;
  }
}
