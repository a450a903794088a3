/** Pure: scenario measurements → table rows, target checks and the printed table. */
import type { ScenarioName, Sizes } from './config.js';
import type { LatencyFigures, Mode, ScenarioResult } from './scenario.js';

export interface Machine {
  nproc: number;
  cpu: string;
  node: string;
  memGB: number;
}

/** Best wall time (fastest of the repeats) and highest peak RSS of one mode of one scenario. */
interface ModeFigures {
  seconds: number;
  /** Least CPU seconds of the repeats (steadier than wall when other work shares the cores). */
  cpuSeconds?: number;
  maxRssMB: number;
  repeats: number;
}

export interface ScenarioRow {
  scenario: ScenarioName;
  events: number;
  inputMB: number;
  modes: Partial<Record<Mode, ModeFigures>>;
  /** write seconds / floor seconds. */
  writeOverFloor?: number;
  writeEventsPerSecond?: number;
  writeMBPerSecond?: number;
  /** S5: runs written per second by `watch --once`, and by `write` of the whole spool. */
  watchRunsPerSecond?: number;
  writeRunsPerSecond?: number;
  latency?: { append: LatencyFigures; rename: LatencyFigures };
}

export interface Check {
  target: string;
  met: boolean | undefined;
  figures: string;
}

export function rowOf(
  scenario: ScenarioName,
  events: number,
  inputBytes: number,
  results: readonly ScenarioResult[],
  runs: number,
): ScenarioRow {
  const row: ScenarioRow = { scenario, events, inputMB: inputBytes / 1e6, modes: {} };
  for (const r of results) {
    const m = row.modes[r.mode];
    const cpu = r.cpuSeconds === undefined ? m?.cpuSeconds : Math.min(m?.cpuSeconds ?? Infinity, r.cpuSeconds);
    row.modes[r.mode] =
      m === undefined
        ? { seconds: r.seconds, maxRssMB: r.maxRssMB, repeats: 1, ...(cpu === undefined ? {} : { cpuSeconds: cpu }) }
        : {
            seconds: Math.min(m.seconds, r.seconds),
            maxRssMB: Math.max(m.maxRssMB, r.maxRssMB),
            repeats: m.repeats + 1,
            ...(cpu === undefined ? {} : { cpuSeconds: cpu }),
          };
    if (r.latency !== undefined) row.latency = r.latency;
  }
  const write = row.modes.write;
  const floor = row.modes.floor;
  if (write !== undefined) {
    row.writeEventsPerSecond = events / write.seconds;
    row.writeMBPerSecond = row.inputMB / write.seconds;
    if (floor !== undefined) row.writeOverFloor = write.seconds / floor.seconds;
    if (scenario === 'S5') row.writeRunsPerSecond = runs / write.seconds;
  }
  const once = row.modes['watch-once'];
  if (once !== undefined) row.watchRunsPerSecond = runs / once.seconds;
  return row;
}

const fmt = (v: number | undefined, digits = 2): string =>
  v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
const int = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '—' : Math.round(v).toLocaleString('en-US');

export function checks(rows: readonly ScenarioRow[]): Check[] {
  const by = (s: ScenarioName): ScenarioRow | undefined => rows.find((r) => r.scenario === s);
  const s1 = by('S1');
  const s2 = by('S2');
  const s3 = by('S3');
  const s5 = by('S5');
  const out: Check[] = [];
  const ratio = s1?.writeOverFloor;
  const cpuRatio = (s1?.modes.write?.cpuSeconds ?? NaN) / (s1?.modes.floor?.cpuSeconds ?? NaN);
  out.push({
    target: 'S1 write/floor ≤ 1.5',
    met: ratio === undefined ? undefined : ratio <= 1.5,
    figures: `write ${fmt(s1?.modes.write?.seconds)} s / floor ${fmt(s1?.modes.floor?.seconds)} s = ${fmt(ratio)} (CPU time: ${fmt(cpuRatio)})`,
  });
  const rss1 = s1?.modes.write?.maxRssMB;
  const rss2 = s2?.modes.write?.maxRssMB;
  const rssRatio = rss1 !== undefined && rss2 !== undefined ? rss2 / rss1 : undefined;
  out.push({
    target: 'S2 peak RSS ≤ 1.25 × S1 peak RSS',
    met: rssRatio === undefined ? undefined : rssRatio <= 1.25,
    figures: `S2 ${fmt(rss2, 0)} MB / S1 ${fmt(rss1, 0)} MB = ${fmt(rssRatio)}`,
  });
  const w1 = s1?.modes.write?.seconds;
  const w3 = s3?.modes.write?.seconds;
  out.push({
    target: 'S3 (event_page) no slower than S1',
    met: w1 === undefined || w3 === undefined ? undefined : w3 <= w1,
    figures: `S3 ${fmt(w3)} s vs S1 ${fmt(w1)} s (${fmt(w1 !== undefined && w3 !== undefined ? w3 / w1 : undefined)}×)`,
  });
  const rps = s5?.watchRunsPerSecond;
  out.push({
    target: 'S5 watch --once ≥ 50 runs/s',
    met: rps === undefined ? undefined : rps >= 50,
    figures: `${fmt(rps, 1)} runs/s (${fmt(s5?.modes['watch-once']?.seconds)} s)`,
  });
  const lat = s5?.latency;
  out.push({
    target: 'S5 live watch p50 latency ≤ 100 ms',
    met: lat === undefined ? undefined : lat.append.p50 <= 100,
    figures:
      lat === undefined
        ? 'not measured'
        : `append stop: p50 ${fmt(lat.append.p50, 0)} ms, p95 ${fmt(lat.append.p95, 0)} ms; rename in: p50 ${fmt(lat.rename.p50, 0)} ms, p95 ${fmt(lat.rename.p95, 0)} ms`,
  });
  return out;
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
}

