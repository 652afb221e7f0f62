// Runs kept in IndexedDB, one record per run, so that a reload, a crashed worker or another day can
// resume any of them. Database 'teagrad', version 2, three object stores:
//   runs      key id: {id, status (running | paused | finished | diverged), step (of the model in json),
//             seen (the last step the page saw: more than step when the last steps could not be saved),
//             steps, config (model.config), json (the model file without its curve: the worker's 'snapshot',
//             which carries the data RNG's state, so resuming is O(1)), curveSteps (losses stored in
//             chunks), devSteps, devLosses, dataset (the word list's name), checksum, elapsedMs, summary
//             (what the runs table shows), faint (≤ 400 points of its mean curve for the chart), savedAt}
//   curves    key [runId, index]: {runId, index, losses: Float32Array(CHUNK)}: batch loss of step
//             index·CHUNK + i + 1 at i (NaN where the page has none). Saves append chunks; only the
//             last, partly filled one is written again.
//   wordlists key checksum: {checksum, name, text}: a word list the learner dropped, kept while a run
//             uses it (data/names.txt is fetched again instead)
// Version 1 kept one run under 'current' (stores 'run' and 'words'): it becomes a record of version 2.
// Every method resolves or rejects with an Error whose message says what went wrong; callers turn that
// into one line on the page. Nothing here throws synchronously.

const STORE_DB = 'teagrad', STORE_VERSION = 2;
export const CHUNK = 16384;

export class RunStore {
  constructor() {
    this.opening = null;
    this.lastPutMs = 0;                              // main-thread ms of the last transaction's requests
  }

  /** Opens the database once; rejects when IndexedDB is missing, blocked or refuses (private mode, policy). */
  open() {
    if (!this.opening) {
      this.opening = new Promise((resolve, reject) => {
        let req;
        try {
          if (typeof indexedDB === 'undefined' || !indexedDB) throw new Error('this browser has no IndexedDB');
          req = indexedDB.open(STORE_DB, STORE_VERSION);
        } catch (e) {
          reject(storeError(e));
          return;
        }
        req.onupgradeneeded = e => upgrade(req.result, req.transaction, e.oldVersion);
        req.onsuccess = () => {
          const db = req.result;
          db.onversionchange = () => { db.close(); this.opening = null; };
          resolve(db);
        };
        req.onerror = e => { if (e && e.preventDefault) e.preventDefault(); reject(storeError(req.error)); };
        req.onblocked = () => reject(new Error('the storage is blocked by another tab of this page'));
      });
    }
    return this.opening;
  }

  /** Runs fn(...stores) in one transaction over `names`; resolves with the value fn's last request gave, once committed. */
  async tx(names, mode, fn) {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      let t, out;
      try {
        t = db.transaction(names, mode);
        const t0 = performance.now();
        const req = fn(...names.map(n => t.objectStore(n)));   // put() clones the value here, on this thread
        this.lastPutMs = performance.now() - t0;
        if (req) req.onsuccess = () => { out = req.result; };
      } catch (e) {
        reject(storeError(e));
        return;
      }
      t.oncomplete = () => resolve(out);
      t.onerror = e => { if (e && e.preventDefault) e.preventDefault(); reject(storeError(t.error)); };
      t.onabort = () => reject(storeError(t.error || new Error('the write was aborted')));
    });
  }

  /** Every kept run's record, newest first. */
  async runs() {
    const all = await this.tx(['runs'], 'readonly', runs => runs.getAll());
    return (all || []).sort((a, b) => (b.savedAt || 0) - (a.savedAt || 0));
  }

  run(id) { return this.tx(['runs'], 'readonly', runs => runs.get(id)).then(r => r || null); }

  /**
   * Stores a run's record, the curve chunks given ({index, losses: Float32Array(CHUNK)}) and, when given,
   * the word list it trains on ({checksum, name, text}), in one transaction.
   */
  save(record, chunks, words) {
    return this.tx(words ? ['runs', 'curves', 'wordlists'] : ['runs', 'curves'], 'readwrite', (runs, curves, lists) => {
      for (const c of chunks) curves.put({ runId: record.id, index: c.index, losses: c.losses });
      if (words) lists.put(words);
      return runs.put(record);
    });
  }

  /** The run's batch losses, steps 1 .. n, from its chunks (NaN where none was stored). */
  async curve(id, n) {
    const chunks = await this.tx(['curves'], 'readonly', curves => curves.getAll(IDBKeyRange.bound([id, 0], [id, Infinity])));
    const out = new Float32Array(n).fill(NaN);
    for (const c of chunks || []) {
      const at = c.index * CHUNK;
      if (at < n) out.set(c.losses.subarray(0, Math.min(CHUNK, n - at)), at);
    }
    return out;
  }

  /** A stored word list, or null. */
  words(checksum) { return this.tx(['wordlists'], 'readonly', lists => lists.get(checksum)).then(r => r || null); }

  /** Checksums and names of the stored word lists. */
  async wordLists() {
    const all = await this.tx(['wordlists'], 'readonly', lists => lists.getAll());
    return (all || []).map(w => ({ checksum: w.checksum, name: w.name, chars: w.text.length }));
  }

  /** Forgets a run, its curve, and its word list when no other run uses it. */
  async delete(id) {
    const rec = await this.run(id);
    const others = (await this.runs()).filter(r => r.id !== id);
    const orphan = rec && rec.checksum && !others.some(r => r.checksum === rec.checksum);
    await this.tx(['runs', 'curves', 'wordlists'], 'readwrite', (runs, curves, lists) => {
      runs.delete(id);
      curves.delete(IDBKeyRange.bound([id, 0], [id, Infinity]));
      if (orphan) lists.delete(rec.checksum);
    });
  }

  /** Forgets a stored word list (the runs that used it can no longer be resumed). */
  forgetWords(checksum) { return this.tx(['wordlists'], 'readwrite', lists => { lists.delete(checksum); }); }
}

