/**
 * The one place h5wasm is loaded. Top-level await keeps every nexus/ API synchronous;
 * the throwing error handler turns HDF5's printed diagnostics into exceptions
 * (without it a failed call only prints HDF5-DIAG and returns a negative status).
 */
// '#h5wasm' (package.json imports): h5wasm's Node build under Node, its browser build elsewhere.
import h5wasm, { Group as H5Group } from '#h5wasm';

/** Set on globalThis once h5wasm is loaded: V8 flags for its WebAssembly must be set before (see cli/commands/write.ts). */
const H5WASM_LOADED = Symbol.for('nxlayout.h5wasm-loaded');
(globalThis as Record<symbol, unknown>)[H5WASM_LOADED] = true;

export const Module: Awaited<typeof h5wasm.ready> = await h5wasm.ready;
Module.activate_throwing_error_handler();

export { h5wasm, H5Group };
export type { Dataset, File, Filter, Group, Metadata } from '#h5wasm';
