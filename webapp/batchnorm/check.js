// The backward check, ninja style: the worker runs `teagrad check` on one batch (message check,
// src/main/java/teagrad/web/Protocol.java) and this module lays out its cmp() table. Beside the rows of
// the fused batch-norm backward (hprebn) the formula it implements is quoted (a MathML template of the
// page, cloned), so the table and the algebra can be read together.

const AUTOGRAD = { crossEntropy: 'fused cross-entropy', batchNorm: 'fused batch norm', graph: 'training graph', elementary: 'op by op' };

/** maxdiff as the notebook prints it: 1.1e-09, 0.0e+00. */
const sci = x => (x === null || x === undefined ? 'NaN' : Number(x).toExponential(1).replace('-', '\u2212'));

export class BackwardCheckTable {
  /** els: {run: button, lecture: select, mismatch: checkbox, body: tbody, summary, formula: template}; run: {send, subscribe}. */
  constructor(els, run) {
    this.els = els;
    this.run = run;
    this.test = (window.teagradCheck = { replies: 0, rows: null, besselMismatch: null, error: null });
    els.run.addEventListener('click', () => this.ask());
    els.mismatch.addEventListener('change', () => { if (this.test.replies) this.ask(); });
    els.lecture.addEventListener('change', () => { if (this.test.replies) this.ask(); });
    run.subscribe(m => this.onMessage(m));
  }

  onMessage(m) {
    if (m.type === 'dataset') this.els.run.disabled = false;
    if (m.type === 'check') this.show(m);
    if (m.type === 'error' && m.during === 'check') {
      this.els.run.disabled = false;
      this.els.body.replaceChildren();
      this.els.summary.textContent = String(m.message);
      this.test.error = m.message;
    }
  }

  ask() {
    const msg = { type: 'check', lecture: this.els.lecture.value === 'lecture', besselMismatch: this.els.mismatch.checked };
    if (this.run.send(msg)) { this.els.run.disabled = true; this.els.summary.textContent = 'checking …'; }
  }

  show(m) {
    this.els.run.disabled = false;
    this.test.replies++;
    this.test.error = null;
    this.test.besselMismatch = m.besselMismatch;
    this.test.rows = m.rows.map(r => ({ name: r.name, exact: r.exact, approx: r.approx, maxdiff: r.maxdiff === undefined ? null : r.maxdiff }));
    const rows = [];
    for (const r of m.rows) {
      const tr = document.createElement('tr');
      tr.className = r.approx ? 'ok' : 'fail';
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = String(r.name);
      tr.append(name, cell(r.exact ? 'true' : 'false'), cell(r.approx ? 'true' : 'false'), cell(sci(r.maxdiff)), cell(AUTOGRAD[r.autograd] || String(r.autograd)));
      rows.push(tr);
      if (r.name === 'hprebn') rows.push(this.formulaRow(m.besselMismatch));
    }
    this.els.body.replaceChildren(...rows);
    const failed = m.rows.filter(r => !r.approx).map(r => r.name);
    const what = m.lecture ? 'the chapter’s network at init, initialised as the lecture does for the check' : 'the model training here';
    this.els.summary.textContent = `${what}, one batch: loss ${Number(m.loss).toFixed(4)}. ` + (failed.length
      ? `${failed.length} of ${m.rows.length} gradients differ: ${failed.join(', ')}.`
      : `All ${m.rows.length} gradients by hand agree with autograd.`);
  }

  /** The fused formula the hprebn row compares, in a row of its own under it. */
  formulaRow(mismatch) {
    const tr = document.createElement('tr');
    tr.className = 'formula-row';
    const td = document.createElement('td');
    td.colSpan = 5;
    td.append(this.els.formula.content.cloneNode(true));
    const why = td.querySelector('.formula-why');
    if (why) why.textContent = mismatch
      ? 'Wrong normaliser: the hand-written backward differentiates bnvar as if the forward had divided by n − 1 (the notebook’s Bessel correction), but it divided by n. The factor n/(n−1) ≈ 1.03 lands in dbndiff2 and every row below it; bnmeani escapes, as that term sums to zero over the batch.'
      : 'The fused backward this row checks (BatchNorm1d.backward), in the notebook’s names. With the biased variance that BatchNorm1d and PyTorch normalise with, the factor n/(n−1) is 1.';
    tr.append(td);
    const box = td.querySelector('.scroll-x');     // a Tab stop while the formula is wider than its box, as the chapter's
    if (box) requestAnimationFrame(() => { if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0; });
    return tr;
  }
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}
