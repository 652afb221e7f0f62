// The experiments section: the lecture's comparisons in one click each, run in a pool of workers
// beside the page's own run. "Run the whole loss log" trains the five presets and fills the table
// beside Karpathy's figures as each finishes; "Gain sweep" trains the deep net at each gain with and
// without batch norm and plots final and step-1,000 loss and tanh saturation against gain; "Find the
// learning rate" runs the finder on a fresh model of the page's settings and offers its suggestion;
// every run's curve is overlaid in one chart. The embedding view draws the page's own run's
// embedding table in the plane, live. The host page provides the engine, the words and the settings.
import { WorkerPool, defaultWorkers } from './pool.js';
import { LOSS_LOG, KARPATHY, SCHEDULES, runMessages, lossLogRuns, gainSweepRuns, gainText, lossAtStep1000, finalLoss } from './plans.js';
import { drawLines, drawPlane, COLORS } from './plots.js';
import { fmtInt } from '../format.js';

const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};
const fmt = x => (Number.isFinite(x) ? x.toFixed(4) : '—');

/** A curve of batch losses thinned to about 400 points (means of equal buckets), as [step, loss]. */
function thin(losses, count) {
  const bucket = Math.max(1, Math.ceil(count / 400)), pts = [];
  for (let i = 0; i < count; i += bucket) {
    let s = 0, n = 0;
    for (let j = i; j < Math.min(count, i + bucket); j++) { s += losses[j]; n++; }
    pts.push([i + n, s / n]);
  }
  return pts;
}

/**
 * host: {makeEngine(hooks) (engine.js), words(): Promise<string> (the panel's word list),
 * currentConfig(): config (the panel's run), vocab(): its characters, useLearningRate(lr)}; the page
 * passes its run's worker messages to message(m) of the object returned.
 */
