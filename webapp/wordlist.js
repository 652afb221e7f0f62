// Word lists: the default data/names.txt, or a file the learner chose or dropped, checked and read
// with progress, previewed as text, and identified by a checksum (a kept run names the list it trained on).
import { $ } from './dom.js';
import { fmtInt } from './format.js';
import { setStatus } from './notices.js';

export const NAMES = 'data/names.txt';
export const MAX_WORDLIST_BYTES = 50 * 1024 * 1024;

/** Why this text is not a word list, or null. Binary files show up as NULs or replacement chars. */
export function wordListProblem(text) {
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

/** A file's text, with the percentage read so far in the status line (a 50 MB list takes seconds). */
export function readWithProgress(file) {
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
export function showPreview(name, text) {
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


/** data/names.txt's text (from a fetch already under way, if given); rejects with what went wrong (HTTP status, not a word list). */
export async function fetchNames(response = fetch(NAMES, { cache: 'no-cache' })) {
  const r = await response;
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  const text = await r.text();
  const problem = wordListProblem(text);
  if (problem) throw new Error(`the file ${problem}`);
  return text;
}

/** The word list's checksum: SHA-256 where crypto.subtle exists, else FNV-1a over the UTF-16 units. */
export async function checksumOf(text) {
  try {
    if (window.crypto && crypto.subtle) {
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
      return 'sha256:' + Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0')).join('');
    }
  } catch { /* fall through */ }
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `fnv1a:${(h >>> 0).toString(16)}:${text.length}`;
}
