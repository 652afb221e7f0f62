// One training run: a model training in its own engine (worker), and what the page knows about it:
// its settings as the worker accepted them, status, step, speed, its loss curve and dev points, the
// word list it trains on. It takes in the worker's messages first, then passes each on to whoever
// subscribed (the chart, the views, the runs table, the store), so they all read the same state.
// Several runs may exist at once, each with its own engine; the page shows one of them.
import { Curve } from './curve.js';

/** Steps per second over the last few seconds of progress, so that speed and ETA do not jump. */
const RATE_WINDOW_MS = 5000;

let lastId = 0;
/** A run id unique across tabs and reloads: the time it began and a random part. */
const newRunId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${++lastId}`;

export class Run {
  /** engine: an Engine (not started); id: a stored run's id, or none for a new one. */
  constructor(engine, id = newRunId()) {
    this.id = id;
    this.engine = engine;
    this.subscribers = new Set();
    this.words = null;              // {text, source, checksum: Promise<string>}: the list the worker has
    this.wordsSent = false;
    this.dataset = null;            // the worker's dataset message
    this.config = null;             // the settings of the model, as the worker accepted them (model.config)
    this.sentConfig = null;         // what 'configure' sent last (to send a change only once)
    this.params = null;
    this.layers = null;
    this.steps = 200000;
    this.freshModel(0);
    engine.listen(m => this.receive(m));
  }

  /** Calls fn(message, run) for every worker message, after the run has taken it in; returns a function that stops it. */
  subscribe(fn) {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Posts a message to this run's worker; false when it is not ready. */
  send(msg) { return this.engine.send(msg); }

  get ready() { return this.engine.ready; }
  get finished() { return this.step >= this.steps; }

  /** running, paused (trained some steps), finished, diverged, or idle (a fresh model). */
  get status() {
    if (this.running) return 'running';
    if (this.diverged) return 'diverged';
    if (this.step > 0 && this.finished) return 'finished';
    return this.step > 0 ? 'paused' : 'idle';
  }

  // ---------- commands (each a message of the protocol) ----------

  start() { if (this.send({ type: 'start' })) this.running = true; }
  pause() { if (this.running) this.send({ type: 'pause' }); }
  stepOnce() { this.send({ type: 'step' }); }
  reset() { this.send({ type: 'reset' }); }
  evaluate() { this.send({ type: 'evaluate' }); }
  exportModel() { this.send({ type: 'export' }); }
  snapshot() { return this.send({ type: 'snapshot' }); }
  inspect(layer) { this.send({ type: 'inspect', layer }); }
  sample(count, seed) { return this.send({ type: 'sample', count, seed }); }
  preset(name) { return this.send({ type: 'preset', name }); }
  importModel(json) { return this.send({ type: 'import', json }); }

  configure(config) {
    this.send({ type: 'configure', config });
    this.sentConfig = config;
  }

  /** A word list for this run: the worker splits it and builds a fresh model on it. */
  useWords(text, source, checksum) {
    this.words = { text, source, checksum };
    this.send({ type: 'data', text });
    this.wordsSent = true;
  }

  /** A resumed run's curve, so that a later export carries the whole run (the worker keeps what follows the last gap). */
  sendHistory(losses, devSteps, devLosses) {
    let k = losses.length;
    while (k > 0 && Number.isFinite(losses[k - 1])) k--;
    this.send({ type: 'history', losses: losses.slice(k), devSteps: devSteps.slice(), devLosses: devLosses.slice() });
  }

  /** A curve that came from elsewhere (a model file, the store): losses of steps from+1.., dev points. */
  restoreCurve(from, losses, devSteps, devLosses) {
    this.curve.append(from, losses);
    this.curve.dev = [];
    const n = Math.min(devSteps.length, devLosses.length);
    for (let i = 0; i < n; i++) this.curve.addDev(devSteps[i], devLosses[i]);
    this.devPoints = n;
    this.lastDev = n > 0 ? devLosses[n - 1] : null;
    this.firstLoss = this.curve.firstLoss();
    this.lastLoss = this.curve.lastLoss();
  }

  /** The worker died: a new engine is starting; everything it had is gone. */
  lost() {
    this.wordsSent = false;
    this.freshModel(0);
  }

  // ---------- the worker's messages ----------

  receive(m) {
    const take = m && TAKE[m.type];
    if (take) take.call(this, m);
    for (const fn of this.subscribers) fn(m, this);
  }

  /** A new model in the worker, trained for `step` steps already: a new curve, no readings yet. */
  freshModel(step) {
    Object.assign(this, { step, running: false, diverged: false, firstLoss: null, lastLoss: null,
      devPoints: 0, lastDev: null, lr: null, sps: 0, rateWindow: [], curve: new Curve() });
  }

  smoothedRate(m) {
    const now = performance.now(), w = this.rateWindow;
    if (!m.running || (w.length && m.step < w[w.length - 1].step)) { w.length = 0; return m.running ? m.stepsPerSecond : 0; }
    w.push({ t: now, step: m.step });
    while (w.length > 2 && now - w[1].t >= RATE_WINDOW_MS) w.shift();
    const first = w[0], span = now - first.t;
    // The first second: the worker's own quarter-second figure; then the window's average.
    return span < 1000 ? m.stepsPerSecond : ((m.step - first.step) * 1000) / span;
  }
}

/** What each message changes in the run (the subscribers see the run after it). */
const TAKE = {
  dataset(m) { this.dataset = m; },

  model(m) {
    this.config = { ...(m.config || {}) };
    this.sentConfig = this.config;
    this.params = m.params;
    this.layers = Array.isArray(m.layers) ? m.layers : null;
    this.steps = this.config.steps || this.steps;
    this.freshModel(m.step || 0);
    this.lr = m.lr;
  },

  history(m) {
    const losses = m.losses instanceof Float32Array ? m.losses : new Float32Array(m.losses || []);
    this.restoreCurve(Math.max(0, (m.step || 0) - losses.length), losses, m.devSteps || [], m.devLosses || []);
  },

  progress(m) {
    const losses = m.losses || [];
    this.curve.append(m.from, losses);
    if (losses.length) {
      if (this.firstLoss === null) this.firstLoss = losses[0];
      this.lastLoss = losses[losses.length - 1];
    }
    Object.assign(this, { step: m.step, steps: m.steps, lr: m.lr, running: !!m.running });
    if (m.running) this.diverged = false;
    this.sps = this.smoothedRate(m);
  },

  dev(m) {
    if (this.curve.addDev(m.step, m.loss)) this.devPoints++;
    this.lastDev = m.loss;
  },

  losses(m) {
    if (this.devPoints === 0 && Number.isFinite(m.val) && this.curve.addDev(m.step, m.val)) {   // e.g. an imported model: its dev loss on the chart
      this.devPoints++;
      this.lastDev = m.val;
    }
  },

  done(m) { Object.assign(this, { step: m.step, running: false }); },
  paused(m) { Object.assign(this, { step: m.step, running: false }); },
  diverged() { Object.assign(this, { running: false, diverged: true }); },

  error(m) {
    if (m.during === 'configure') this.sentConfig = this.config;   // so the next change is sent again
    if (m.during === 'train' || m.during === 'start') { this.running = false; this.rateWindow = []; }   // the only errors that stop training
  },
};
