/**
 * The targets, measured as whole processes (bench/whole.ts): each
 * figure is the median of `runs` runs, its comparison measured in the same
 * rounds. Returns the printed lines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultDecodeThreads } from '../src/documents/jsonl-decode-pool.js';
import type { DataPaths, Sizes } from './config.js';
import {
  BIN,
  emptyDir,
  FLOOR_CLI,
  H5PY_WRITER,
  h5pyPython,
  interleaved,
  oneEventLog,
  smallSpool,
  type Figures,
} from './whole.js';

export interface TargetRow {
  figure: string;
  measured: string;
  target: string;
  met?: boolean;
}

const node = process.execPath;
const f2 = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2));
const f0 = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(0));

function write(
  label: string,
  logs: string[],
  out: string,
  extra: string[] = [],
): { label: string; argv: string[]; prepare: () => void } {
  return { label, argv: [node, BIN, 'write', ...logs, '--out', out, '--overwrite', ...extra], prepare: emptyDir(out) };
}

/**
 * The decode-thread count `write` does not choose for `log` by default (0 or 1), measured beside the
 * default in the same rounds: the figures the default was chosen from.
 */
function otherThreads(log: string): { chosen: number; other: number } {
  const chosen = defaultDecodeThreads(fs.statSync(log).size);
  return { chosen, other: chosen === 0 ? 1 : 0 };
}

function threadsLine(scenario: string, threads: { chosen: number; other: number }, w: Figures, alt: Figures): string {
  const show = (f: Figures) => `${f2(f.wall)} s, ${f2(f.cpu)} s CPU, ${f0(f.rssMB)} MB`;
  return `decode threads, ${scenario} write: default (${threads.chosen}) ${show(w)}; --decode-threads ${threads.other}: ${show(alt)} (wall ${f2(alt.wall / w.wall)}×)`;
}

function failures(figures: readonly Figures[]): string[] {
  return figures.filter((f) => f.failed !== undefined).map((f) => `FAILED ${f.label}: ${f.failed}`);
}

export interface TargetOptions {
  paths: DataPaths;
  sizes: Sizes;
  runs: number;
  work: string;
  /** Scenarios to measure (S1, S2, S5; the start-up figures always). */
  only: readonly string[];
  progress: (text: string) => void;
}

