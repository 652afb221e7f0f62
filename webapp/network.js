// The network the panel trains, as the worker describes it: one button per preset of the lecture
// (the worker's ready lists them) and the printed layer list. Text only.

/** One button per preset; `current` (a preset name) is marked pressed. */
export function renderPresets(box, presets, current, onPick) {
  box.replaceChildren(...presets.map(p => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'preset';
    b.dataset.preset = String(p.name);
    b.textContent = String(p.title || p.name);
    if (p.summary) b.title = String(p.summary);
    b.setAttribute('aria-pressed', p.name === current ? 'true' : 'false');
    b.addEventListener('click', () => onPick(String(p.name)));
    return b;
  }));
}

export function markPreset(box, current) {
  for (const b of box.querySelectorAll('button.preset')) b.setAttribute('aria-pressed', b.dataset.preset === current ? 'true' : 'false');
}

/** The network as micrograd / PyTorch print it, one layer a line, as text. */
export function renderLayers(pre, layers) {
  pre.textContent = Array.isArray(layers) && layers.length
    ? layers.map((l, i) => `(${i}):`.padEnd(String(layers.length - 1).length + 4) + String(l)).join('\n')
    : 'The layer list appears when the training engine describes its network.';
}
