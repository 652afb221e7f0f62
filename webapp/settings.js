'use strict';
// teagrad page: the settings form, built from the worker's table of settings (teagrad.model.Settings,
// sent in 'ready'), its checks and the URL hash that keeps them (app.js uses them). The labels, the
// ranges in words and the error texts are the table's, the same the CLI's `train --help` shows.

const $ = id => document.getElementById(id);

/** The settings the form shows, in the table's order: {name, kind, label, hash, range, error, min, max, …, def}. */
let FIELDS = [];
/** Every setting of the table by name (the seed's range also checks the sample seed). */
let SETTINGS = {};
const input = f => $('cfg-' + f.hash);

// ---------- the form, from the table ----------

/** Builds the fields from ready's table: a label, the input, the range in words, a line for errors. */
function buildForm(table, defaults) {
  for (const s of table) SETTINGS[s.name] = { ...s, def: defaults[s.name] };
  FIELDS = table.filter(s => s.form && s.hash).map(s => SETTINGS[s.name]);
  const box = $('settings-fields');
  box.replaceChildren(box.querySelector('legend'), ...FIELDS.map(fieldElement));
}

function fieldElement(f) {
  const div = document.createElement('div');
  const box = document.createElement('input');
  const label = document.createElement('label');
  const err = document.createElement('span');
  box.id = 'cfg-' + f.hash;
  box.title = f.help;
  err.className = 'err';
  err.id = 'err-' + f.hash;
  if (f.kind === 'bool') {
    div.className = 'field check';
    box.type = 'checkbox';
    box.checked = !!f.def;
    box.setAttribute('aria-describedby', err.id);
    label.append(box, ' ' + f.label);
    div.append(label, err);
    return div;
  }
  const range = document.createElement('span');
  range.className = 'range';
  range.id = 'range-' + f.hash;
  range.textContent = f.range;
  div.className = f.kind === 'widths' ? 'field wide' : 'field';
  box.inputMode = f.kind === 'float' ? 'decimal' : f.kind === 'widths' ? 'text' : 'numeric';
  box.value = shown(f, f.def);
  box.setAttribute('aria-describedby', `${range.id} ${err.id}`);
  label.htmlFor = box.id;
  label.textContent = f.label;
  div.append(label, box, range, err);
  return div;
}

// ---------- validation: the table's bounds, the table's words ----------

const inRange = (f, v) => (f.minOpen ? v > f.min : v >= f.min) && (f.maxOpen ? v < f.max : v <= f.max);

/** Parse one raw value; returns {value}, or {error} with the table's text of what the value must be. */
function parseField(f, raw) {
  const refused = { error: f.error };
  if (f.kind === 'bool') {
    if ([true, '1', 'true', 'on'].includes(raw)) return { value: true };
    if ([false, '0', 'false', 'off'].includes(raw)) return { value: false };
    return refused;
  }
  if (f.kind === 'widths') {
    const parts = String(raw).split(',').map(x => x.trim());
    const ok = parts.length <= f.layers && parts.every(x => /^\d+$/.test(x) && inRange(f, Number(x)));
    return ok ? { value: parts.map(Number) } : refused;
  }
  const s = String(raw).trim();
  const fraction = /^(\d+\.?\d*|\.\d+)\s*\/\s*(\d+\.?\d*|\.\d+)$/.exec(s);   // 5/3, the lecture's gain for tanh
  let v;
  if (f.kind === 'float' && fraction) v = Number(fraction[1]) / Number(fraction[2]);
  else if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) v = Number(s);
  else return refused;
  // A float setting is kept as a float: 1e-50 is 0 there.
  const ok = f.kind === 'float' ? Number.isFinite(v) && inRange(f, Math.fround(v)) : Number.isInteger(v) && inRange(f, v);
  return ok ? { value: v } : refused;
}

