/**
 * The one place h5wasm is loaded. Top-level await keeps every nexus/ API synchronous;
 * the throwing error handler turns HDF5's printed diagnostics into exceptions
 * (without it a failed call only prints HDF5-DIAG and returns a negative status).
 */
import type * as H5wasm from '#h5wasm';

/** Set on globalThis once h5wasm is loaded: V8 flags for its WebAssembly must be set before (see cli/commands/write.ts). */
const H5WASM_LOADED = Symbol.for('nxlayout.h5wasm-loaded');
(globalThis as Record<symbol, unknown>)[H5WASM_LOADED] = true;

/**
 * Under Node, h5wasm with its WebAssembly in a file of its own (dist/h5wasm/, written by
 * scripts/build-h5wasm.mjs: no 4 MB of JavaScript to parse and decode at each start); when the
 * build step has not run, h5wasm/node as shipped. Elsewhere both names are h5wasm's browser
 * build (package.json imports).
 */
async function loadH5wasm(): Promise<{ lib: typeof H5wasm; source: 'extracted' | 'package' }> {
  try {
    return { lib: await import('#h5wasm-extracted'), source: 'extracted' };
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    return { lib: await import('#h5wasm'), source: 'package' };
  }
}

const loaded = await loadH5wasm();

/** Which copy of h5wasm this process runs: the build's extracted one, or the package's own. */
/** @public (test/nexus/h5wasm-extracted.test.ts reads it in a child process) */
export const H5WASM_SOURCE = loaded.source;
export const h5wasm: typeof H5wasm.default = loaded.lib.default;
export const H5Group: typeof H5wasm.Group = loaded.lib.Group;
export const H5Dataset: typeof H5wasm.Dataset = loaded.lib.Dataset;

export const Module: Awaited<typeof h5wasm.ready> = await h5wasm.ready;
Module.activate_throwing_error_handler();

export type { Dataset, File, Filter, Group, Metadata } from '#h5wasm';
