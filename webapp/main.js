// teagrad's page, put together. Every part is a module with its own state, handed what it needs here.
//
// Seams for what comes next:
// - A run is `new Run(new Engine(kind, flags, hooks))` (run.js, engine.js): one worker, one model, its
//   curve and status. Several runs at once (a pool of workers) are several Run objects; the panel
//   shows the one in `panel.run`, whose engine boot.js starts before the page has drawn (it holds the
//   worker's messages until main() calls `engine.open(hooks)`).
// - A view of a run subscribes to its worker messages with `run.subscribe((message, run) => …)` (called
//   after the run has taken the message in, so `run.step`, `run.curve`, `run.config` are current) and
//   sends with `run.send({type, …})`; the messages are listed in src/main/java/teagrad/web/Protocol.java.
// - Sections of the live panel mount in `mountSections()` below: each gets its element and the run.
//   Drawing goes through onPanelFrame (frames.js), at most one frame per 100 ms for the whole panel.
// - Outside checks (tests, bench/) read window.teagradState, a read-only view defined in `expose()`.
import { $ } from './dom.js';
import { engine } from './boot.js';
import { Engine, pickEngine } from './engine.js';
import { Run } from './run.js';
import { LossChart } from './chart.js';
import { DiagnosticViews } from './views.js';
import { mountBatchNorm } from './batchnorm/index.js';
import { RunLog } from './runs-table.js';
import { SettingsForm } from './settings.js';
import { Keeper, SAVE_EVERY_MS } from './keep.js';
import { Ownership } from './ownership.js';
import { Panel } from './panel.js';
import { renderPresets, renderLayers } from './network.js';
import { note, setStatus } from './notices.js';
import { wireLayout } from './layout.js';
import { fetchNames } from './wordlist.js';
import { mountExperiments } from './experiments/panel.js';

const query = new URLSearchParams(location.search);
const BENCH = query.has('bench');                  // bench/: timing hooks and messages

/**
 * A task boundary: the page mounts its sections in several short tasks instead of one long one, so that
 * the browser paints and answers input between them (a phone, Lighthouse's mobile run). The engine holds
 * the worker's messages until every section listens (engine.open() in main()).
 */
const nextTask = () => new Promise(resolve => setTimeout(resolve, 0));

/** The panel's parts for one run: the chart, the views, the runs table, the form, the store. */
async function mountSections(run) {
  const chart = new LossChart($('chart'));
  const views = new DiagnosticViews({
    act: $('view-act'), grad: $('view-grad'), sat: $('view-sat'), ratio: $('view-ratio'),
    actLegend: $('legend-act'), gradLegend: $('legend-grad'), ratioLegend: $('legend-ratio'),
    satLayer: $('sat-layer'), satNote: $('sat-note'),
  }, layer => run.inspect(layer));
  await nextTask();
  mountBatchNorm(run, views);   // the replay slider, the statistics panel, the coupling explorer, the backward check
  await nextTask();
  let panel = null, keeper = null;
  const table = new RunLog({ body: $('runs-body'), table: $('runs-table-box'), empty: $('runs-empty'), csv: $('runs-csv'), json: $('runs-json'), clear: $('runs-clear') },
    chart, name => (panel.presets.find(p => p.name === name) || {}).title, {
      resume: id => keeper.resume(id), export: id => keeper.exportKept(id), delete: id => keeper.discard(id),
      forget: ids => ids.forEach(id => keeper.discard(id)),
    });
  const form = new SettingsForm(() => run.config);
  const ownership = new Ownership(() => keeper.refresh());
  keeper = new Keeper(run, table, ownership, {
    changed: () => panel.scheduleRender(),
    resumeRun: (rec, text, checksum) => panel.resumeRun(rec, text, checksum),
  });
  panel = new Panel({ run, chart, views, table, form, keeper });
  return panel;
}