export function measureTargets(o: TargetOptions): { rows: TargetRow[]; lines: string[] } {
  const rows: TargetRow[] = [];
  const lines: string[] = [];
  const out = path.join(o.work, 'out');
  const step = (what: string, commands: Parameters<typeof interleaved>[0]): Figures[] => {
    o.progress(`whole-process ${what} (${o.runs} rounds)… `);
    const t0 = performance.now();
    const figures = interleaved(commands, o.runs, o.work);
    o.progress(`${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    lines.push(...failures(figures));
    return figures;
  };

  // Start-up: --help and a one-event write beside a bare node.
  const one = oneEventLog(o.paths.s1, path.join(o.work, 'one-event.jsonl'));
  const [bare, help, single] = step('start-up', [
    { label: 'node -e 0', argv: [node, '-e', '0'] },
    { label: 'nxlayout --help', argv: [node, BIN, '--help'] },
    write('write, 1 event', [one], out),
  ]);
  rows.push({
    figure: '`nxlayout --help`',
    measured: `${f2(help.wall)} s, ${f2(help.cpu)} s CPU (node -e 0: ${f2(bare.wall)} s, ${f2(bare.cpu)} s CPU)`,
    target: '≤ 0.15 s',
    met: help.wall <= 0.15,
  });
  rows.push({
    figure: '1-event `write`',
    measured: `${f2(single.wall)} s, ${f2(single.cpu)} s CPU`,
    target: '≤ 0.25 s',
    met: single.wall <= 0.25,
  });

  let s1Rss: number | undefined;
  if (o.only.includes('S1')) {
    const h5py = h5pyPython();
    const threads = otherThreads(o.paths.s1);
    const commands = [
      { label: 'floor S1', argv: [node, FLOOR_CLI, o.paths.s1] },
      write('write S1', [o.paths.s1], out),
      write('write S1, other decode threads', [o.paths.s1], out, ['--decode-threads', String(threads.other)]),
      ...(h5py.python === undefined
        ? []
        : [{ label: 'h5py S1', argv: [h5py.python, H5PY_WRITER, o.paths.s1, path.join(o.work, 'h5py.h5')] }]),
    ];
    const [floor, w, alt, py] = step('S1', commands);
    lines.push(threadsLine('S1', threads, w, alt));
    s1Rss = w.rssMB;
    const ratio = w.wall / floor.wall;
    rows.push({
      figure: 'S1 `write` / floor, whole process',
      measured: `${f2(ratio)}× (write ${f2(w.wall)} s, ${f2(w.cpu)} s CPU; floor ${f2(floor.wall)} s, ${f2(floor.cpu)} s CPU)`,
      target: '≤ 1.5×',
      met: ratio <= 1.5,
    });
    rows.push({
      figure: 'S1 peak RSS',
      measured: `${f0(w.rssMB)} MB (floor ${f0(floor.rssMB)} MB)`,
      target: '≤ 150 MB',
      met: (w.rssMB ?? Infinity) <= 150,
    });
    lines.push(
      py === undefined
        ? `h5py reference: ${h5py.note}`
        : `h5py reference (bench/h5py-writer.py, same columns, whole process): S1 ${f2(py.wall)} s (CPU not measured: not a node process); nxlayout write / h5py = ${f2(w.wall / py.wall)}`,
    );
  }
  if (o.only.includes('S2')) {
    const threads = otherThreads(o.paths.s2);
    const [floor, w, alt] = step('S2', [
      { label: 'floor S2', argv: [node, FLOOR_CLI, o.paths.s2] },
      write('write S2', [o.paths.s2], out),
      write('write S2, other decode threads', [o.paths.s2], out, ['--decode-threads', String(threads.other)]),
    ]);
    lines.push(threadsLine('S2', threads, w, alt));
    const ratio = w.wall / floor.wall;
    rows.push({
      figure: 'S2 `write` / floor',
      measured: `${f2(ratio)}× (write ${f2(w.wall)} s, ${f2(w.cpu)} s CPU; floor ${f2(floor.wall)} s, ${f2(floor.cpu)} s CPU)`,
      target: '≤ 1.2×',
      met: ratio <= 1.2,
    });
    if (s1Rss !== undefined && w.rssMB !== undefined) {
      const r = w.rssMB / s1Rss;
      rows.push({
        figure: 'S2 peak RSS / S1 peak RSS',
        measured: `${f2(r)} (${f0(w.rssMB)} / ${f0(s1Rss)} MB)`,
        target: '≤ 1.1',
        met: r <= 1.1,
      });
    }
  }
  if (o.only.includes('S5')) {
    const few = smallSpool(o.paths.s5Spool, 10, path.join(o.work, 's5-10'));
    const watch = (label: string, spool: string) => ({
      label,
      argv: [node, BIN, 'watch', spool, '--out', out, '--once', '--status-interval', '0'],
      prepare: emptyDir(out),
    });
    const [many, ten] = step('S5', [
      watch(`watch --once, ${o.sizes.s5Runs} runs`, o.paths.s5Spool),
      watch('watch --once, 10 runs', few),
    ]);
    const perSecond = o.sizes.s5Runs / many.wall;
    rows.push({
      figure: 'S5 `watch --once`, small runs',
      measured: `${f0(perSecond)} runs/s (${o.sizes.s5Runs} runs in ${f2(many.wall)} s, ${f2(many.cpu)} s CPU, start-up included)`,
      target: '≥ 150 runs/s',
      met: perSecond >= 150,
    });
    if (many.rssMB !== undefined && ten.rssMB !== undefined) {
      const r = many.rssMB / ten.rssMB;
      rows.push({
        figure: `watch peak RSS after ${o.sizes.s5Runs} runs / after 10 runs`,
        measured: `${f2(r)} (${f0(many.rssMB)} / ${f0(ten.rssMB)} MB)`,
        target: '≤ 1.1',
        met: r <= 1.1,
      });
    }
  }
  return { rows, lines };
}

export function formatTargets(rows: readonly TargetRow[], runs: number): string[] {
  const lines = [
    `targets, whole processes (median of ${runs} runs; each comparison measured in the same rounds):`,
    '',
    '| figure | measured | target | met |',
    '|---|---|---|---|',
  ];
  for (const r of rows)
    lines.push(`| ${r.figure} | ${r.measured} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : 'no'} |`);
  return lines;
}
