'use strict';
// teagrad page: the settings form, its checks and the URL hash that keeps them (app.js uses them).

const $ = id => document.getElementById(id);
const INT_MAX = 2147483647;
const SEED_MAX = 2 ** 53;

// ---------- settings: one row per hyperparameter (hash key, protocol key, rule, default) ----------
// The maxima here are only a fallback until the worker's 'ready' brings Config's own (see ready).

const FIELDS = [
  { key: 'embed',  cfg: 'embedDim',    type: 'int',  min: 1, max: 64,       def: 10 },
  { key: 'block',  cfg: 'blockSize',   type: 'int',  min: 1, max: 16,       def: 3 },
  { key: 'widths', cfg: 'widths',      type: 'list', min: 1, max: 1024, maxLen: 10, def: [200] },
  { key: 'gain',   cfg: 'initGain',    type: 'num',  min: 0, max: 100, openMin: true, fraction: true, def: 5 / 3 },
  { key: 'bs',     cfg: 'batchSize',   type: 'int',  min: 1, max: 4096,     def: 32 },
  { key: 'lr',     cfg: 'lr',          type: 'num',  min: 0, max: 10, openMin: true, def: 0.1 },
  { key: 'decay',  cfg: 'lrDecayStep', type: 'int',  min: 0, max: INT_MAX,  def: 100000, note: ' (0 = never)' },
  { key: 'steps',  cfg: 'steps',       type: 'int',  min: 1, max: 10000000, def: 200000 },
  { key: 'seed',   cfg: 'seed',        type: 'int',  min: 0, max: SEED_MAX, def: 42 },
  { key: 'bn',     cfg: 'batchNorm',   type: 'bool', def: true },
  { key: 'mom',    cfg: 'momentum',    type: 'num',  min: 0, max: 1,        def: 0.001 },
  { key: 'every',  cfg: 'evalEvery',   type: 'int',  min: 1, max: INT_MAX,  def: 5000 },
];
const input = f => $('cfg-' + f.key);
/** The settings a preset keeps; changing any other field turns the network into a "custom" one. */
const KEPT_BY_PRESET = ['steps', 'seed', 'batchSize', 'lr', 'lrDecayStep', 'evalEvery'];

// ---------- validation ----------

/** Parse one raw value; returns {value} or {error} with a message that says what is allowed. */
function parseField(f, raw) {
  if (f.type === 'bool') {
    if (raw === true || raw === '1' || raw === 'true') return { value: true };
    if (raw === false || raw === '0' || raw === 'false') return { value: false };
    return { error: 'Use 1 (on) or 0 (off).' };
  }
  if (f.type === 'list') {
    const parts = String(raw).split(',').map(x => x.trim());
    const ok = parts.length >= 1 && parts.length <= f.maxLen && parts.every(x => /^\d+$/.test(x) && +x >= f.min && +x <= f.max);
    return ok ? { value: parts.map(Number) }
      : { error: `Enter 1 to ${f.maxLen} layer widths separated by commas, each from ${f.min} to ${fmtInt(f.max)} (e.g. 200 or 100,100,100,100,100).` };
  }
  let s = String(raw).trim();
  if (f.fraction) {                                 // "5/3", the lecture's gain for tanh
    const q = /^(\d+\.?\d*)\s*\/\s*(\d+\.?\d*)$/.exec(s);
    if (q && Number(q[2]) > 0) s = String(Number(q[1]) / Number(q[2]));
  }
  const range = f.type === 'int'
    ? `a whole number from ${fmtInt(f.min)} to ${fmtInt(f.max)}${f.note || ''}`
    : `a number ${f.openMin ? 'above' : 'from'} ${f.min} ${f.openMin ? 'and at most' : 'to'} ${f.max}${f.fraction ? ' (or a fraction such as 5/3)' : ''}`;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return { error: `Enter ${range}.` };
  const v = Number(s);
  const bad = !Number.isFinite(v) || (f.type === 'int' && !Number.isInteger(v)) ||
    (f.openMin ? v <= f.min : v < f.min) || v > f.max;
  return bad ? { error: `Enter ${range}.` } : { value: v };
}

/** Read and check every field; shows per-field messages; returns {ok, config}. */
function validateForm() {
  const config = {}, errors = {};
  for (const f of FIELDS) {
    const raw = f.type === 'bool' ? input(f).checked : input(f).value;
    const r = parseField(f, raw);
    if (r.error) errors[f.key] = r.error; else config[f.cfg] = r.value;
  }
  if (S.bnHashError) errors.bn = S.bnHashError;
  if (config.batchSize === 1 && config.batchNorm) {
    errors.bs = 'Batch norm in training needs more than one example per batch';
  }
  for (const f of FIELDS) {
    $('err-' + f.key).textContent = errors[f.key] || '';
    input(f).setAttribute('aria-invalid', errors[f.key] ? 'true' : 'false');
  }
  return { ok: Object.keys(errors).length === 0, config, errors };
}

