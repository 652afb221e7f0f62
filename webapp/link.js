// The settings in the page's address: #embed=10&block=3&…&preset=kaiming. Missing keys mean defaults;
// a shared link opens the panel with the same settings. In-page anchors (#inside) leave them alone.
import { shown } from './format.js';
import { parseField } from './settings.js';

export class SettingsLink {
  /** form: the SettingsForm whose fields the link keeps. */
  constructor(form) {
    this.form = form;
    this.hash = '';                  // the settings part as last written
    this.preset = null;              // a preset named in the link, until it is built
  }

  /** Whether the address holds settings (not an in-page anchor). */
  static present() { return location.hash.includes('='); }

  /** Load settings from the hash into the form; false when the hash is not a settings hash. */
  load(presets) {
    const h = location.hash.slice(1), form = this.form;
    if (!h.includes('=') || !form.built) return false;
    const p = new URLSearchParams(h);
    form.linkErrors = {};
    if (!p.has('widths') && p.has('hidden')) p.set('widths', p.get('hidden'));   // links from before widths
    const preset = p.get('preset');
    this.preset = preset && preset !== 'custom' && presets.some(x => x.name === preset) ? preset : null;
    for (const f of form.fields) {
      const raw = p.has(f.hash) ? p.get(f.hash) : shown(f, f.def);
      if (f.kind !== 'bool') { form.input(f).value = raw; continue; }
      const r = parseField(f, raw);
      form.input(f).checked = r.error ? !!f.def : r.value;
      if (r.error) form.linkErrors[f.hash] = `The link says ${f.hash}=${raw}: ${f.label} ${r.error}.`;
    }
    return true;
  }

  /** Put the settings into the URL, unless they are all defaults and the URL has none yet. */
  write(config) {
    const form = this.form;
    const preset = config.preset && config.preset !== 'custom' ? config.preset : this.preset;
    const isDefault = form.isDefault(config) && (!preset || preset === 'batchnorm');
    if (isDefault && !this.hash && !SettingsLink.present()) return;
    const p = new URLSearchParams();
    for (const f of form.fields) p.set(f.hash, f.kind === 'bool' ? (config[f.name] ? '1' : '0') : shown(f, config[f.name]));
    if (preset) p.set('preset', preset);
    this.hash = p.toString().replace(/%2C/g, ',').replace(/%2F/g, '/');
    if (location.hash.slice(1) !== this.hash) history.replaceState(null, '', '#' + this.hash);
  }

  /** After an in-page anchor was followed: the settings back into the address. */
  restore() {
    if (this.hash) history.replaceState(null, '', '#' + this.hash);
  }

  /** The preset the link named, once (the worker builds it when it has the data). */
  takePreset() {
    const name = this.preset;
    this.preset = null;
    return name;
  }
}
