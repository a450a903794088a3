/**
 * The one place h5wasm is loaded. Top-level await keeps every nexus/ API synchronous;
 * the throwing error handler turns HDF5's printed diagnostics into exceptions
 * (without it a failed call only prints HDF5-DIAG and returns a negative status).
 */
// '#h5wasm' (package.json imports): h5wasm's Node build under Node, its browser build elsewhere.
import h5wasm, { Group as H5Group } from '#h5wasm';

export const Module: Awaited<typeof h5wasm.ready> = await h5wasm.ready;
Module.activate_throwing_error_handler();

export { h5wasm, H5Group };
export type { Dataset, File, Filter, Group, Metadata } from '#h5wasm';
