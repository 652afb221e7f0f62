// The worker pool: several training runs at once, each in a worker of its own, the rest queued in
// the order they were asked for. A job is the protocol messages that set a run up (data, configure,
// preset …; see src/main/java/teagrad/web/Protocol.java) followed by 'start'; its promise gives what
// the worker reported by the run's end: the batch losses, the dev points, the eval-mode losses of
// every split and the tanh layers' saturation at the start and at the end. Workers are kept for the
// next job; a job that fails rejects its promise and leaves the pool working.

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
  /** makeWorker(): a new Worker speaking the protocol (the engine the page runs). */
  constructor(makeWorker, size = defaultWorkers()) {
    this.makeWorker = makeWorker;
    this.max = defaultWorkers();
    this.size = size;
    this.idle = [];          // workers ready for a job: {worker, text}
    this.busy = new Set();
    this.queue = [];         // {job, resolve, reject}
    this.booting = 0;
  }

  get size() { return this.limit; }

  /** Workers running at once, 1 to hardwareConcurrency − 1; lowering it lets running jobs finish. */
  set size(n) {
    this.limit = Math.max(1, Math.min(this.max, Math.floor(Number(n)) || 1));
    while (this.idle.length + this.busy.size > this.limit && this.idle.length) this.idle.pop().worker.terminate();
    this.pump();
  }

  /** Jobs waiting for a worker. */
  get waiting() { return this.queue.length; }

  /**
   * Queues a job {messages, steps, command?, onProgress?(result)}; resolves with its result. command is
   * the message that sets the worker going once set up: 'start' (a training run) or 'lrfind' (the
   * learning-rate finder, whose curve arrives in result.lrfind).
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
    for (const b of this.busy) b.cancel();
  }

  pump() {
    while (this.queue.length && this.idle.length) this.assign(this.idle.pop(), this.queue.shift());
    while (this.queue.length > this.booting && this.busy.size + this.idle.length + this.booting < this.limit) this.boot();
  }

  /** A new worker; it joins the idle ones on 'ready'. */
  boot() {
    this.booting++;
    let worker;
    const failed = message => {
      this.booting--;
      if (worker) worker.terminate();
      const q = this.queue.shift();   // the job it was started for cannot run: say so, not hang
      if (q) q.reject(new Error(`the training engine did not start: ${message}`));
      this.pump();
    };
    try {
      worker = this.makeWorker();
    } catch (e) {
      failed(String((e && e.message) || e));
      return;
    }
    worker.onmessage = e => {
      const m = e.data || {};
      if (m.type === 'ready') {
        this.booting--;
        this.defaults = m.defaults;
        this.idle.push({ worker, text: null });
        this.pump();
      } else if (m.type === 'error') failed(m.message);
    };
    worker.onerror = e => { e.preventDefault(); failed(e.message || 'the worker crashed'); };
  }

  assign(slot, { job, resolve, reject }) {
    const { worker } = slot;
    const r = {
      steps: job.steps || 0, losses: new Float32Array(job.steps || 0), count: 0, dev: [], final: null,
      saturationStart: NaN, saturationEnd: NaN, diverged: null, plane: null,
    };
    const entry = {};
    const finish = (ok, value) => {
      this.busy.delete(entry);
      worker.onmessage = null;
      if (ok) {
        if (this.busy.size + this.idle.length < this.limit) this.idle.push(slot);
        else worker.terminate();
        resolve(value);
      } else {
        worker.terminate();   // its state is unknown: the next job gets a fresh worker
        reject(value);
      }
      this.pump();
    };
    entry.cancel = () => finish(false, new Error('cancelled'));
    worker.onerror = e => { e.preventDefault(); finish(false, new Error(e.message || 'the worker crashed')); };
    this.busy.add(entry);
    worker.onmessage = e => {
      const m = e.data || {};
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
        case 'done': finish(true, r); break;
        case 'lrfind':
          r.lrfind = m;
          if (job.onProgress) job.onProgress(r);
          if (m.done) finish(true, r);
          break;
        case 'diverged': r.diverged = m.message; finish(true, r); break;
        case 'error': finish(false, new Error(m.message)); break;
      }
    };
    for (const msg of job.messages) {
      if (msg.type === 'data' && slot.text === msg.text) continue;   // the worker has these words already
      if (msg.type === 'data') slot.text = msg.text;
      worker.postMessage(msg);
    }
    worker.postMessage({ type: job.command || 'start' });
  }
}
