// The batch-norm chapter's interactive parts, mounted on one run: the views' scrubber, the batch-norm
// statistics panel (in the live panel), the coupling explorer and the backward check (in the chapter).
// run: {send(msg) → bool, subscribe(fn(message))}: the page's handle on its training engine.
// views: the diagnostics views, which the scrubber holds on an earlier step (views.replaying(on)).
import { BatchNormStatsPanel } from './stats.js';
import { CouplingExplorer } from './coupling.js';
import { BackwardCheckTable } from './check.js';
import { Scrubber } from './scrubber.js';

const $ = id => document.getElementById(id);

export function mountBatchNorm(run, views) {
  return {
    scrubber: new Scrubber({ range: $('scrub-range'), label: $('scrub-label'), live: $('scrub-live'), satLayer: $('sat-layer') }, run, views),
    stats: new BatchNormStatsPanel({
      section: $('bn-stats'), layer: $('bn-layer'), unit: $('bn-unit'), biased: $('bn-biased'),
      mean: $('bn-mean'), std: $('bn-std'), units: $('bn-units'), note: $('bn-note'), devAt: $('bn-dev-at'),
      dev: { running: $('bn-dev-running'), runningOther: $('bn-dev-other'), biasedDiff: $('bn-dev-diff'), calibrated: $('bn-dev-calibrated'),
        batch: $('bn-dev-batch'), runningLabel: $('bn-dev-running-label'), otherLabel: $('bn-dev-other-label') },
    }, run),
    coupling: new CouplingExplorer({
      letters: $('cpl-letters'), next: $('cpl-next'), k: $('cpl-k'), explore: $('cpl-explore'), random: $('cpl-random'),
      acts: $('cpl-acts'), outs: $('cpl-outs'), error: $('cpl-error'), summary: $('cpl-summary'),
      cells: { trainAct: $('cpl-train-act'), evalAct: $('cpl-eval-act'), trainProb: $('cpl-train-prob'), evalProb: $('cpl-eval-prob'),
        trainLoss: $('cpl-train-loss'), evalLoss: $('cpl-eval-loss') },
    }, run),
    check: new BackwardCheckTable({
      run: $('check-run'), lecture: $('check-model'), mismatch: $('check-mismatch'), body: $('check-body'),
      summary: $('check-summary'), formula: $('check-formula'),
    }, run),
  };
}