/** The buttons, the form, the file inputs, drops anywhere on the panel, the address. */
function wire(panel) {
  const { run, keeper } = panel;
  $('start').addEventListener('click', () => panel.onStart());
  $('pause').addEventListener('click', () => run.pause());             // Start (labelled Continue) resumes
  $('step').addEventListener('click', () => panel.onStep());
  $('reset').addEventListener('click', () => panel.onReset());
  $('evaluate').addEventListener('click', () => run.evaluate());
  $('sample').addEventListener('click', () => panel.onSample());
  $('export').addEventListener('click', () => run.exportModel());
  $('resume-go').addEventListener('click', () => keeper.resume());
  $('resume-discard').addEventListener('click', () => keeper.discard());
  $('forget-words').addEventListener('click', () => keeper.forgetWords());
  setInterval(() => keeper.requestSave(false), SAVE_EVERY_MS);   // while training, or after Step clicks: only when the step changed
  // Leaving: the worker cannot answer in time, so the steps since its last snapshot go in with that model file.
  window.addEventListener('pagehide', () => keeper.saveNow());
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') { keeper.requestSave(false); keeper.saveNow(); } });

  const form = $('settings');
  form.addEventListener('input', () => panel.form.validate());
  form.addEventListener('change', e => {
    if (e.target.type === 'checkbox') delete panel.form.linkErrors[e.target.id.slice(4)];   // toggling fixes a bad bn= from a link
    panel.onSettingsChange();
  });
  form.addEventListener('submit', e => { e.preventDefault(); panel.onSettingsChange(); });

  $('wordlist-file').addEventListener('change', e => { panel.loadWordFile(e.target.files[0]); e.target.value = ''; });
  $('model-import').addEventListener('change', e => { panel.importModel(e.target.files[0]); e.target.value = ''; });

  // Drop a word list (or a model .json) anywhere on the panel.
  const live = $('live');
  const hasFiles = e => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  for (const type of ['dragenter', 'dragover']) {
    live.addEventListener(type, e => { if (hasFiles(e)) { e.preventDefault(); live.classList.add('dragging'); } });
  }
  live.addEventListener('dragleave', e => { if (!live.contains(e.relatedTarget)) live.classList.remove('dragging'); });
  live.addEventListener('drop', e => {
    e.preventDefault();
    live.classList.remove('dragging');
    const file = e.dataTransfer.files[0];
    if (file) panel.routeFile(file);
  });
  // A file dropped elsewhere would make the browser navigate away from the page.
  window.addEventListener('dragover', e => { if (hasFiles(e)) e.preventDefault(); });
  window.addEventListener('drop', e => { if (hasFiles(e)) e.preventDefault(); });
  window.addEventListener('hashchange', () => panel.onHashChange());
}

/**
 * The experiments section (experiments/): its own pool of engines of the kind the panel runs, on the
 * panel's word list and settings; the panel's run feeds its live embedding view, and the lr finder's
 * suggestion goes into the panel's form as if typed.
 */
function mountExperimentsSection(run) {
  const experiments = mountExperiments($('experiments-box'), {
    makeEngine: hooks => new Engine(run.engine.kind === 'js' ? 'js' : pickEngine(query), { simdOff: query.get('simd') === 'off' }, hooks),
    words: async () => (run.words ? run.words.text : fetchNames()),
    currentConfig: () => run.config || {},
    vocab: () => (run.dataset ? run.dataset.vocab : ''),
    useLearningRate: lr => {
      const field = $('cfg-lr');
      field.value = String(lr);
      field.dispatchEvent(new Event('input', { bubbles: true }));
      field.dispatchEvent(new Event('change', { bubbles: true }));
    },
  });
  run.subscribe(m => experiments.message(m));
}

/** What outside checks read: window.teagradState (read-only), the curve's losses, bench/'s hooks. */
function expose(panel) {
  const { run, chart, keeper } = panel;
  const state = {};
  const view = {
    step: () => run.step, running: () => run.running, devPoints: () => run.devPoints,
    lastLoss: () => run.lastLoss, firstLoss: () => run.firstLoss, simd: () => run.engine.simd,
    resumable: () => (keeper.resumable ? keeper.resumable.step : null), saves: () => keeper.saves,
    keptRuns: () => chart.kept.length,                                    // earlier runs on the chart
    firstStepAt: () => panel.bench.firstStepAt, devMs: () => panel.bench.devMs,   // bench/
    savedRuns: () => () => keeper.savedRuns(),                           // Promise<[{id, step, status}]>: every kept run
  };
  for (const [name, get] of Object.entries(view)) Object.defineProperty(state, name, { get, enumerable: true });
  window.teagradState = Object.freeze(state);
  window.teagradLosses = () => run.curve.losses();   // every batch loss exactly as the worker sent it (float32)
  if (BENCH) {
    window.teagradBaseline = ms => panel.askBench('baseline', { type: 'baseline', ms });     // the naive-kernel yardstick, in this worker
    window.teagradProfile = reps => panel.askBench('profile', { type: 'profile', reps });    // a step's time op by op, in this worker
    window.teagradKernels = (cases, seed) => panel.askBench('kernels', { type: 'kernels', cases, seed });   // SIMD products vs float[], bit for bit
  }
}

async function main() {
  let panel = null;
  const run = new Run(engine);                    // started by boot.js, holding what its worker said so far
  panel = await mountSections(run);
  renderPresets($('presets'), [], null, () => {});
  renderLayers($('net-layers'), null);
  wire(panel);
  await nextTask();
  mountExperimentsSection(run);
  await nextTask();
  wireLayout();                                   // after every section is in place: it watches their scroll boxes
  expose(panel);
  setStatus('Starting the training engine …');
  panel.render();
  engine.open({
    fellBack: message => note(`The WebAssembly GC engine did not start (${message}). Switched to the JavaScript engine.`, 'warn'),
    failed: message => panel.engineFailed(message),
    crashed: message => panel.engineCrashed(message),
  });
  panel.loadDefaultWords(fetchNames());   // the worker downloaded it (boot.js): this request revalidates it
  panel.keeper.offer();
}

main();
