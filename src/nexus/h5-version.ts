/**
 * The version of the HDF5 library inside h5wasm, for the NXroot attribute
 * `HDF5_Version`. h5wasm exports no call for it, but the library names itself
 * in every error stack ("Error detected in HDF5 (2.0.0)"): one harmless failed
 * lookup on a throw-away temporary file asks it, once per process.
 */
import { h5wasm, Module } from './h5-runtime.js';

/** Node's temporary folder (as os.tmpdir() finds it), or Emscripten's /tmp in a browser's in-memory file system. */
function tempFolder(): string {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined>; pid?: number } }).process;
  const dir = proc?.env?.TMPDIR ?? proc?.env?.TMP ?? proc?.env?.TEMP ?? '/tmp';
  return dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
}

let cached: string | undefined;

export function hdf5LibraryVersion(): string {
  if (cached !== undefined) return cached;
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
  const name = `${tempFolder()}/.nxlayout-hdf5-version-${pid}-${Date.now()}.h5`;
  const file = new h5wasm.File(name, 'w');
  try {
    Module.get_attribute_names(file.file_id, '/no such object');
    cached = 'unknown';
  } catch (e) {
    cached = /Error detected in HDF5 \(([^)]+)\)/.exec(String(e instanceof Error ? e.message : e))?.[1] ?? 'unknown';
  } finally {
    file.close();
    try {
      // Emscripten's file system: the real one under h5wasm/node, memory in a browser.
      (Module as unknown as { FS: { unlink(p: string): void } }).FS.unlink(name);
    } catch {
      // already gone
    }
  }
  return cached;
}
