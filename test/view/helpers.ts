/** `nxlayout view` as a real process: started on a free port, its address read from stdout, stopped by a signal. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nxlayoutIn } from '../cli/helpers.js';
import { REPO } from '../report/helpers.js';

const BIN = path.join(REPO, 'dist', 'src', 'cli', 'bin.js');

/** Where browser tests keep their screenshots (kept after the run, for people to look at). */
export function screenshotPath(name: string): string {
  const dir = path.join(os.tmpdir(), 'nxlayout-screenshots');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/** Writes the bundled example runs with the CLI (`write examples/runs --out DIR`, in-process); throws unless it exits 0. */
export async function writeExamples(outDir: string): Promise<void> {
  const r = await nxlayoutIn(['write', path.join(REPO, 'examples', 'runs'), '--out', outDir]);
  if (r.status !== 0) throw new Error(`write exited ${r.status}: ${r.stderr}`);
}

export interface ViewProcess {
  child: ChildProcess;
  /** The address it printed (the run list of a directory, the viewer of a file). */
  url: string;
  stderr: () => string;
  /** Sends `signal` and resolves to the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export function startView(target: string, extra: string[] = []): Promise<ViewProcess> {
  const child = spawn(process.execPath, [BIN, 'view', target, '--port', '0', ...extra], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`view did not print its address within 60 s; stderr: ${err}`)),
      60_000,
    );
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      resolve({
        child,
        url: m[1],
        stderr: () => err,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`view exited (${code}) before printing its address; stderr: ${err}`));
    });
  });
}
