/** Running `validate` in-process, as the command line would, with its output captured. */
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import type { Io } from '../../src/cli/io.js';
import { registerValidate } from '../../src/cli/commands/validate.js';

/** dist/test/validate/ → the repository root. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const REALDATA = fileURLToPath(new URL('../../../../shared/realdata/', import.meta.url));
export const DEFINITIONS = fileURLToPath(new URL('../../../../shared/nexus-definitions/', import.meta.url));
export const SOURCE = `${REPO}test/validate/`;

export interface CliResult {
  code: number;
  out: string[];
  err: string[];
}

export async function runValidate(args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), interactive: false };
  let code = 0;
  const program = new Command('nxlayout')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerValidate(program, io, (c) => (code = c));
  try {
    await program.parseAsync(['validate', ...args], { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode === 0 ? 0 : 2;
  }
  return { code, out, err };
}

/** The shape `--format json` prints: the command's own type, so the tests read what it writes. */
import type { JsonFinding } from '../../src/cli/reporters/findings.js';
export type { JsonFinding };

export async function findings(args: string[]): Promise<{ code: number; findings: JsonFinding[]; err: string[] }> {
  const r = await runValidate([...args, '--format', 'json']);
  return {
    code: r.code,
    findings: r.out.length === 0 ? [] : (JSON.parse(r.out.join('\n')) as JsonFinding[]),
    err: r.err,
  };
}
