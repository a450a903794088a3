/**
 * An OutputHost straight onto h5wasm's own file system: in a browser that is
 * Emscripten's in-memory file system (read a finished file with `outputBytes`
 * to offer it as a download). No temporary name, no fsync: a file is complete
 * once its run's result says `written`; a failed run's file is removed. The
 * Node shell writes through `diskOutput` (output-file.ts) instead.
 */
import { NxlError } from '../errors.js';
import { dirname, join, normalize } from '../paths.js';
import { H5wasmSink } from './h5wasm-sink.js';
import { Module } from './h5-runtime.js';
import type { OutputFile, OutputHost } from './models.js';

interface EmscriptenFs {
  analyzePath(p: string): { exists: boolean };
  mkdir(p: string): void;
  unlink(p: string): void;
  readFile(p: string): Uint8Array;
}

const fsOf = (): EmscriptenFs => (Module as unknown as { FS: EmscriptenFs }).FS;

function inside(root: string, relative: string): string {
  const base = normalize(root === '' ? '/' : root).replace(/\/+$/, '') || '/';
  const full = normalize(join(base, relative));
  if (
    relative.startsWith('/') ||
    relative.includes('\0') ||
    (full !== base && !full.startsWith(base === '/' ? '/' : `${base}/`))
  ) {
    throw new NxlError(
      'NEXUS_PATH_ESCAPE',
      `output path ${JSON.stringify(relative)} leaves the output root ${base}`,
      { file: full },
      {
        hint: "the template's `file` must render a relative path without `..` that leaves the root",
      },
    );
  }
  return full;
}

function makeFolders(folder: string): void {
  const fs = fsOf();
  const parts = folder.split('/').filter((p) => p !== '');
  for (let i = 1; i <= parts.length; i++) {
    const p = '/' + parts.slice(0, i).join('/');
    if (!fs.analyzePath(p).exists) fs.mkdir(p);
  }
}

/** Files written into h5wasm's file system under `root` (in a browser: memory). */
export const h5wasmOutput: OutputHost = {
  resolve: (root, relative) => inside(root, relative),
  open(root, relative, options): OutputFile {
    const path = inside(root, relative);
    const fs = fsOf();
    if (options.overwrite !== true && fs.analyzePath(path).exists) {
      throw new NxlError(
        'NEXUS_EXISTS',
        `${path} already exists; it was left untouched`,
        { file: path },
        { hint: 'remove it, render a different `file` name, or pass overwrite' },
      );
    }
    makeFolders(dirname(path));
    const sink = new H5wasmSink(path);
    let done = false;
    const close = (): void => {
      if (done) return;
      done = true;
      sink.close();
    };
    return {
      path,
      tempPath: path,
      sink,
      commit: close,
      abort() {
        try {
          close();
        } finally {
          if (fs.analyzePath(path).exists) fs.unlink(path);
        }
      },
    };
  },
};

/** The bytes of a file in h5wasm's file system (a finished output, to download or post). */
export function outputBytes(path: string): Uint8Array {
  return fsOf().readFile(path);
}
