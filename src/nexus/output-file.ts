/**
 * Output files appear complete or not at all: the sink writes `.<name>.nxlayout-tmp-<pid>-<random>`
 * in the final directory; commit = close, fsync, rename into place, fsync the directory.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NxlError } from '../errors.js';
import { resourceError, resourceProblem } from './h5-errors.js';
import { H5wasmSink } from './h5wasm-sink.js';
import { processState } from './process-state.js';
import { cacheWrites } from './write-cache.js';
import type { OpenOutputOptions, OutputFile, OutputHost } from './models.js';
import { resolveOutputPath } from './output-path.js';

export { resolveOutputPath } from './output-path.js';

const TEMP = /^\.(.+)\.nxlayout-tmp-(\d+)-[0-9a-f]+$/;

/** Temp files this process is writing now (a restarted daemon may reuse its old pid, e.g. pid 1 in a container). */
const ownTemps = new Set<string>();

/** Longest file name (bytes) on Linux file systems (NAME_MAX). */
const NAME_MAX = 255;

/** The longest prefix of `text` that is at most `maxBytes` long in UTF-8, never splitting a character. */
function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes) break;
    bytes += n;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * `.<name>.nxlayout-tmp-<pid>-<random>` beside the final file, at most NAME_MAX bytes: of a long
 * name only the first bytes are kept (the final name itself is checked when it is created).
 */
