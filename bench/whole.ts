/**
 * Whole-process figures, as a user meets them: each command runs as its own
 * process (`node dist/src/cli/bin.js write …`, start-up included), n times,
 * interleaved with the command it is compared with (the floor, `node -e 0`,
 * the h5py writer), so a machine that slows down slows both. Wall time is
 * taken around the process; CPU time and peak RSS are the process's own
 * getrusage, written at its exit by bench/exit-usage.ts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const BIN = path.resolve(HERE, '../src/cli/bin.js');
export const FLOOR_CLI = path.join(HERE, 'floor-cli.js');
const EXIT_USAGE = path.join(HERE, 'exit-usage.js');
/** The h5py reference writer (a source file: run from the repository's bench/). */
export const H5PY_WRITER = path.resolve(HERE, '../../bench/h5py-writer.py');

export interface Command {
  label: string;
  /** Program and arguments. Node programs get the exit-usage hook; others are timed only. */
  argv: string[];
  /** Run before each run, not timed (e.g. empty the output folder). */
  prepare?: () => void;
}

interface Sample {
  wall: number;
  cpu?: number;
  rssMB?: number;
  status: number | null;
  stderr: string;
}

export interface Figures {
  label: string;
  wall: number;
  cpu?: number;
  rssMB?: number;
  runs: number;
  failed?: string;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function runOnce(c: Command, usageFile: string): Sample {
  c.prepare?.();
  fs.rmSync(usageFile, { force: true });
  const isNode = c.argv[0] === process.execPath;
  const argv = isNode ? [c.argv[0], '--import', EXIT_USAGE, ...c.argv.slice(1)] : c.argv;
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), {
    env: { ...process.env, NXL_BENCH_USAGE: usageFile },
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    timeout: 20 * 60_000,
  });
  const wall = (performance.now() - t0) / 1000;
  const sample: Sample = { wall, status: r.status, stderr: r.error?.message ?? r.stderr ?? '' };
  if (fs.existsSync(usageFile)) {
    const u = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { cpuSeconds: number; maxRssMB: number };
    sample.cpu = u.cpuSeconds;
    sample.rssMB = u.maxRssMB;
  }
  return sample;
}

/** Runs the commands in turn (A B A B …) after one warm-up round; the medians of each. */
export function interleaved(commands: readonly Command[], runs: number, work: string): Figures[] {
  const usageFile = path.join(work, 'usage.json');
  const samples = commands.map(() => [] as Sample[]);
  for (let round = -1; round < runs; round++) {
    commands.forEach((c, i) => {
      const s = runOnce(c, usageFile);
      if (round >= 0) samples[i].push(s);
    });
  }
  return commands.map((c, i) => {
    const ok = samples[i].filter((s) => s.status === 0);
    const bad = samples[i].find((s) => s.status !== 0);
    const cpus = ok.flatMap((s) => (s.cpu === undefined ? [] : [s.cpu]));
    const rss = ok.flatMap((s) => (s.rssMB === undefined ? [] : [s.rssMB]));
    return {
      label: c.label,
      wall: ok.length > 0 ? median(ok.map((s) => s.wall)) : NaN,
      ...(cpus.length > 0 ? { cpu: median(cpus) } : {}),
      ...(rss.length > 0 ? { rssMB: median(rss) } : {}),
      runs: ok.length,
      ...(bad === undefined
        ? {}
        : { failed: `exit ${bad.status}: ${bad.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 400)}` }),
    };
  });
}

/** Whether `python3` can import h5py (Debian's python3-h5py); the reason when not. */
export function h5pyPython(): { python?: string; note?: string } {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import h5py, numpy; print(h5py.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python };
  }
  return {
    note: 'no python3 with h5py and numpy here (Debian: apt-get install python3-h5py): the h5py reference line is skipped',
  };
}

/** A log of one run with one event: the start, descriptor, first event and stop of `log` (a single-run jsonl). */
export function oneEventLog(log: string, out: string): string {
  const fd = fs.openSync(log, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    const lines = head.subarray(0, n).toString('utf8').split('\n').slice(0, 3);
    const size = fs.fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 16 * 1024));
    fs.readSync(fd, tail, 0, tail.length, size - tail.length);
    const stop = tail.toString('utf8').trimEnd().split('\n').pop() ?? '';
    if (!lines[2]?.startsWith('["event"') || !stop.startsWith('["stop"'))
      throw new Error(`${log} does not start with start, descriptor, event and end with stop`);
    fs.writeFileSync(out, [...lines, stop].join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/** A spool of the first `count` logs of `spool` (hard links, else copies). */
export function smallSpool(spool: string, count: number, out: string): string {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const name of fs.readdirSync(spool).sort().slice(0, count)) {
    try {
      fs.linkSync(path.join(spool, name), path.join(out, name));
    } catch {
      fs.copyFileSync(path.join(spool, name), path.join(out, name));
    }
  }
  return out;
}

export function emptyDir(dir: string): () => void {
  return () => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  };
}
