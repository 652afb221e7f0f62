// What the layout does at every width. A link in the text that changes the live panel
// (a preset, one of the things to try) brings the panel into sight when it is not beside the text (on
// a narrow screen it is thousands of pixels further down), with a button back to the link. A box whose
// content is wider than the column (a formula, the runs table) scrolls, and takes keyboard focus while it does.
import { $ } from './dom.js';

const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Whether el is entirely inside the window. */
function inView(el) {
  const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight;
}

let linkedFrom = null;   // the chapter link that took the reader to the panel

/** After a settings link was followed: show the panel's top (buttons, progress, chart), where the change happens. */
function showPanelFor(link) {
  const live = $('live'), chart = $('chart');
  if (inView(chart)) return;
  const behavior = reducedMotion() ? 'auto' : 'smooth';
  if (getComputedStyle(live).position === 'sticky') {   // beside the text: only the panel scrolls, the text stays put
    live.scrollTo({ top: 0, behavior });
    return;
  }
  live.scrollIntoView({ block: 'start', behavior });
  live.focus({ preventScroll: true });              // the next Tab goes on in the panel
  linkedFrom = link;
  $('back-to-text').hidden = false;
}

function backToText() {
  $('back-to-text').hidden = true;
  if (!linkedFrom) return;
  linkedFrom.scrollIntoView({ block: 'center', behavior: reducedMotion() ? 'auto' : 'smooth' });
  linkedFrom.focus({ preventScroll: true });
  linkedFrom = null;
}

/** A scroll box is a Tab stop (so the arrow keys can scroll it) only while its content is wider than the box. */
function focusableWhileWide(boxes) {
  const check = box => {
    const wide = box.scrollWidth > box.clientWidth + 1;
    if (wide && box.tabIndex !== 0) box.tabIndex = 0;
    else if (!wide && box.hasAttribute('tabindex')) box.removeAttribute('tabindex');
  };
  // The box's width follows the column; its content's follows the font (which may arrive later) and the rows.
  const watch = new ResizeObserver(entries => { for (const e of entries) check(e.target.closest('.scroll-x')); });
  for (const box of boxes) {
    watch.observe(box);
    if (box.firstElementChild) watch.observe(box.firstElementChild);
  }
}

export function wireLayout() {
  document.querySelector('.chapter').addEventListener('click', e => {
    const link = e.target.closest('a.try');
    if (!link || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    setTimeout(() => showPanelFor(link), 0);        // after the browser has followed the link
  });
  $('back-to-text').addEventListener('click', backToText);
  focusableWhileWide(document.querySelectorAll('.scroll-x'));
}