/** Creates version 2's stores; a version 1 run ('run'/'current') becomes a run record with its curve in chunks. */
function upgrade(db, t, oldVersion) {
  if (!db.objectStoreNames.contains('runs')) db.createObjectStore('runs', { keyPath: 'id' });
  if (!db.objectStoreNames.contains('curves')) db.createObjectStore('curves', { keyPath: ['runId', 'index'] });
  if (!db.objectStoreNames.contains('wordlists')) db.createObjectStore('wordlists', { keyPath: 'checksum' });
  if (oldVersion !== 1 || !db.objectStoreNames.contains('run')) return;
  t.objectStore('run').get('current').onsuccess = e => {
    const old = e.target.result;
    if (old && old.step > 0 && typeof old.json === 'string') {
      const id = `kept-${old.savedAt || Date.now()}`;
      const losses = old.losses instanceof Float32Array ? old.losses : new Float32Array(old.losses || []);
      for (let index = 0; index * CHUNK < losses.length; index++) {
        const chunk = new Float32Array(CHUNK).fill(NaN);
        chunk.set(losses.subarray(index * CHUNK, (index + 1) * CHUNK));
        t.objectStore('curves').put({ runId: id, index, losses: chunk });
      }
      t.objectStore('runs').put({
        id, status: old.config && old.step >= old.config.steps ? 'finished' : 'paused', step: old.step, seen: old.step,
        steps: old.config ? old.config.steps : old.step, config: old.config, json: old.json, curveSteps: losses.length,
        devSteps: old.devSteps || [], devLosses: old.devLosses || [], dataset: old.dataset, checksum: old.checksum,
        elapsedMs: old.elapsedMs || 0, summary: null, faint: null, savedAt: old.savedAt || Date.now(),
      });
    }
    t.objectStore('words').get('current').onsuccess = w => {
      const words = w.target.result;
      if (words && typeof words.text === 'string') t.objectStore('wordlists').put({ checksum: words.checksum, name: old ? old.dataset : 'a word list', text: words.text });
      db.deleteObjectStore('run');
      db.deleteObjectStore('words');
    };
  };
}

/** An IndexedDB failure as an Error with a plain message (QuotaExceededError: the storage is full). */
export function storeError(e) {
  if (e && e.name === 'QuotaExceededError') return new Error('the browser’s storage for this site is full');
  if (e && e.name === 'InvalidStateError') return new Error('storage is not available (private browsing?)');
  if (e && e.name === 'SecurityError') return new Error('the browser does not allow this page to store data');
  const msg = e && e.message ? e.message : String(e || 'unknown storage error');
  return new Error(msg.replace(/\.$/, ''));
}
