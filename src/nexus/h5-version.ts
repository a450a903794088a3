/**
 * The version of the HDF5 library inside h5wasm, for the NXroot attribute
 * `HDF5_Version`. h5wasm exports no call for it, but the library names itself
 * in every error stack ("Error detected in HDF5 (2.0.0)"): one harmless failed
 * lookup on a throw-away temporary file asks it, once per process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { h5wasm, Module } from './h5-runtime.js';

let cached: string | undefined;

export function hdf5LibraryVersion(): string {
  if (cached !== undefined) return cached;
  const name = path.join(os.tmpdir(), `.nxlayout-hdf5-version-${process.pid}-${Date.now()}.h5`);
  const file = new h5wasm.File(name, 'w');
  try {
    Module.get_attribute_names(file.file_id, '/no such object');
    cached = 'unknown';
  } catch (e) {
    cached = /Error detected in HDF5 \(([^)]+)\)/.exec(String(e instanceof Error ? e.message : e))?.[1] ?? 'unknown';
  } finally {
    file.close();
    fs.rmSync(name, { force: true });
  }
  return cached;
}