/** Read and check every field; shows per-field messages; returns {ok, config, errors}. */
function validateForm() {
  const config = {}, errors = {};
  for (const f of FIELDS) {
    const raw = f.kind === 'bool' ? input(f).checked : input(f).value;
    const r = parseField(f, raw);
    if (r.error) errors[f.hash] = r.error; else config[f.name] = r.value;
  }
  Object.assign(errors, S.linkErrors);
  // The table's rules between settings (batch norm needs batches of 2), over the worker's settings the form lacks.
  const all = { ...(S.acceptedConfig || {}), ...config };
  for (const r of S.rules) {
    const f = SETTINGS[r.setting];
    if (f && f.hash && !errors[f.hash] && r.when.some(k => all[k] === true) && all[r.setting] < r.min) errors[f.hash] = r.error;
  }
  for (const f of FIELDS) {
    $('err-' + f.hash).textContent = errors[f.hash] || '';
    input(f).setAttribute('aria-invalid', errors[f.hash] ? 'true' : 'false');
  }
  return { ok: Object.keys(errors).length === 0, config, errors };
}

/** Refuse to act on invalid settings, saying which ones and why. */
function requireValidForm() {
  const { ok, errors } = validateForm();
  if (ok) return true;
  const list = FIELDS.filter(f => errors[f.hash]).map(f => `${f.label}: ${errors[f.hash]}`);
  note(`Fix the highlighted settings first (${list.join('; ')}).`, 'warn');
  return false;
}

/** b is what the worker reported; a setting it does not report is not compared. */
const sameConfig = (a, b) => !!a && !!b && FIELDS.every(f => !(f.name in b) || clean(a[f.name]) === clean(b[f.name]));

function fillForm(config) {
  for (const f of FIELDS) {
    if (!(f.name in config)) continue;
    if (f.kind === 'bool') input(f).checked = !!config[f.name];
    else input(f).value = shown(f, config[f.name]);
  }
  S.linkErrors = {};
}

/**
 * What 'configure' sends: the worker's last model.config (so settings the form does not show survive),
 * the form's fields over it, and preset "custom" once a setting a preset sets differs from it.
 */
function configToSend(form) {
  const base = S.acceptedConfig || {};
  const config = { ...base, ...form };
  const changed = FIELDS.some(f => f.preset && f.name in base && clean(base[f.name]) !== clean(form[f.name]));
  if (changed) config.preset = 'custom';
  return config;
}

// ---------- URL hash: #embed=10&block=3&...; missing keys mean defaults ----------

/** Load settings from the hash into the form; false when the hash is not a settings hash. */
function loadHash() {
  const h = location.hash.slice(1);
  if (!h.includes('=') || !FIELDS.length) return false;
  const p = new URLSearchParams(h);
  S.linkErrors = {};
  if (!p.has('widths') && p.has('hidden')) p.set('widths', p.get('hidden'));   // links from before widths
  const preset = p.get('preset');
  S.hashPreset = preset && preset !== 'custom' && S.presets.some(x => x.name === preset) ? preset : null;
  for (const f of FIELDS) {
    const raw = p.has(f.hash) ? p.get(f.hash) : shown(f, f.def);
    if (f.kind !== 'bool') { input(f).value = raw; continue; }
    const r = parseField(f, raw);
    input(f).checked = r.error ? !!f.def : r.value;
    if (r.error) S.linkErrors[f.hash] = `The link says ${f.hash}=${raw}: ${f.label} ${r.error}.`;
  }
  return true;
}

/** Put the settings into the URL, unless they are all defaults and the URL has none yet. */
function writeHash(config) {
  const preset = config.preset && config.preset !== 'custom' ? config.preset : S.hashPreset;
  const isDefault = FIELDS.every(f => clean(config[f.name]) === clean(f.def)) && (!preset || preset === 'batchnorm');
  if (isDefault && !S.hash && !location.hash.includes('=')) return;
  const p = new URLSearchParams();
  for (const f of FIELDS) p.set(f.hash, f.kind === 'bool' ? (config[f.name] ? '1' : '0') : shown(f, config[f.name]));
  if (preset) p.set('preset', preset);
  S.hash = p.toString().replace(/%2C/g, ',').replace(/%2F/g, '/');
  if (location.hash.slice(1) !== S.hash) history.replaceState(null, '', '#' + S.hash);
}

/** The form is built: the link's settings go into it (at load, before the first model). */
function applyLinkSettings() {
  if (!loadHash()) return;
  const { ok, config } = validateForm();
  if (ok) writeHash(config);
  else note('Some settings in the link are not valid; see the highlighted fields.', 'warn');
}

function onHashChange() {
  if (!location.hash.includes('=')) {          // an in-page anchor: put the settings back afterwards
    if (S.hash) history.replaceState(null, '', '#' + S.hash);
    return;
  }
  if (!loadHash()) return;
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
