// The current run kept in IndexedDB, so that a reload (or a crashed worker) can resume
// it. One database, two object stores:
//   run   key 'current': {version, json (the model file without history, from the worker's 'snapshot'),
//         step, config (the last model.config), losses (Float32Array: batch loss of step i + 1 at index i,
//         NaN where the page has none), devSteps [int], devLosses [number], dataset (its name),
//         checksum (SHA-256 hex of the word list's text), elapsedMs, savedAt}
//   words key 'current': {checksum, text}: a word list the user dropped (data/names.txt is refetched instead)
// Every method resolves or rejects with an Error whose message says what went wrong; callers turn that
// into one line on the page. Nothing here throws synchronously.

const STORE_DB = 'teagrad', STORE_VERSION = 1;

export class RunStore {
  constructor() {
    this.db = null;
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
        req.onupgradeneeded = () => {
          const db = req.result;
          for (const name of ['run', 'words']) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
        };
        req.onsuccess = () => {
          this.db = req.result;
          this.db.onversionchange = () => { this.db.close(); this.db = null; this.opening = null; };
          resolve(this.db);
        };
        req.onerror = e => { if (e && e.preventDefault) e.preventDefault(); reject(storeError(req.error)); };
        req.onblocked = () => reject(new Error('the storage is blocked by another tab of this page'));
      });
    }
    return this.opening;
  }

  /** Runs fn(stores) in one transaction over `names`; resolves with fn's request result once committed. */
  async tx(names, mode, fn) {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      let t, out;
      try {
        t = db.transaction(names, mode);
        const stores = names.map(n => t.objectStore(n));
        const t0 = performance.now();
        const req = fn(...stores);                   // put() clones the value here, on this thread
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

  /** The stored run, or null. */
  load() { return this.tx(['run'], 'readonly', run => run.get('current')).then(r => r || null); }

  /** The dropped word list stored with the run (text and checksum), or null. */
  loadWords() { return this.tx(['words'], 'readonly', words => words.get('current')).then(r => r || null); }

  /**
   * Stores the run; with `words` ({checksum, text}) also the word list it trains on. The value is
   * structured-cloned synchronously by put(): callers pass fresh copies and keep them small.
   */
  save(record, words) {
    return this.tx(words ? ['run', 'words'] : ['run'], 'readwrite', (run, wordStore) => {
      if (words) wordStore.put(words, 'current');
      return run.put(record, 'current');
    });
  }

  /** Forgets the stored run and its word list. */
  discard() {
    return this.tx(['run', 'words'], 'readwrite', (run, words) => { run.delete('current'); words.delete('current'); });
  }
}

/** An IndexedDB failure as an Error with a plain message (QuotaExceededError: the storage is full). */
export function storeError(e) {
  if (e && e.name === 'QuotaExceededError') return new Error('the browser’s storage for this site is full');
  if (e && e.name === 'InvalidStateError') return new Error('storage is not available (private browsing?)');
  if (e && e.name === 'SecurityError') return new Error('the browser does not allow this page to store data');
  const msg = e && e.message ? e.message : String(e || 'unknown storage error');
  return new Error(msg.replace(/\.$/, ''));
}
