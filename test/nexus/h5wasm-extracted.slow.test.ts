/** scripts/build-h5wasm.mjs: the two broken glues npm test leaves out (see h5wasm-extracted-suite.ts). */
import { h5wasmExtractedSuite } from './h5wasm-extracted-suite.js';

h5wasmExtractedSuite('slow');
