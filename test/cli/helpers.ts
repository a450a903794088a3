/**
 * Running the CLI in tests: `nxlayout()` spawns the built CLI (dist/src/cli/bin.js) the way a user
 * runs it, with NO_COLOR=1 — for what needs a process (signals, exit behaviour, stdin/TTY, the
 * environment, start-up, kills); `nxlayoutIn()` calls `main()` in this process with a capturing
 * console — for what checks output, files and exit codes (no node start-up, no module loading).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

/** The repository root (this file runs as dist/test/cli/helpers.js). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = path.join(REPO, 'dist/src/cli/bin.js');
export const REALDATA = fileURLToPath(new URL('../../../../shared/realdata/', import.meta.url));
export const USAXS = path.join(REALDATA, 'apstools/usaxs.json.gz');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function nxlayout(args: string[], options: { cwd?: string } = {}): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `nxlayout ARGS` run in-process by `main(argv, io)`: stdout and stderr are what the process would
 * print (each line as processIo writes it), `status` its exit code. Like `nxlayout()` it runs in
 * the repository (or `cwd`): the working directory is changed for the call and restored after,
 * so calls must not overlap (node:test runs a file's tests one at a time).
 */
export async function nxlayoutIn(args: string[], options: { cwd?: string } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io = {
    out: (text: string) => void (stdout += text.endsWith('\n') ? text : `${text}\n`),
    err: (text: string) => void (stderr += text.endsWith('\n') ? text : `${text}\n`),
    interactive: false,
  };
  const cwd = process.cwd();
  process.chdir(options.cwd ?? REPO);
  try {
    const status = await main(args, io);
    return { status, stdout, stderr };
  } finally {
    process.chdir(cwd);
  }
}

/** Nothing in the output looks like a crash: no stack frames, no "internal error". */
export function assertNoCrash(r: CliResult): void {
  assert.doesNotMatch(r.stderr, /^\s+at .+\(.*:\d+:\d+\)$|^\s+at file:/m, `a stack trace on stderr:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|TypeError|ReferenceError|RangeError/, r.stderr);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `nxl-cli-${prefix}-`));
}

export const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

/** `nxlayout watch ARGS` in-process (see nxlayoutIn), shaped like test/watch's runWatch (no signal: it is not a process). */
export async function runWatchIn(
  args: string[],
): Promise<{ code: number | null; signal: null; stdout: string; stderr: string }> {
  const r = await nxlayoutIn(['watch', ...args]);
  return { code: r.status, signal: null, stdout: r.stdout, stderr: r.stderr };
}
