/**
 * Writes the bench's inputs (S1–S5) under a data directory, once: a manifest
 * records the generator version and sizes, and matching data is reused.
 *
 *     node dist/bench/generate.js [--quick] [--fresh] [--data DIR]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  dataPaths,
  defaultDataRoot,
  FULL,
  GENERATOR_VERSION,
  QUICK,
  s5LogName,
  type DataPaths,
  type Sizes,
} from './config.js';
import { writeFrames } from './h5-frames.js';
import {
  descriptorLine,
  eventLine,
  eventPageLine,
  imageKey,
  runIds,
  S4_SCALARS,
  scalarEventLine,
  startLine,
  stopLine,
  streamDatumLine,
  streamResourceLine,
} from './synth.js';

const FLUSH_CHARS = 1 << 20;
const S4_DATASET = '/entry/data/data';

/** Appends text to a file in ~1 MB writes. */
class TextSink {
  readonly #fd: number;
  #buffer = '';

  constructor(file: string) {
    this.#fd = fs.openSync(file, 'w');
  }

  write(text: string): void {
    this.#buffer += text;
    if (this.#buffer.length >= FLUSH_CHARS) this.#flush();
  }

  close(): void {
    this.#flush();
    fs.closeSync(this.#fd);
  }

  #flush(): void {
    if (this.#buffer !== '') fs.writeSync(this.#fd, this.#buffer);
    this.#buffer = '';
  }
}

function writeEventLog(file: string, runNumber: number, events: number): void {
  const r = runIds(runNumber);
  const out = new TextSink(file);
  out.write(startLine(r));
  out.write(descriptorLine(r));
  for (let i = 0; i < events; i++) out.write(eventLine(r, i));
  out.write(stopLine(r, events));
  out.close();
}

function writePageLog(file: string, runNumber: number, events: number, pageSize: number): void {
  const r = runIds(runNumber);
  const out = new TextSink(file);
  out.write(startLine(r));
  out.write(descriptorLine(r));
  for (let i = 0; i < events; i += pageSize) out.write(eventPageLine(r, i, Math.min(events, i + pageSize)));
  out.write(stopLine(r, events));
  out.close();
}

async function writeExternalLog(
  file: string,
  h5: string,
  events: number,
  frame: readonly [number, number],
): Promise<void> {
  await writeFrames(h5, S4_DATASET, events, frame);
  const r = runIds(4);
  const out = new TextSink(file);
  out.write(startLine(r));
  out.write(descriptorLine(r, S4_SCALARS, imageKey(frame)));
  out.write(streamResourceLine(r, h5, S4_DATASET, frame));
  for (let i = 0; i < events; i++) {
    out.write(scalarEventLine(r, i, S4_SCALARS));
    out.write(streamDatumLine(r, i));
  }
  out.write(stopLine(r, events));
  out.close();
}

/** The lines of one small S5 run, stop last (the latency harness appends that line on its own). */
export function smallRunLines(runNumber: number, events: number): string[] {
  const r = runIds(runNumber);
  const lines = [startLine(r), descriptorLine(r)];
  for (let i = 0; i < events; i++) lines.push(eventLine(r, i));
  lines.push(stopLine(r, events));
  return lines;
}

function writeSpool(dir: string, runs: number, events: number): void {
  fs.mkdirSync(dir, { recursive: true });
  // S5's runs are numbered from 1001 so their scan_ids and uids differ from S1–S4's.
  for (let n = 1; n <= runs; n++)
    fs.writeFileSync(path.join(dir, s5LogName(n)), smallRunLines(1000 + n, events).join(''));
}

interface Manifest {
  version: number;
  sizes: Sizes;
}

function manifestMatches(paths: DataPaths, sizes: Sizes): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(paths.manifest, 'utf8')) as Manifest;
    return m.version === GENERATOR_VERSION && JSON.stringify(m.sizes) === JSON.stringify(sizes);
  } catch {
    return false;
  }
}

export interface Generated {
  readonly paths: DataPaths;
  /** False when the data of an earlier run was reused. */
  readonly generated: boolean;
  readonly seconds: number;
}

/** The inputs of `sizes` under `root`, generated unless present (or `fresh`). */
export async function ensureData(root: string, sizes: Sizes, fresh = false): Promise<Generated> {
  const paths = dataPaths(root, sizes);
  if (!fresh && manifestMatches(paths, sizes)) return { paths, generated: false, seconds: 0 };
  const t0 = performance.now();
  fs.rmSync(paths.dir, { recursive: true, force: true });
  fs.mkdirSync(paths.dir, { recursive: true });
  writeEventLog(paths.s1, 1, sizes.s1Events);
  writeEventLog(paths.s2, 2, sizes.s2Events);
  writePageLog(paths.s3, 3, sizes.s1Events, sizes.s3PageSize);
  await writeExternalLog(paths.s4, paths.s4H5, sizes.s4Events, sizes.s4Frame);
  writeSpool(paths.s5Spool, sizes.s5Runs, sizes.s5EventsPerRun);
  const manifest: Manifest = { version: GENERATOR_VERSION, sizes };
  fs.writeFileSync(paths.manifest, JSON.stringify(manifest, null, 2) + '\n');
  return { paths, generated: true, seconds: (performance.now() - t0) / 1000 };
}

/** Bytes of a log, or of every file under a directory. */
export function inputBytes(target: string): number {
  const st = fs.statSync(target);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const entry of fs.readdirSync(target)) total += inputBytes(path.join(target, entry));
  return total;
}

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const sizes = args.includes('--quick') ? QUICK : FULL;
  const g = await ensureData(argValue(args, '--data') ?? defaultDataRoot(), sizes, args.includes('--fresh'));
  process.stdout.write(
    `${g.generated ? `generated in ${g.seconds.toFixed(1)} s` : 'already present'}: ${g.paths.dir}\n`,
  );
}
