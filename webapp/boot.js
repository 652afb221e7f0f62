// What the page starts before it has drawn anything: the training engine's worker, which downloads
// and compiles its WebAssembly while the browser lays out the chapter, and the default word list's
// download, which the worker gets as soon as it is here. The build makes this module and engine.js one
// classic script that index.html runs before it parses the chapter (PageBundle); main.js takes both
// over. The engine holds the worker's messages until main.js has its listeners in place (engine.open()).
import { Engine, pickEngine } from './engine.js';

const query = new URLSearchParams(location.search);

export const engine = new Engine(pickEngine(query), { bench: query.has('bench'), simdOff: query.get('simd') === 'off' });
engine.hold();
engine.start();

/** The response for data/names.txt (wordlist.js's NAMES) under way; wordlist.js's fetchNames() reads and checks it. */
export const namesResponse = fetch('data/names.txt', { cache: 'no-cache' });
namesResponse.catch(() => {});   // a failure is reported where main.js awaits it, not as an "uncaught" error before

// ... and its text goes to the worker at once, ahead of the page's data message (a copy: fetchNames reads the body).
// This callback is registered before main.js's, so the body is still unread when it is copied.
namesResponse.then(r => (r.ok ? r.clone().text() : null)).then(text => { if (text) engine.sendAhead(text); }).catch(() => {});
