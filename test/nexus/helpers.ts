/** Shared helpers of the nexus tests: temp dirs, Debian's h5dump/h5ls, and parsing their output. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PlannedAttribute } from '../../src/evaluate/models.js';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-nexus-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Run an HDF5 command-line tool. A missing tool FAILS the test (CI installs hdf5-tools). */
export function tool(name: 'h5dump' | 'h5ls', args: string[], cwd = '/'): string {
  const r = spawnSync(name, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${name} could not run (${r.error.message}): install Debian's hdf5-tools`);
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/**
 * A dataset's raw little-endian bytes as h5dump reads and writes them (`-b LE`), through a file in
 * `dir`: a million values cost h5dump ~30 ms this way, ~0.5 s as text.
 */
export function dumpBinary(file: string, dataset: string, dir: string): Buffer {
  const out = path.join(dir, `${path.basename(file)}${dataset.replace(/\//g, '_')}.bin`);
  tool('h5dump', ['-d', dataset, '-b', 'LE', '-o', out, file]);
  return fs.readFileSync(out);
}

/** h5dump prints non-ASCII bytes as sign-extended octal (`\37777777703`): back to UTF-8 text. */
function decodeH5dumpString(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i];
    if (c !== '\\') {
      bytes.push(...new TextEncoder().encode(c));
      continue;
    }
    const octal = /^[0-7]{11}|^[0-7]{3}/.exec(s.slice(i + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8) & 0xff);
      i += octal[0].length;
      continue;
    }
    const next = s[i + 1];
    bytes.push(({ n: 10, t: 9, r: 13 } as Record<string, number>)[next] ?? next.charCodeAt(0));
    i += 1;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
}

/** The values of a DATA { … } block as tokens: strings decoded, numbers as their text. */
export function dataTokens(block: string): string[] {
  const out: string[] = [];
  for (const m of block.matchAll(/"((?:[^"\\]|\\.)*)"|[^\s,]+/g))
    out.push(m[1] !== undefined ? decodeH5dumpString(m[1]) : m[0]);
  return out;
}

/** The first `DATA { … }` block of an h5dump listing. */
export function firstDataBlock(dump: string): string {
  const start = dump.indexOf('DATA {');
  if (start < 0) throw new Error(`no DATA block in:\n${dump}`);
  const end = dump.indexOf('}', dump.indexOf('\n', start));
  let body = dump.slice(dump.indexOf('\n', start) + 1, end);
  // Strings may contain "}", so take up to the closing line instead when there are quotes.
  if (body.includes('"')) body = dump.slice(dump.indexOf('\n', start) + 1).split(/\n\s*}\n/)[0];
  return body;
}

/** Values of a dataset as h5dump reads them. */
export function dumpValues(file: string, dataset: string, cwd?: string): string[] {
  return dataTokens(firstDataBlock(tool('h5dump', ['-y', '-w', '0', '-d', dataset, file], cwd)));
}

/** Value of an attribute (`/entry/NX_class`) as h5dump reads it. */
export function dumpAttribute(file: string, attribute: string): string[] {
  return dataTokens(firstDataBlock(tool('h5dump', ['-y', '-w', '0', '-a', attribute, file])));
}

export function attr(
  name: string,
  dtype: PlannedAttribute['dtype'],
  data: unknown[],
  shape: number[] = [],
): PlannedAttribute {
  return { name, dtype, shape, data };
}

export const text = (name: string, value: string): PlannedAttribute => attr(name, 'string', [value]);

/** One object to read with dumpMany: a dataset (`-d`) or an attribute (`-a`, `/object/name`). */
export type DumpSpec = ['-d' | '-a', string];

/**
 * The values of several datasets and attributes from ONE h5dump run (`-d A -a B …`: one process, not
 * one per object), in the order asked, as dumpValues / dumpAttribute read them. Each top-level block is
 * checked to be the object asked (a dataset by its path, an attribute by its name). `flags` go before
 * the objects (e.g. `-p` to also print each dataset's storage layout and filters); the raw blocks are
 * returned beside the values for such checks. A second hard link to an object already printed in the
 * run costs a run of its own.
 */
export function dumpMany(
  file: string,
  specs: readonly DumpSpec[],
  flags: readonly string[] = [],
  cwd?: string,
): { values: string[]; block: string }[] {
  const blocks = tool('h5dump', ['-y', '-w', '0', ...flags, ...specs.flat(), file], cwd)
    .split(/^(?=(?:DATASET|ATTRIBUTE) ")/m)
    .slice(1);
  if (blocks.length !== specs.length)
    throw new Error(`h5dump of ${file} gave ${blocks.length} blocks for ${specs.length} objects asked`);
  return specs.map(([kind, p], i) => {
    const head = kind === '-d' ? `DATASET "${p}" {` : `ATTRIBUTE "${p.slice(p.lastIndexOf('/') + 1)}" {`;
    if (!blocks[i].startsWith(head)) throw new Error(`h5dump block ${i} is not ${head}: ${blocks[i].slice(0, 80)}`);
    // A second hard link to an object this run already printed comes as `HARDLINK "…"` with no data:
    // that one is dumped by a run of its own (h5dump still reads it through this path).
    const block =
      /^ {3}HARDLINK "/m.test(blocks[i]) && !blocks[i].includes('DATA {')
        ? tool('h5dump', ['-y', '-w', '0', ...flags, kind, p, file], cwd)
        : blocks[i];
    return { values: dataTokens(firstDataBlock(block)), block };
  });
}