export function formatTable(rows: readonly ScenarioRow[], machine: Machine, sizes: Sizes): string[] {
  const lines: string[] = [];
  lines.push(
    `nxlayout bench (${sizes.label}) — ${machine.nproc} × ${machine.cpu}, node ${machine.node}, ${machine.memGB.toFixed(0)} GB`,
  );
  lines.push(
    'wall: best of the repeats, in-process (node start-up and module loading excluded); w cpu: least CPU time (all threads) of the writes; RSS: peak of the child process',
  );
  lines.push('');
  const head = [
    'scen',
    'events',
    'in MB',
    'floor s',
    'read s',
    'write s',
    'w cpu s',
    'write ev/s',
    'write MB/s',
    'w/floor',
    'RSS floor',
    'RSS read',
    'RSS write',
  ];
  const widths = [4, 10, 7, 7, 7, 7, 7, 10, 10, 7, 9, 8, 9];
  lines.push(pad(head, widths));
  for (const r of rows) {
    lines.push(
      pad(
        [
          r.scenario,
          int(r.events),
          fmt(r.inputMB, 1),
          fmt(r.modes.floor?.seconds),
          fmt(r.modes.read?.seconds),
          fmt(r.modes.write?.seconds),
          fmt(r.modes.write?.cpuSeconds),
          int(r.writeEventsPerSecond),
          fmt(r.writeMBPerSecond, 1),
          fmt(r.writeOverFloor),
          `${fmt(r.modes.floor?.maxRssMB, 0)} MB`,
          `${fmt(r.modes.read?.maxRssMB, 0)} MB`,
          `${fmt(r.modes.write?.maxRssMB, 0)} MB`,
        ],
        widths,
      ),
    );
  }
  const s5 = rows.find((r) => r.scenario === 'S5');
  if (s5 !== undefined) {
    lines.push('');
    lines.push(
      `S5 ${sizes.s5Runs} runs × ${sizes.s5EventsPerRun} events: watch --once ${fmt(s5.modes['watch-once']?.seconds)} s = ${fmt(s5.watchRunsPerSecond, 1)} runs/s` +
        ` (RSS ${fmt(s5.modes['watch-once']?.maxRssMB, 0)} MB); write of the spool ${fmt(s5.modes.write?.seconds)} s = ${fmt(s5.writeRunsPerSecond, 1)} runs/s`,
    );
    if (s5.latency !== undefined) {
      const l = s5.latency;
      lines.push(
        `S5 live watch, ${l.append.samples.length} runs each: stop appended → file: p50 ${fmt(l.append.p50, 0)} ms, p95 ${fmt(l.append.p95, 0)} ms, max ${fmt(l.append.max, 0)} ms;` +
          ` complete log renamed in → file: p50 ${fmt(l.rename.p50, 0)} ms, p95 ${fmt(l.rename.p95, 0)} ms, max ${fmt(l.rename.max, 0)} ms`,
      );
    }
  }
  lines.push('');
  lines.push('targets:');
  for (const c of checks(rows))
    lines.push(
      `  ${c.met === undefined ? 'NOT RUN' : c.met ? 'MET    ' : 'NOT MET'}  ${c.target.padEnd(36)} ${c.figures}`,
    );
  return lines;
}
