// The diagnostics scrubber: the worker keeps a snapshot of the views with each diagnostics message (at
// most 50 a run, spread over it, listed in every diagnostics message as `snapshots`), and the slider
// replays them: the lecture's plots at step 0, 1,000 and the end, or any kept step between. Away from
// its right end the views show the replayed step (message replay → diagnostics with replay: true) and
// ignore the live ones until the slider goes back or Live is pressed.

import { fmtInt as count } from '../format.js';

export class Scrubber {
  /** els: {range: input[type=range], label, live: button, satLayer: the views' select}; views: {replaying(on)}; run: {send, subscribe}. */
  constructor(els, run, views) {
    Object.assign(this, { els, run, views, steps: [], live: true, shown: null, pending: false, wanted: null });
    this.test = (window.teagradScrubber = { replays: 0, shown: null, live: true, kept: 0 });
    els.range.addEventListener('input', () => this.moved());
    els.live.addEventListener('click', () => this.goLive());
    // Another tanh layer for the saturation picture: the views ask the worker (inspect) first, then this
    // asks for the replayed step again, which the worker answers with that layer's picture as it was.
    els.satLayer.addEventListener('change', () => { if (!this.live && this.wanted !== null) this.ask(this.wanted); });
    run.subscribe(m => this.onMessage(m));
    this.render();
  }

  onMessage(m) {
    if (m.type === 'model') { this.steps = []; this.goLive(); }
    if (m.type === 'error' && m.during === 'replay') { this.pending = false; this.goLive(); }
    if (m.type !== 'diagnostics') return;
    if (Array.isArray(m.snapshots)) this.steps = m.snapshots.slice();
    this.test.kept = this.steps.length;
    if (m.replay) {
      this.pending = false;
      this.shown = m.step;
      this.test.replays++;
      this.test.shown = m.step;
      if (this.wanted !== null && this.wanted !== m.step && !this.live) this.ask(this.wanted);
    }
    this.render();
  }

  moved() {
    const i = Number(this.els.range.value), last = this.steps.length - 1;
    if (last < 0) return;
    if (i >= last) { this.goLive(); return; }
    this.live = false;
    this.views.replaying(true);
    this.wanted = this.steps[i];
    if (!this.pending) this.ask(this.wanted);
    this.render();
  }

  ask(step) {
    if (this.run.send({ type: 'replay', step })) this.pending = true;
  }

  goLive() {
    this.live = true;
    this.wanted = null;
    this.shown = null;
    this.views.replaying(false);
    this.render();
  }

  render() {
    const { range, label, live } = this.els, n = this.steps.length;
    range.max = String(Math.max(0, n - 1));
    range.disabled = n < 2;
    if (this.live) range.value = String(Math.max(0, n - 1));
    else if (this.wanted !== null) range.value = String(Math.max(0, this.steps.indexOf(this.wanted)));
    live.disabled = this.live;
    this.test.live = this.live;
    label.textContent = n === 0 ? 'no steps kept yet'
      : this.live ? `live · ${n} step${n === 1 ? '' : 's'} kept to replay`
      : `step ${count(this.shown ?? this.wanted)} (replay, ${this.steps.indexOf(this.wanted) + 1} of ${n})`;
  }
}
