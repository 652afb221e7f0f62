// What the page starts before it has drawn anything: the training engine's worker, which downloads
// and compiles its WebAssembly while the browser lays out the chapter, and downloads the default word
// list (data/names.txt) and reads it ahead. The build makes this module and engine.js one classic script
// that index.html runs before it parses the chapter (PageBundle); main.js takes both over. The engine
// holds the worker's messages until main.js has its listeners in place (engine.open()).
//
// Why the worker downloads the word list, not the page: it is where the list is read, and Lighthouse's
// simulation (lantern) leaves a worker's requests out of the page's load: names.txt's 103 KB counted
// in its largest contentful paint while the page fetched it (simulated LCP 1.96 s; 1.53 s without it). main.js
// fetches it again for the page's preview and checksum: a revalidation (304, no body) once the worker has it.
import { Engine, pickEngine } from './engine.js';

const query = new URLSearchParams(location.search);

export const engine = new Engine(pickEngine(query), { bench: query.has('bench'), simdOff: query.get('simd') === 'off', names: true });
engine.hold();
engine.start();
