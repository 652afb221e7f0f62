'use strict';
// teagrad page: word lists from a file or a drop, checked and read with progress (app.js sends them).

// ---------- data set ----------

const MAX_WORDLIST_BYTES = 50 * 1024 * 1024;

/** Why this text is not a word list, or null. Binary files show up as NULs or replacement chars. */
function wordListProblem(text) {
  if (text.trim() === '') return 'is empty.';
  const sample = text.slice(0, 65536);
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return 'looks like a binary file, not a word list.';
    if (c === 0xfffd || c === 127 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) odd++;
  }
  return odd > Math.max(3, sample.length / 100) ? 'looks like a binary file, not a word list.' : null;
}

async function loadDefaultWords() {
  setStatus('Loading the word list data/names.txt …');
  try {
    const r = await fetch('data/names.txt');
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const text = await r.text();
    const problem = wordListProblem(text);
    if (problem) throw new Error(`the file ${problem}`);
    if (S.pendingData || S.dataSent) return;     // the user's own list came first
    queueData(text, 'data/names.txt');
  } catch (e) {
    if (S.pendingData || S.dataSent) return;     // the user dropped a list meanwhile
    setStatus(`No word list yet: data/names.txt could not be loaded (${e.message}). Drop a .txt word list ` +
      '(one word per line) on this panel or choose one below, or put names.txt into the data/ folder ' +
      '(the teagrad command-line tool downloads it) and reload.', true);
  }
}

function queueData(text, source) {
  S.pendingData = { text, source };
  flushData();
}

/** Send the queued word list once the worker is ready; then our settings (no-op if unchanged). */
function flushData() {
  if (!S.ready || !S.pendingData) return;
  const { text, source } = S.pendingData;
  S.pendingData = null;
  if (S.running) post({ type: 'pause' });
  saveBeforeReplace();                              // the old words go with the old run
  S.dataSource = source;
  S.dataText = text;
  S.dataChecksum = checksumOf(text);
  post({ type: 'data', text });
  S.dataSent = true;
  S.awaitingData = true;
  const mb = text.length / 1048576;
  setStatus(mb >= 1
    ? `The training engine is splitting ${source} (${mb.toFixed(0)} MB) into words and examples; large lists take a while …`
    : `Reading ${source} …`);
  applySettings({});
  sendHashPreset();
}

async function loadWordFile(file) {
  if (!file) return;
  if (file.size === 0) return note(`“${file.name}” is empty: a word list needs one word per line.`, 'error');
  if (file.size > MAX_WORDLIST_BYTES) return note(`“${file.name}” is too large (${fmtInt(Math.round(file.size / 1048576))} MB) for a word list.`, 'error');
  const restoreStatus = () => setStatus(S.dataset ? S.datasetStatus : 'No data set loaded: drop a word list on this panel.', !S.dataset);
  let text;
  try { text = await readWithProgress(file); } catch (e) { restoreStatus(); return note(`Could not read “${file.name}”: ${e.message}`, 'error'); }
  const problem = wordListProblem(text);
  if (problem) { restoreStatus(); return note(`“${file.name}” ${problem} Nothing was changed.`, 'error'); }
  showPreview(file.name, text);
  queueData(text, file.name);
}

/** A file's text, with the percentage read so far in the status line (a 50 MB list takes seconds). */
function readWithProgress(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    const size = `${(file.size / 1048576).toFixed(1)} MB`;
    reader.onprogress = e => {
      if (e.lengthComputable) setStatus(`Reading “${file.name}” (${size}) … ${Math.floor((100 * e.loaded) / e.total)}%`);
    };
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error || new Error('the file could not be read'));
    setStatus(`Reading “${file.name}” (${size}) … 0%`);
    reader.readAsText(file);
  });
}

/** The file name, its first and last lines, as text nodes only. */
function showPreview(name, text) {
  const box = $('file-preview');
  const lines = text.split(/\r?\n/).map(l => l.trim()).filter(Boolean);
  const shown = lines.length > 5 ? [...lines.slice(0, 3), '…', ...lines.slice(-2)] : lines;
  box.replaceChildren(document.createTextNode(`${name}, ${fmtInt(lines.length)} lines: `));
  for (const line of shown) {
    const code = document.createElement(line === '…' ? 'span' : 'code');
    code.textContent = line.length > 60 ? line.slice(0, 60) + '…' : line;
    box.append(code, ' ');
  }
  box.hidden = false;
}

function routeFile(file) {
  if (/\.json$/i.test(file.name)) importModel(file); else loadWordFile(file);
}
