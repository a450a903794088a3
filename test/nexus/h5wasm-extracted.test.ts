/** scripts/build-h5wasm.mjs and the extracted copy nxlayout runs (see h5wasm-extracted-suite.ts). */
import { h5wasmExtractedSuite } from './h5wasm-extracted-suite.js';

h5wasmExtractedSuite('fast');
