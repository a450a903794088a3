/** Spawning the built CLI (dist/src/cli/bin.js) the way a user runs it, with NO_COLOR=1. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Nothing in the output looks like a crash: no stack frames, no "internal error". */
export function assertNoCrash(r: CliResult): void {
  assert.doesNotMatch(r.stderr, /^\s+at .+\(.*:\d+:\d+\)$|^\s+at file:/m, `a stack trace on stderr:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|TypeError|ReferenceError|RangeError/, r.stderr);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `nxl-cli-${prefix}-`));
}

export const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');
