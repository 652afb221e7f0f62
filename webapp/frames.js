// When the live panel draws, and what a canvas needs to know to draw.

/**
 * One frame for everything the live panel draws (the chart, the views, the numbers), at most every
 * PANEL_FRAME_MS. A browser that renders in software pays for every frame in which anything on screen
 * changed (WebKitGTK without a GPU: tens of ms each, so 25 progress messages a second in 25 frames left
 * it ~5 frames/s); gathered into ten frames a second, the page keeps its frame rate for scrolling and
 * reading. Each draw function runs once per panel frame however often it was asked for.
 */
const PANEL_FRAME_MS = 100;
const panelDraws = new Set();
let panelQueued = false, panelDrawnAt = -Infinity;

export function onPanelFrame(draw) {
  panelDraws.add(draw);
  if (panelQueued) return;
  panelQueued = true;
  const run = () => {
    panelQueued = false;
    panelDrawnAt = performance.now();
    const draws = [...panelDraws];
    panelDraws.clear();
    for (const d of draws) d();
  };
  const wait = panelDrawnAt + PANEL_FRAME_MS - performance.now();
  if (wait > 0) setTimeout(() => requestAnimationFrame(run), wait);
  else requestAnimationFrame(run);
}

/**
 * What drawing needs to know about a canvas without asking the page's layout: its CSS size (from a
 * ResizeObserver) and whether any of it is in sight (an IntersectionObserver: scrolled out of the
 * window, or out of the panel's own scroll, it is not). Reading clientWidth in a frame whose text
 * just changed forces a layout of the page; drawing what nobody sees costs a software renderer frames.
 * onResize() runs when the canvas changes size, onSeen() when it comes into sight.
 */
export class CanvasSight {
  constructor(canvas, onResize, onSeen = onResize) {
    this.w = 0;
    this.h = 0;
    this.seen = false;
    new ResizeObserver(entries => {
      const r = entries[entries.length - 1].contentRect;
      this.w = r.width;
      this.h = r.height;
      onResize();
    }).observe(canvas);
    new IntersectionObserver(entries => {
      this.seen = entries[entries.length - 1].isIntersecting;
      if (this.seen) onSeen();
    }).observe(canvas);
  }

  /** The canvas's bitmap at CSS size × devicePixelRatio, cleared, with a CSS-pixel transform; null while it has no size. */
  fit(canvas, ctx) {
    const dpr = window.devicePixelRatio || 1, w = this.w, h = this.h;
    if (w === 0 || h === 0) return null;
    const pw = Math.round(w * dpr), ph = Math.round(h * dpr);
    if (canvas.width !== pw || canvas.height !== ph) { canvas.width = pw; canvas.height = ph; }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    return { w, h, dpr };
  }
}

const sightOf = new WeakMap();   // canvas → {seen, waiting}: one IntersectionObserver per canvas drawn by drawWhenSeen

/**
 * Runs draw() now if any of the canvas is in sight, else the next time it comes into sight (only the
 * latest draw waits). For pictures far down the chapter (the experiments): drawn at start and on every
 * message, they cost the page long tasks and forced layouts for something nobody could see yet
 * (Lighthouse's mobile run, bench/lighthouse). Until the observer first reports, the canvas counts as unseen.
 */
export function drawWhenSeen(canvas, draw) {
  let sight = sightOf.get(canvas);
  if (!sight) {
    sight = { seen: false, waiting: null };
    sightOf.set(canvas, sight);
    new IntersectionObserver(entries => {
      sight.seen = entries[entries.length - 1].isIntersecting;
      if (sight.seen && sight.waiting) {
        const waiting = sight.waiting;
        sight.waiting = null;
        waiting();
      }
    }).observe(canvas);
  }
  if (sight.seen) {
    sight.waiting = null;
    draw();
  } else {
    sight.waiting = draw;
  }
}
