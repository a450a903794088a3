/**
 * What the daemon's memory is made of, for its metrics and status: the HDF5
 * library runs as WebAssembly, whose linear memory grows with the largest work
 * it was given and is never returned (WebAssembly memory cannot shrink).
 */
import { Module } from '../nexus/h5-runtime.js';

/** Bytes of the HDF5 library's WebAssembly memory. */
export function wasmMemoryBytes(): number {
  return Module.HEAPU8.buffer.byteLength;
}