/** Refuse to act on invalid settings, saying which ones and why. */
function requireValidForm() {
  const { ok, errors } = validateForm();
  if (ok) return true;
  const list = FIELDS.filter(f => errors[f.key])
    .map(f => `${input(f).labels[0].textContent.trim()}: ${errors[f.key].replace(/\.$/, '')}`);
  note(`Fix the highlighted settings first (${list.join('; ')}).`, 'warn');
  return false;
}

/** b is what the worker reported; a field it does not report (initGain, from the v1 worker) is not compared. */
const sameConfig = (a, b) => !!a && !!b && FIELDS.every(f => !(f.cfg in b) || clean(a[f.cfg]) === clean(b[f.cfg]));

function fillForm(config) {
  for (const f of FIELDS) {
    if (!(f.cfg in config)) continue;
    if (f.type === 'bool') input(f).checked = !!config[f.cfg];
    else input(f).value = shown(f, config[f.cfg]);
  }
  S.bnHashError = null;
}

/**
 * What 'configure' sends: the worker's last model.config (so fields the page does not know survive),
 * the form's fields over it, and preset "custom" once the network differs from the preset's.
 */
function configToSend(form) {
  const base = S.acceptedConfig || {};
  const config = { ...base, ...form };
  const changed = FIELDS.some(f => !KEPT_BY_PRESET.includes(f.cfg) && f.cfg in base && clean(base[f.cfg]) !== clean(form[f.cfg]));
  if (changed) config.preset = 'custom';
  return config;
}

// ---------- URL hash: #embed=10&block=3&...; missing keys mean defaults ----------

/** Load settings from the hash into the form; false when the hash is not a settings hash. */
function loadHash() {
  const h = location.hash.slice(1);
  if (!h.includes('=')) return false;
  const p = new URLSearchParams(h);
  S.bnHashError = null;
  if (!p.has('widths') && p.has('hidden')) p.set('widths', p.get('hidden'));   // links from before widths
  const preset = p.get('preset');
  S.hashPreset = preset && preset !== 'custom' && S.presets.some(x => x.name === preset) ? preset : null;
  for (const f of FIELDS) {
    const raw = p.has(f.key) ? p.get(f.key) : shown(f, f.def);
    if (f.type !== 'bool') { input(f).value = raw; continue; }
    const r = parseField(f, raw);
    input(f).checked = r.error ? f.def : r.value;
    if (r.error) S.bnHashError = `The link says bn=${raw}. Use 1 (on) or 0 (off).`;
  }
  return true;
}

/** Put the settings into the URL, unless they are all defaults and the URL has none yet. */
function writeHash(config) {
  const preset = config.preset && config.preset !== 'custom' ? config.preset : S.hashPreset;
  const isDefault = FIELDS.every(f => clean(config[f.cfg]) === clean(f.def)) && (!preset || preset === 'batchnorm');
  if (isDefault && !S.hash && !location.hash.includes('=')) return;
  const p = new URLSearchParams();
  for (const f of FIELDS) p.set(f.key, f.type === 'bool' ? (config[f.cfg] ? '1' : '0') : shown(f, config[f.cfg]));
  if (preset) p.set('preset', preset);
  S.hash = p.toString().replace(/%2C/g, ',').replace(/%2F/g, '/');
  if (location.hash.slice(1) !== S.hash) history.replaceState(null, '', '#' + S.hash);
}

function onHashChange() {
  if (!location.hash.includes('=')) {          // an in-page anchor: put the settings back afterwards
    if (S.hash) history.replaceState(null, '', '#' + S.hash);
    return;
  }
  loadHash();
  const { ok, config } = validateForm();
  if (!ok) { note('The settings in the link are not valid; see the highlighted fields.', 'warn'); return; }
  writeHash(config);
  if (applySettings({ pauseFirst: true })) note('Settings from the link applied: fresh model.');
  sendHashPreset();
}

/** A preset named in the link: the worker builds it once it has the data. */
function sendHashPreset() {
  if (!S.hashPreset || !S.ready || !S.dataSent) return;
  const name = S.hashPreset;
  S.hashPreset = null;
  onPreset(name);
}

/** One click: the worker replaces network and init by the preset (training settings are kept). */
function onPreset(name) {
  if (!S.ready || !S.dataSent) return;
  if (S.running) post({ type: 'pause' });
  saveBeforeReplace();
  if (post({ type: 'preset', name })) S.presetPending = name;
}
