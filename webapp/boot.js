// What the page starts before it has drawn anything: the training engine's worker, which downloads
// and compiles its WebAssembly while the browser lays out the chapter and loads the other modules,
// and the default word list's download. index.html runs this module as soon as it and engine.js
// arrive (async); main.js imports the same instance and takes both over. The engine holds the
// worker's messages until main.js has its listeners in place (engine.open()).
import { Engine, pickEngine } from './engine.js';

const query = new URLSearchParams(location.search);

export const engine = new Engine(pickEngine(query), { bench: query.has('bench'), simdOff: query.get('simd') === 'off' });
engine.hold();
engine.start();

/** The response for data/names.txt (wordlist.js's NAMES) under way; wordlist.js's fetchNames() reads and checks it. */
export const namesResponse = fetch('data/names.txt', { cache: 'no-cache' });
namesResponse.catch(() => {});   // a failure is reported where main.js awaits it, not as an "uncaught" error before
