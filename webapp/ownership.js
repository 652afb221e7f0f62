// Which tab owns which run. Every tab trains its own run and holds a Web Lock named after it for as
// long as the run is open there (a closed or crashed tab lets go by itself); another tab sees the lock
// and lists the run as "running elsewhere", and cannot resume it. A BroadcastChannel tells the other
// tabs of this page when the kept runs changed, so their lists follow.

const PREFIX = 'teagrad-run:';

export class Ownership {
  /** changed(): another tab saved, claimed, released or deleted a run. */
  constructor(changed) {
    this.held = new Map();           // run id → the function that releases its lock
    this.releasing = new Map();      // run id → settles once its lock is let go
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('teagrad-runs') : null;
    if (this.channel) this.channel.onmessage = () => changed();
  }

  /** Takes run `id` for this tab: true when this tab holds it now, false when another tab does. */
  claim(id) {
    if (this.held.has(id)) return Promise.resolve(true);
    if (!(navigator.locks && navigator.locks.request)) return Promise.resolve(true);   // no Web Locks: every tab on its own
    return new Promise(resolve => {
      const done = navigator.locks.request(PREFIX + id, { ifAvailable: true }, lock => {
        if (!lock) { resolve(false); return undefined; }
        resolve(true);
        return new Promise(release => this.held.set(id, release));   // held until release(id)
      }).catch(() => resolve(true));
      this.releasing.set(id, done);
    }).then(got => { if (got) this.announce(); return got; });
  }

  /** Lets go of run `id`; resolves once other tabs can take it. */
  release(id) {
    const release = this.held.get(id), done = this.releasing.get(id) || Promise.resolve();
    this.releasing.delete(id);
    if (!release) return done;
    this.held.delete(id);
    release();
    return done.then(() => this.announce());
  }

  /** Ids of the runs another tab holds. */
  async elsewhere() {
    if (!(navigator.locks && navigator.locks.query)) return new Set();
    const { held } = await navigator.locks.query();
    return new Set(held.map(l => l.name).filter(n => n.startsWith(PREFIX)).map(n => n.slice(PREFIX.length)).filter(id => !this.held.has(id)));
  }

  /** Tells the other tabs that the kept runs changed. */
  announce() { if (this.channel) this.channel.postMessage('changed'); }
}