export function mountExperiments(box, host) {
  const state = (window.teagradExperiments = { lossLog: {}, gainSweep: {}, lrFind: null, plane: null, running: 0, errors: [] });
  const pool = new WorkerPool(host.makeEngine);
  const curves = new Map();   // run label → result, for the overlaid chart

  const workers = el('input', { type: 'number', id: 'exp-workers', min: 1, max: pool.max, value: pool.size, step: 1 });
  workers.addEventListener('change', () => { pool.size = workers.value; workers.value = pool.size; });
  const schedule = el('select', { id: 'exp-steps' },
    ...SCHEDULES.map(s => el('option', { value: s, textContent: `${fmtInt(s)} steps${s === 200000 ? ' (the lecture’s)' : ''}` })));
  schedule.value = '5000';
  const seed = el('input', { type: 'number', id: 'exp-seed', min: 0, value: 42, step: 1 });
  const status = el('p', { id: 'exp-status', className: 'exp-status', role: 'status' });
  const lossLogButton = el('button', { type: 'button', textContent: 'Run the whole loss log' });
  const sweepButton = el('button', { type: 'button', textContent: 'Gain sweep' });
  const lrButton = el('button', { type: 'button', textContent: 'Find the learning rate' });
  const stopButton = el('button', { type: 'button', textContent: 'Stop the experiments' });
  const useLr = el('button', { type: 'button', id: 'exp-use-lr', hidden: true });

  const table = el('tbody');
  for (const p of LOSS_LOG) {
    table.append(el('tr', { id: `exp-row-${p}` }, el('th', { scope: 'row', textContent: p }),
      ...['first', 'train', 'val', 'test'].map(k => el('td', { className: `exp-${k}`, textContent: '—' })),
      el('td', { textContent: `${KARPATHY[p][0]} / ${KARPATHY[p][1]}` }), el('td', { className: 'exp-state', textContent: '' })));
  }
  const canvas = (id, label) => el('canvas', { id, className: 'exp-plot', width: 460, height: 220, role: 'img', ariaLabel: label });
  const curvesCanvas = canvas('exp-curves', 'batch loss of every experiment run against step');
  const gainLoss = canvas('exp-gain-loss', 'final and step-1,000 loss against gain');
  const gainSat = canvas('exp-gain-saturation', 'tanh saturation against gain');
  const lrCanvas = canvas('exp-lr', 'learning-rate finder: loss against learning rate');
  const planeCanvas = canvas('exp-plane', 'the embedding table in the plane');
  planeCanvas.height = 300;

  box.replaceChildren(
    el('div', { className: 'exp-controls' },
      el('label', {}, 'Workers at once ', workers, ` (this machine: ${navigator.hardwareConcurrency || '?'} cores)`),
      el('label', {}, ' Schedule ', schedule), el('label', {}, ' Seed ', seed)),
    el('div', { className: 'buttons' }, lossLogButton, sweepButton, lrButton, stopButton),
    status,
    el('h3', { textContent: 'The loss log' }),
    el('div', { className: 'scroll-x', role: 'group', ariaLabel: 'The loss log' }, el('table', { id: 'exp-loss-log' },
      el('thead', {}, el('tr', {}, ...['preset', 'first loss', 'train', 'val', 'test', 'Karpathy: train / val', 'status'].map(t => el('th', { scope: 'col', textContent: t })))),
      table)),
    el('h3', { textContent: 'Every run’s batch loss' }), curvesCanvas,
    el('h3', { textContent: 'The gain sweep (5 × 100 tanh layers)' }), gainLoss, gainSat,
    el('h3', { textContent: 'The learning-rate finder' }), lrCanvas, useLr,
    el('h3', { textContent: 'The embedding in the plane (the panel’s run, live)' }), planeCanvas);

  const say = text => { status.textContent = text; };
  let redrawing = false;   // the overlaid curves follow the runs, redrawn at most 4 times a second
  const redrawSoon = () => {
    if (redrawing) return;
    redrawing = true;
    setTimeout(() => { redrawing = false; drawCurves(); }, 250);
  };
  const drawCurves = () => drawLines(curvesCanvas, [...curves].map(([label, r]) => ({ label, points: thin(r.losses, r.count) })),
    { xLabel: 'step', yLabel: 'batch loss', legend: true, yRange: [1.8, 4] });

  /** Runs the plan's runs in the pool; onResult(run, result) as each finishes. */
  async function runAll(runs, onResult) {
    const text = await host.words();
    state.running += runs.length;
    say(`${runs.length} runs queued on ${pool.size} worker${pool.size === 1 ? '' : 's'} …`);
    await Promise.all(runs.map(run => pool.run({
      steps: run.steps, messages: defaults => runMessages(text, defaults, run),
      onProgress: r => { curves.set(run.label, r); redrawSoon(); },
    }).then(r => { onResult(run, r); }, e => { state.errors.push(`${run.label}: ${e.message}`); say(`${run.label}: ${e.message}`); })
      .finally(() => { state.running--; drawCurves(); })));
    if (!state.running) say('All runs finished.');
  }

  lossLogButton.addEventListener('click', () => {
    for (const p of LOSS_LOG) { state.lossLog[p] = null; curves.delete(p); document.querySelector(`#exp-row-${p} .exp-state`).textContent = 'queued'; }
    runAll(lossLogRuns(Number(schedule.value), Number(seed.value)), (run, r) => {
      const row = document.getElementById(`exp-row-${run.preset}`);
      const cells = { first: r.losses[0], train: finalLoss(r, 'train'), val: finalLoss(r, 'val'), test: finalLoss(r, 'test') };
      for (const [k, v] of Object.entries(cells)) row.querySelector(`.exp-${k}`).textContent = fmt(v);
      row.querySelector('.exp-state').textContent = r.diverged ? 'diverged' : `${fmtInt(r.count)} steps`;
      state.lossLog[run.preset] = { firstLoss: r.losses[0], ...r.final, steps: r.count, diverged: r.diverged };
    });
  });

  const drawSweep = () => {
    const series = (bn, pick, what) => ({
      label: `${bn ? 'BN' : 'no BN'}: ${what}`, dots: true,
      points: Object.values(state.gainSweep).filter(s => s.bn === bn).sort((a, b) => a.gain - b.gain).map(s => [s.gain, pick(s)]),
    });
    drawLines(gainLoss, [series(false, s => s.final, 'final'), series(false, s => s.at1000, 'step 1,000'),
      series(true, s => s.final, 'final'), series(true, s => s.at1000, 'step 1,000')], { xLabel: 'gain', yLabel: 'train loss', legend: true });
    drawLines(gainSat, [series(false, s => 100 * s.saturationStart, 'at init'), series(false, s => 100 * s.saturationEnd, 'at the end'),
      series(true, s => 100 * s.saturationStart, 'at init'), series(true, s => 100 * s.saturationEnd, 'at the end')],
    { xLabel: 'gain', yLabel: 'tanh saturated %', legend: true });
  };
  sweepButton.addEventListener('click', () => {
    state.gainSweep = {};
    drawSweep();
    runAll(gainSweepRuns(Number(schedule.value), Number(seed.value)), (run, r) => {
      state.gainSweep[run.key] = {
        bn: run.bn, gain: run.gain, final: finalLoss(r), at1000: lossAtStep1000(r),
        saturationStart: r.saturationStart, saturationEnd: r.saturationEnd, diverged: r.diverged,
      };
      drawSweep();
    });
  });

  lrButton.addEventListener('click', async () => {
    const text = await host.words();
    const config = { ...host.currentConfig() };
    delete config.preset;
    useLr.hidden = true;
    say('The learning-rate finder: 1,000 steps on a fresh model of the panel’s settings …');
    const drawLr = m => {
      const lrs = Array.from(m.lrs), points = (arr) => Array.from(arr).map((y, i) => [lrs[i], y]);
      drawLines(lrCanvas, [{ label: 'batch loss', points: points(m.losses), color: '#9ab' }, { label: 'smoothed', points: points(m.smoothed), color: COLORS[1] }],
        { xLabel: 'learning rate (log scale)', yLabel: 'loss', logX: true, legend: true,
          marker: m.minimum >= 0 ? { x: m.suggestion, label: `suggested ${Number(m.suggestion.toPrecision(2))}` } : null });
    };
    state.running++;
    try {
      const r = await pool.run({
        messages: defaults => [{ type: 'data', text }, { type: 'configure', config: { ...defaults, ...config } }],
        command: 'lrfind', onProgress: r => drawLr(r.lrfind),
      });
      const m = r.lrfind;
      drawLr(m);
      const lr = Number(m.suggestion.toPrecision(2));
      state.lrFind = { suggestion: m.suggestion, count: m.count, done: m.done, stopped: m.stopped || null };
      useLr.textContent = `Use lr = ${lr}`;
      useLr.hidden = !(lr > 0);
      useLr.onclick = () => host.useLearningRate(lr);
      say(`Suggested learning rate: ${lr} (half a decade below the smoothed curve's minimum${m.stopped ? '; ' + m.stopped : ''}).`);
    } catch (e) {
      state.errors.push(`lr finder: ${e.message}`);
      say(`The learning-rate finder failed: ${e.message}`);
    } finally {
      state.running--;
    }
  });

  stopButton.addEventListener('click', () => { pool.cancel(); say('Stopped.'); });

  drawCurves();
  drawSweep();
  drawLines(lrCanvas, [], { empty: 'press “Find the learning rate”' });
  drawPlane(planeCanvas, null, []);

  /** The page's run: its vocabulary (model message) and, live, its embedding plane (diagnostics). */
  let vocab = Array.from(String((host.vocab && host.vocab()) || ''));
  return {
    pool,
    message(m) {
      if (m.type === 'model' || m.type === 'dataset') vocab = Array.from(String(m.vocab || ''));
      if (m.type === 'diagnostics' && m.plane) {
        state.plane = { points: m.plane.x.length, projected: m.plane.projected };
        drawPlane(planeCanvas, m.plane, vocab);
      }
    },
  };
}

export { defaultWorkers, gainText };
