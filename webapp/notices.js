// The messages region under the chart (text only, newest first, at most two) and the status line.
// News fades after a while; warnings and errors stay until dismissed. Notices sit under the chart,
// so they never cover the curve, and the chart does not move when one comes or goes.
import { $ } from './dom.js';

const MAX_MESSAGES = 2, INFO_MS = 8000;

/** Shows `text` (kind: info, warn or error); returns its element, which a later outcome may remove. */
export function note(text, kind = 'info') {
  const box = $('messages');
  const div = document.createElement('div');
  div.className = `msg ${kind}`;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'dismiss';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Dismiss');
  close.addEventListener('click', () => div.remove());
  div.append(document.createTextNode(text), close);
  box.prepend(div);
  while (box.children.length > MAX_MESSAGES) box.lastElementChild.remove();
  if (kind === 'info') setTimeout(() => div.remove(), INFO_MS);
  return div;
}

/** The line above the buttons: what data is loaded, or why none is (missing: shown as a problem). */
export function setStatus(text, missing = false) {
  $('status').textContent = text;
  $('status').classList.toggle('missing', missing);
}
