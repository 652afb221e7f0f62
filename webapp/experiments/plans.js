// The lecture's experiments as lists of runs for the worker pool: the five-row loss log and the gain
// sweep on the deep network. Each run is the messages that set a worker up as the CLI would:
// every setting at its default, the schedule and seed chosen here, then the preset (the network and
// its init), so a row equals `train --preset NAME --steps N --seed S` bit for bit on the WASM engine.

/** The loss log's rows, naive init to batch norm (Presets in the core). */
export const LOSS_LOG = ['naive-init', 'small-logits', 'no-saturation', 'kaiming', 'batchnorm'];

/** Karpathy's train / val losses for those rows, as the lecture reports them (200k steps). */
export const KARPATHY = {
  'naive-init': [2.1245, 2.1682],
  'small-logits': [2.07, 2.13],
  'no-saturation': [2.0356, 2.1027],
  'kaiming': [2.0377, 2.1070],
  'batchnorm': [2.0668, 2.1048],
};

/** The gains of the sweep: under 1 the activations shrink layer by layer, 5/3 is Kaiming's for tanh, 3 saturates. */
export const GAINS = [0.5, 1, 5 / 3, 2, 3];

/** The lecture's schedule, and the shortened ones offered. */
export const SCHEDULES = [200000, 20000, 5000, 1000];

/** Messages that make a worker's run: defaults, then steps and seed, then the preset, then any overrides. */
export function runMessages(text, defaults, { steps, seed, preset, overrides }) {
  const messages = [
    { type: 'data', text },
    { type: 'configure', config: { ...defaults, steps, seed, evalEvery: Math.min(defaults.evalEvery || 5000, steps) } },
  ];
  if (preset) messages.push({ type: 'preset', name: preset });
  if (overrides) messages.push({ type: 'configure', config: overrides });
  return messages;
}

/** The loss log: one run per row. */
export function lossLogRuns(steps, seed) {
  return LOSS_LOG.map(preset => ({ key: preset, label: preset, preset, steps, seed }));
}

/** The gain sweep: the deep net (5 × 100 tanh) at every gain, without and with batch norm. */
export function gainSweepRuns(steps, seed) {
  const runs = [];
  for (const bn of [false, true]) {
    for (const gain of GAINS) {
      runs.push({
        key: `${bn ? 'bn' : 'plain'}-${gain}`, label: `${bn ? 'BN' : 'no BN'}, gain ${gainText(gain)}`, bn, gain, steps, seed,
        preset: bn ? 'deep-batchnorm' : 'deep-gain1', overrides: { initGain: gain },
      });
    }
  }
  return runs;
}

export const gainText = g => (Math.abs(g - 5 / 3) < 1e-6 ? '5/3' : String(g));

/** The batch loss around step 1,000: the mean of steps 901 … 1,000 (one batch alone is noisy); NaN for a shorter run. */
export function lossAtStep1000(result) {
  if (result.count < 1000) return NaN;
  let s = 0;
  for (let i = 900; i < 1000; i++) s += result.losses[i];
  return s / 100;
}

/** The run's last eval-mode losses, or NaN for a run that diverged before the end. */
export function finalLoss(result, split = 'train') {
  return result.final ? result.final[split] : NaN;
}
