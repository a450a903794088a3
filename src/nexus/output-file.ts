/**
 * Output files appear complete or not at all: the sink writes `.<name>.nxlayout-tmp-<pid>-<random>`
 * in the final directory; commit = close, fsync, rename into place, fsync the directory.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NxlError } from '../errors.js';
import { H5wasmSink } from './h5wasm-sink.js';
import type { OpenOutputOptions, OutputFile } from './models.js';
import { resolveOutputPath } from './output-path.js';

export { resolveOutputPath } from './output-path.js';

const TEMP = /^\.(.+)\.nxlayout-tmp-(\d+)-[0-9a-f]+$/;

/** Temp files this process is writing now (a restarted daemon may reuse its old pid, e.g. pid 1 in a container). */
const ownTemps = new Set<string>();

export function tempName(finalPath: string): string {
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.nxlayout-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

function exists(finalPath: string): NxlError {
  return new NxlError('NEXUS_EXISTS', `${finalPath} already exists; it was left untouched`, { file: finalPath }, {
    hint: 'remove it, render a different `file` name, or pass --overwrite',
  });
}

function fsyncPath(p: string, flags: string): void {
  const fd = fs.openSync(p, flags);
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    // Some file systems cannot fsync a directory; the rename itself is still atomic.
    if (flags !== 'r' || !['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
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
    throw new NxlError('NEXUS_WRITE', `cannot create directory ${path.dirname(finalPath)}: ${(e as Error).message}`, { file: finalPath }, { hint: 'check the permissions of the output root', cause: e });
  }
  // Again now the directories exist: one created through a symlink must still be inside the root.
  resolveOutputPath(root, relative);
  const tempPath = tempName(finalPath);
  const sink = new H5wasmSink(tempPath, { outputPath: finalPath });
  ownTemps.add(tempPath);
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
        throw new NxlError('NEXUS_WRITE', `cannot move ${tempPath} into place as ${finalPath}: ${(e as Error).message}`, { file: finalPath }, { hint: 'check the free space and permissions of the output directory', cause: e });
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
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
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
    const m = TEMP.exec(entry.name);
    if (m !== null && entry.isFile() && !ownTemps.has(p) && !isAlive(Number(m[2]))) {
      fs.rmSync(p, { force: true });
      removed.push(p);
    }
  }
  return removed;
}
