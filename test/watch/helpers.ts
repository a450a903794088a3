/** Shared by the watch tests: runs as JSON-lines logs, temp dirs, waiting. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NamedDocument } from '../../src/documents/models.js';
import { composeRun } from '../../src/run/testing.js';
import { parseJournal, JOURNAL_FILE } from '../../src/watch/index.js';
import type { JournalRecord } from '../../src/watch/index.js';

/** The repository root (this file runs as dist/test/watch/helpers.js). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const DEFAULT_TEMPLATE = path.join(REPO, 'templates', 'default.json');

/** The documents of a small run: a primary stream with `events` events and (unless `stop: false`) a stop. */
export function smallRun(
  scanId: number,
  options: { events?: number; stop?: boolean; uid?: string } = {},
): NamedDocument[] {
  const b = composeRun({
    uid: options.uid ?? randomUUID(),
    scan_id: scanId,
    plan_name: 'count',
    time: 1_700_000_000 + scanId,
  });
  const d = b.descriptor('primary', { I0: { dtype: 'number' }, x: { dtype: 'number', units: 'mm' } });
  for (let i = 0; i < (options.events ?? 3); i++) d.event({ I0: 100 + i * scanId, x: i * 0.5 });
  if (options.stop !== false) b.stop();
  return b.documents();
}

export function jsonlLine(named: NamedDocument): string {
  return JSON.stringify([named.name, named.doc]) + '\n';
}

export function jsonl(docs: readonly NamedDocument[]): string {
  return docs.map(jsonlLine).join('');
}

export function startUid(docs: readonly NamedDocument[]): string {
  const start = docs.find((d) => d.name === 'start');
  if (start === undefined || start.name !== 'start') throw new Error('no start document');
  return start.doc.uid;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `nxl-watch-${prefix}-`));
}

/** Writes a file in one step (temp + rename), as a log finished elsewhere and dropped in. */
export function drop(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.part`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Every file under `dir` (recursively), relative, sorted; the state directory excluded. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.nxlayout-state') walk(p);
      } else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The journal's records of runs and rejected logs (`marks: true`: also the `log-read` marks of logs put aside). */
export function readJournal(stateDir: string, marks = false): JournalRecord[] {
  const file = path.join(stateDir, JOURNAL_FILE);
  const records = fs.existsSync(file) ? parseJournal(fs.readFileSync(file, 'utf8'), file).records : [];
  return marks ? records : records.filter((r) => r.status !== 'log-read');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it is true; fails after `timeoutMs` with `what`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * How to start `nxlayout watch` as its own process: the built CLI once main.ts
 * wires the command in, else a stand-in that registers it the same way.
 */
export function watchCommandLine(args: string[]): { command: string; args: string[] } {
  const main = path.join(REPO, 'dist', 'src', 'cli', 'main.js');
  if (fs.existsSync(main) && fs.readFileSync(main, 'utf8').includes('registerWatch')) {
    return { command: process.execPath, args: [path.join(REPO, 'dist', 'src', 'cli', 'bin.js'), 'watch', ...args] };
  }
  const url = (p: string): string => JSON.stringify(new URL(`dist/src/${p}`, `file://${REPO}`).href);
  const script = [
    `import { Command, CommanderError } from 'commander';`,
    `import { registerWatch } from ${url('cli/commands/watch.js')};`,
    `import { processIo } from ${url('cli/io.js')};`,
    `import { formatDiagnostic, isNxlError } from ${url('errors.js')};`,
    `let code = 0;`,
    `const program = new Command('nxlayout').exitOverride();`,
    `registerWatch(program, processIo, (c) => { code = c; });`,
    `try { await program.parseAsync(['watch', ...process.argv.slice(1)], { from: 'user' }); }`,
    `catch (e) { if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 2; else if (isNxlError(e)) { processIo.err(formatDiagnostic(e.toDiagnostic())); code = 2; } else throw e; }`,
    `process.exitCode = code;`,
  ].join('\n');
  return { command: process.execPath, args: ['--input-type=module', '-e', script, '--', ...args] };
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A `nxlayout watch` process started by a test, with what it printed so far. */
export interface WatchProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts `nxlayout watch ARGS` as a real process (under `ulimit -n N` when `ulimit` is given), capturing its output. */
export function spawnWatch(args: string[], options: { ulimit?: number } = {}): WatchProcess {
  const line = watchCommandLine(args);
  const env = { ...process.env, NO_COLOR: '1' };
  const child =
    options.ulimit === undefined
      ? spawn(line.command, line.args, { cwd: REPO, env })
      : spawn('bash', ['-c', `ulimit -n ${options.ulimit}; exec "$0" "$@"`, line.command, ...line.args], {
          cwd: REPO,
          env,
        });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs the watch command to its end (or until `timeoutMs`, then SIGKILL). */
export async function runWatch(args: string[], timeoutMs = 30_000): Promise<Exited> {
  const w = spawnWatch(args);
  const timer = setTimeout(() => w.child.kill('SIGKILL'), timeoutMs);
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    w.child.on('close', (_code, sig) => resolve(sig)),
  );
  clearTimeout(timer);
  return { code: await w.exited, signal, stdout: w.stdout(), stderr: w.stderr() };
}

/** Fills the file system of `dir` to its last byte with a file `filler` (its path is returned); any error but ENOSPC is thrown. */
export function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  try {
    for (;;) fs.writeSync(fd, Buffer.alloc(4096));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}
