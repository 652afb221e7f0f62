// The settings form, built from the worker's table of settings (teagrad.model.Settings, sent in
// 'ready'), and its checks. The labels, the ranges in words and the error texts are the table's, the
// same the CLI's `train --help` shows.
import { $ } from './dom.js';
import { clean, shown } from './format.js';
import { note } from './notices.js';

const inRange = (f, v) => (f.minOpen ? v > f.min : v >= f.min) && (f.maxOpen ? v < f.max : v <= f.max);

/** Parse one raw value of setting f; returns {value}, or {error} with the table's text of what the value must be. */
export function parseField(f, raw) {
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

export class SettingsForm {
  /** accepted(): the settings of the worker's current model (model.config), or null before the first. */
  constructor(accepted) {
    this.accepted = accepted;
    this.fields = [];               // the settings the form shows, in the table's order: {name, kind, label, hash, range, error, min, max, …, def}
    this.settings = {};             // every setting of the table by name (the seed's range also checks the sample seed)
    this.rules = [];
    this.linkErrors = {};           // hash key → what was wrong with it in the link
  }

  get built() { return this.fields.length > 0; }

  input(f) { return $('cfg-' + f.hash); }

  /** Builds the fields from ready's table: a label, the input, the range in words, a line for errors. */
  build(table, defaults, rules) {
    for (const s of table) this.settings[s.name] = { ...s, def: defaults[s.name] };
    this.fields = table.filter(s => s.form && s.hash).map(s => this.settings[s.name]);
    this.rules = Array.isArray(rules) ? rules : [];
    const box = $('settings-fields');
    box.replaceChildren(box.querySelector('legend'), ...this.fields.map(fieldElement));
  }

  /** Read and check every field; shows per-field messages; returns {ok, config, errors}. */
  validate() {
    const config = {}, errors = {};
    for (const f of this.fields) {
      const raw = f.kind === 'bool' ? this.input(f).checked : this.input(f).value;
      const r = parseField(f, raw);
      if (r.error) errors[f.hash] = r.error; else config[f.name] = r.value;
    }
    Object.assign(errors, this.linkErrors);
    // The table's rules between settings (batch norm needs batches of 2), over the worker's settings the form lacks.
    const all = { ...(this.accepted() || {}), ...config };
    for (const r of this.rules) {
      const f = this.settings[r.setting];
      if (f && f.hash && !errors[f.hash] && r.when.some(k => all[k] === true) && all[r.setting] < r.min) errors[f.hash] = r.error;
    }
    for (const f of this.fields) {
      $('err-' + f.hash).textContent = errors[f.hash] || '';
      this.input(f).setAttribute('aria-invalid', errors[f.hash] ? 'true' : 'false');
    }
    return { ok: Object.keys(errors).length === 0, config, errors };
  }

  /** Refuse to act on invalid settings, saying which ones and why. */
  requireValid() {
    const { ok, errors } = this.validate();
    if (ok) return true;
    const list = this.fields.filter(f => errors[f.hash]).map(f => `${f.label}: ${errors[f.hash]}`);
    note(`Fix the highlighted settings first (${list.join('; ')}).`, 'warn');
    return false;
  }

  /** b is what the worker reported; a setting it does not report is not compared. */
  same(a, b) { return !!a && !!b && this.fields.every(f => !(f.name in b) || clean(a[f.name]) === clean(b[f.name])); }

  /** Whether config has every shown setting at its default. */
  isDefault(config) { return this.fields.every(f => clean(config[f.name]) === clean(f.def)); }

  fill(config) {
    for (const f of this.fields) {
      if (!(f.name in config)) continue;
      if (f.kind === 'bool') this.input(f).checked = !!config[f.name];
      else this.input(f).value = shown(f, config[f.name]);
    }
    this.linkErrors = {};
  }

  /**
   * What 'configure' sends: the worker's last model.config (so settings the form does not show survive),
   * the form's fields over it, and preset "custom" once a setting a preset sets differs from it.
   */
  toSend(form) {
    const base = this.accepted() || {};
    const config = { ...base, ...form };
    const changed = this.fields.some(f => f.preset && f.name in base && clean(base[f.name]) !== clean(form[f.name]));
    if (changed) config.preset = 'custom';
    return config;
  }
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