export function tempName(finalPath: string): string {
  const suffix = `.nxlayout-tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const stem = truncateUtf8(path.basename(finalPath), NAME_MAX - 1 - suffix.length);
  return path.join(path.dirname(finalPath), `.${stem}${suffix}`);
}

function exists(finalPath: string): NxlError {
  return new NxlError(
    'NEXUS_EXISTS',
    `${finalPath} already exists; it was left untouched`,
    { file: finalPath },
    {
      hint: 'remove it, render a different `file` name, or pass --overwrite',
    },
  );
}

function fsyncPath(p: string, flags: string): void {
  const fd = fs.openSync(p, flags);
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    // Some file systems cannot fsync a directory; the rename itself is still atomic.
    if (flags !== 'r' || !['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'].includes((e as NodeJS.ErrnoException).code ?? ''))
      throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/** Move the finished temp file into place; without overwrite an existing file wins (link fails with EEXIST). */
function publish(tempPath: string, finalPath: string, overwrite: boolean): void {
  if (overwrite) {
    fs.renameSync(tempPath, finalPath);
    return;
  }
  try {
    fs.linkSync(tempPath, finalPath);
    fs.unlinkSync(tempPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw exists(finalPath);
    // File systems without hard links: check, then rename (not atomic against a racing writer).
    if (fs.existsSync(finalPath)) throw exists(finalPath);
    fs.renameSync(tempPath, finalPath);
  }
}

function removeQuietly(p: string): void {
  fs.rmSync(p, { force: true });
}

/** Open `relative` under `root` for writing (missing directories are created under the root). */
export function openOutput(root: string, relative: string, options: OpenOutputOptions = {}): OutputFile {
  const overwrite = options.overwrite ?? false;
  const finalPath = resolveOutputPath(root, relative);
  if (!overwrite && fs.existsSync(finalPath)) throw exists(finalPath);
  try {
    fs.mkdirSync(path.dirname(finalPath), { recursive: true });
  } catch (e) {
    throw new NxlError(
      'NEXUS_WRITE',
      `cannot create directory ${path.dirname(finalPath)}: ${(e as Error).message}`,
      { file: finalPath },
      { hint: 'check the permissions of the output root', cause: e },
    );
  }
  // Again now the directories exist: one created through a symlink must still be inside the root.
  resolveOutputPath(root, relative);
  cleanDirectoryOnce(path.dirname(finalPath));
  const tempPath = tempName(finalPath);
  ownTemps.add(tempPath);
  let sink: H5wasmSink;
  try {
    // Created here first: a full disk or a full descriptor table is then a Node error with its
    // errno (HDF5 reports EMFILE as a WebAssembly signature mismatch).
    fs.closeSync(fs.openSync(tempPath, 'wx'));
    sink = new H5wasmSink(tempPath, { outputPath: finalPath, cacheWrites });
  } catch (e) {
    // A create that failed half-way can leave an empty temp file behind.
    ownTemps.delete(tempPath);
    removeQuietly(tempPath);
    const problem = resourceProblem(e);
    if (problem !== undefined) throw resourceError(problem, `creating ${tempPath}`, finalPath, e);
    if (e instanceof NxlError) throw e;
    throw new NxlError(
      'NEXUS_WRITE',
      `cannot create ${tempPath}: ${(e as Error).message}`,
      { file: finalPath },
      { hint: 'check the permissions of the output directory', cause: e },
    );
  }
  let done = false;
  return {
    path: finalPath,
    tempPath,
    sink,
    commit() {
      if (done) throw new NxlError('NEXUS_WRITE', `${finalPath} was already committed or aborted`, { file: finalPath });
      done = true;
      ownTemps.delete(tempPath);
      try {
        sink.close();
        fsyncPath(tempPath, 'r+');
        publish(tempPath, finalPath, overwrite);
        fsyncPath(path.dirname(finalPath), 'r');
      } catch (e) {
        removeQuietly(tempPath);
        if (e instanceof NxlError) throw e;
        const problem = resourceProblem(e);
        if (problem !== undefined) throw resourceError(problem, `moving ${tempPath} into place`, finalPath, e);
        throw new NxlError(
          'NEXUS_WRITE',
          `cannot move ${tempPath} into place as ${finalPath}: ${(e as Error).message}`,
          { file: finalPath },
          { hint: 'check the free space and permissions of the output directory', cause: e },
        );
      }
    },
    abort() {
      if (done) return;
      done = true;
      ownTemps.delete(tempPath);
      try {
        sink.close();
      } catch {
        // The file is being thrown away: a failure to finish it does not matter.
      } finally {
        removeQuietly(tempPath);
      }
    },
  };
}

function isAlive(pid: number): boolean {
  return pid !== process.pid && processState(pid) === 'running';
}

/** A stale temp file: ours by name, of a writer no longer running (or of this pid, not being written now). */
function isStaleTemp(p: string, name: string): boolean {
  const m = TEMP.exec(name);
  return m !== null && !ownTemps.has(p) && !isAlive(Number(m[2]));
}

/** Output directories already cleaned of stale temp files by this process. */
const cleanedDirs = new Set<string>();

/**
 * Removes, once per process and directory, the temp files of dead writers in the directory a file
 * is about to be written to: what a `write` killed with -9 left behind is removed by the next
 * `write` into the same directory (the daemon cleans its whole output root at start).
 */
function cleanDirectoryOnce(dir: string): void {
  if (cleanedDirs.has(dir)) return;
  cleanedDirs.add(dir);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // the write itself reports an unusable directory
  }
  for (const entry of entries) {
    const p = path.join(dir, entry.name);
    if (entry.isFile() && isStaleTemp(p, entry.name)) fs.rmSync(p, { force: true });
  }
}

/**
 * Remove the temporary files that writers which are no longer running left under `dir`
 * (recursively, not following symlinks): those of dead pids, and those of this pid that
 * this process is not writing. Returns the removed paths.
 */
export function removeStaleTemps(dir: string): string[] {
  dir = path.resolve(dir);
  const removed: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return removed;
    throw new NxlError('NEXUS_WRITE', `cannot list ${dir}: ${(e as Error).message}`, { file: dir }, { cause: e });
  }
  for (const entry of entries) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      removed.push(...removeStaleTemps(p));
      continue;
    }
    if (entry.isFile() && isStaleTemp(p, entry.name)) {
      fs.rmSync(p, { force: true });
      removed.push(p);
    }
  }
  return removed;
}

/** Files on disk, under a temporary name until complete (the Node shell's OutputHost). */
export const diskOutput: OutputHost = {
  resolve: (root, relative, options) => resolveOutputPath(root, relative, options),
  open: (root, relative, options) => openOutput(root, relative, options),
};
