// The worker pool: several training runs at once, each in an engine (engine.js: a worker, with its
// fallback to JavaScript and its restart after a crash) of its own, the rest queued in the order they
// were asked for. A job is the protocol messages that set a run up (data, configure,
// preset …; see src/main/java/teagrad/web/Protocol.java) followed by 'start'; its promise gives what
// the worker reported by the run's end: the batch losses, the dev points, the eval-mode losses of
// every split and the tanh layers' saturation at the start and at the end. Workers are kept for the
// next job; a job that fails (or whose worker crashed) rejects its promise and leaves the pool working.

/** One worker per core but the page's own (it draws), at least one. */
export function defaultWorkers(cores = navigator.hardwareConcurrency || 2) {
  return Math.max(1, cores - 1);
}

/** The mean share of saturated tanh units over the layers of a diagnostics message (NaN without tanh layers). */
export function meanSaturation(diagnostics) {
  const tanh = (diagnostics && diagnostics.tanh) || [];
  return tanh.length ? tanh.reduce((s, t) => s + t.saturated, 0) / tanh.length : NaN;
}

export class WorkerPool {
  /** makeEngine(hooks): a new Engine (not started) of the kind the page runs; hooks {failed, crashed} as engine.js has them. */
  constructor(makeEngine, size = defaultWorkers()) {
    this.makeEngine = makeEngine;
    this.max = defaultWorkers();
    this.idle = [];          // engines ready for a job: {engine, text, job}
    this.busy = new Set();
    this.queue = [];         // {job, resolve, reject}
    this.booting = 0;
    this.defaults = null;    // the settings table's defaults, from the first worker's ready
    this.size = size;
  }

  get size() { return this.limit; }

  /** Workers running at once, 1 to hardwareConcurrency − 1; lowering it lets running jobs finish. */
  set size(n) {
    this.limit = Math.max(1, Math.min(this.max, Math.floor(Number(n)) || 1));
    while (this.idle.length + this.busy.size > this.limit && this.idle.length) this.idle.pop().engine.terminate();
    this.pump();
  }

  /** Jobs waiting for a worker. */
  get waiting() { return this.queue.length; }

  /**
   * Queues a job {messages(defaults), steps, command?, onProgress?(result)}; resolves with its result.
   * messages gets the settings table's defaults and returns what sets the worker up; command is the
   * message that then sets it going: 'start' (a training run) or 'lrfind' (the learning-rate finder,
   * whose curve arrives in result.lrfind).
   */
  run(job) {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  /** Drops the queued jobs and stops the running ones (their promises reject). */
  cancel() {
    for (const q of this.queue.splice(0)) q.reject(new Error('cancelled'));
    for (const slot of [...this.busy]) slot.finish(false, new Error('cancelled'));
  }

  pump() {
    while (this.queue.length && this.idle.length) this.assign(this.idle.pop(), this.queue.shift());
    while (this.queue.length > this.booting && this.busy.size + this.idle.length + this.booting < this.limit) this.boot();
  }

  /** A new engine; it joins the idle ones on its first 'ready'. */
  boot() {
    this.booting++;
    const slot = { engine: null, text: null, joined: false, finish: null };
    slot.engine = this.makeEngine({
      failed: message => {   // no build boots: the job it was started for cannot run; say so, not hang
        this.booting--;
        const q = this.queue.shift();
        if (q) q.reject(new Error(`the training engine did not start: ${message}`));
        this.pump();
      },
      crashed: message => {  // the engine restarts on nothing: the job is lost, the slot knows no words
        slot.text = null;
        if (slot.finish) slot.finish(false, new Error(`the worker crashed (${message})`), true);
      },
    });
    slot.engine.listen(m => {
      if (m.type === 'ready' && !slot.joined) {
        slot.joined = true;
        this.booting--;
        this.defaults = this.defaults || m.defaults;
        this.idle.push(slot);
        this.pump();
      } else if (slot.onMessage) slot.onMessage(m);
    });
    slot.engine.start();
  }

  assign(slot, { job, resolve, reject }) {
    const r = {
      steps: job.steps || 0, losses: new Float32Array(job.steps || 0), count: 0, dev: [], final: null,
      saturationStart: NaN, saturationEnd: NaN, diverged: null, plane: null,
    };
    slot.finish = (ok, value, keep = ok) => {
      this.busy.delete(slot);
      slot.onMessage = slot.finish = null;
      if (keep && this.busy.size + this.idle.length < this.limit) this.idle.push(slot);
      else slot.engine.terminate();   // a failed run's worker state is unknown: the next job gets a fresh one
      if (ok) resolve(value); else reject(value);
      this.pump();
    };
    this.busy.add(slot);
    slot.onMessage = m => {
      switch (m.type) {
        case 'progress':
          if (m.losses) r.losses.set(m.losses.subarray(0, Math.max(0, Math.min(m.losses.length, r.steps - m.from))), m.from);
          r.count = m.step;
          if (job.onProgress) job.onProgress(r);
          break;
        case 'dev': r.dev.push([m.step, m.loss]); break;
        case 'diagnostics':
          if (m.step === 0) r.saturationStart = meanSaturation(m);
          r.saturationEnd = meanSaturation(m);
          r.plane = m.plane || null;
          break;
        case 'model': r.config = m.config; r.vocab = m.vocab; break;
        case 'losses': r.final = { train: m.train, val: m.val, test: m.test }; break;
        case 'done': slot.finish(true, r); break;
        case 'diverged': r.diverged = m.message; slot.finish(true, r); break;
        case 'lrfind':
          r.lrfind = m;
          if (job.onProgress) job.onProgress(r);
          if (m.done) slot.finish(true, r);
          break;
        case 'error': slot.finish(false, new Error(m.message)); break;
      }
    };
    for (const msg of job.messages(this.defaults || {})) {
      if (msg.type === 'data' && slot.text === msg.text) continue;   // the worker has these words already
      if (msg.type === 'data') slot.text = msg.text;
      slot.engine.send(msg);
    }
    slot.engine.send({ type: job.command || 'start' });
  }
}
