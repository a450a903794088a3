/**
 * One measurement, in its own process so that its peak RSS is its own:
 *
 *     node dist/bench/scenario.js MODE SCENARIO --data DIR --sizes full|quick --out DIR
 *
 * MODE: floor (read + JSON.parse only), read (nxlayout's reader only), write
 * (`nxlayout write`), watch-once (`nxlayout watch --once`), watch-latency (a
 * live `nxlayout watch`, fed one run at a time). The commands run in-process
 * through the CLI's `main`, timed from just before the call (node start-up
 * and module loading are reported apart). The last stdout line is a JSON
 * `ScenarioResult`. `--profile FILE` writes a CPU profile of the measured
 * work alone.
 */
import * as fs from 'node:fs';
import { dataPaths, FULL, QUICK, scenarioLogs, SCENARIOS, type ScenarioName } from './config.js';
import { decodeAll, logsOf } from './floor.js';
import { startProfile } from './profile.js';
import { eventsWritten } from './write-output.js';
import type { Io } from '../src/cli/io.js';

export const MODES = ['floor', 'read', 'write', 'watch-once', 'watch-latency'] as const;
export type Mode = (typeof MODES)[number];

export interface LatencyFigures {
  /** Milliseconds from the stop line landing to the file at its final path, one per run. */
  samples: number[];
  p50: number;
  p95: number;
  max: number;
}

export interface ScenarioResult {
  mode: Mode;
  scenario: ScenarioName;
  /** Wall seconds of the measured work. */
  seconds: number;
  /** CPU seconds (user + system, all threads) of the measured work: steadier than wall on a busy machine. */
  cpuSeconds?: number;
  /** Seconds spent loading nxlayout's modules (and h5wasm) before the clock started. */
  importSeconds: number;
  maxRssMB: number;
  documents?: number;
  events?: number;
  /** Runs whose file was written. */
  runs?: number;
  exitCode?: number;
  /** Lines the command printed on stderr (first few), for a failed run. */
  errors?: string[];
  latency?: { append: LatencyFigures; rename: LatencyFigures };
}

function arg(args: string[], flag: string): string {
  const i = args.indexOf(flag);
  const v = i >= 0 ? args[i + 1] : undefined;
  if (v === undefined) throw new Error(`scenario: missing ${flag}`);
  return v;
}

function captureIo(): { io: Io; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { interactive: false, out: (t) => void out.push(t), err: (t) => void err.push(t) }, out, err };
}

type Measured = Omit<ScenarioResult, 'mode' | 'scenario' | 'maxRssMB' | 'importSeconds' | 'seconds'>;

/** With `--profile FILE`: a CPU profile of the measured work only (not of start-up), written to FILE. */
let profileFile: string | undefined;

async function timed(body: () => Promise<Measured>): Promise<{ seconds: number; measured: Measured }> {
  const stop = profileFile === undefined ? undefined : await startProfile(profileFile);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const measured = await body();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  measured.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  await stop?.();
  return { seconds, measured };
}

async function measure(
  mode: Mode,
  name: ScenarioName,
  logs: string[],
  out: string,
  sizesLabel: string,
): Promise<ScenarioResult> {
  const i0 = performance.now();
  switch (mode) {
    case 'floor': {
      const { seconds, measured } = await timed(async () => decodeAll(logs));
      return finish(mode, name, 0, seconds, measured);
    }
    case 'read': {
      const { readDocumentLog } = await import('../src/documents/index.js');
      const importSeconds = (performance.now() - i0) / 1000;
      const { seconds, measured } = await timed(async () => {
        let documents = 0;
        let events = 0;
        for (const log of logs.flatMap(logsOf)) {
          for await (const item of readDocumentLog(log)) {
            if (item.kind !== 'document') continue;
            documents++;
            if (item.name === 'event') events++;
            else if (item.name === 'event_page') events += item.doc.seq_num.length;
          }
        }
        return { documents, events };
      });
      return finish(mode, name, importSeconds, seconds, measured);
    }
    case 'write':
    case 'watch-once': {
      const { main } = await import('../src/cli/main.js');
      const importSeconds = (performance.now() - i0) / 1000;
      fs.rmSync(out, { recursive: true, force: true });
      fs.mkdirSync(out, { recursive: true });
      const { io, out: printed, err } = captureIo();
      const argv =
        mode === 'write'
          ? ['write', ...logs, '--out', out, '--json']
          : ['watch', logs[0], '--out', out, '--once', '--status-interval', '0'];
      const { seconds, measured } = await timed(async () => {
        const exitCode = await main(argv, io);
        return { exitCode, ...(err.length > 0 ? { errors: err.slice(0, 5) } : {}) };
      });
      measured.runs = fs.readdirSync(out).filter((f) => f.endsWith('.nxs')).length;
      if (mode === 'write' && printed.length > 0) {
        measured.events = eventsWritten(printed.join('\n'));
      }
      return finish(mode, name, importSeconds, seconds, measured);
    }
    case 'watch-latency': {
      const { measureLatency } = await import('./watch-latency.js');
      const sizes = sizesLabel === 'quick' ? QUICK : FULL;
      const { seconds, measured } = await timed(async () => ({ latency: await measureLatency(out, sizes) }));
      return finish(mode, name, 0, seconds, measured);
    }
  }
}

function finish(
  mode: Mode,
  scenario: ScenarioName,
  importSeconds: number,
  seconds: number,
  measured: Measured,
): ScenarioResult {
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  return { mode, scenario, seconds, importSeconds, maxRssMB, ...measured };
}

const [mode, name, ...rest] = process.argv.slice(2);
if (!(MODES as readonly string[]).includes(mode) || !(SCENARIOS as readonly string[]).includes(name)) {
  process.stderr.write(
    `usage: scenario.js ${MODES.join('|')} ${SCENARIOS.join('|')} --data DIR --sizes full|quick --out DIR\n`,
  );
  process.exit(2);
}
const sizesLabel = arg(rest, '--sizes');
if (rest.includes('--profile')) profileFile = arg(rest, '--profile');
const paths = dataPaths(arg(rest, '--data'), sizesLabel === 'quick' ? QUICK : FULL);
try {
  const result = await measure(
    mode as Mode,
    name as ScenarioName,
    scenarioLogs(name as ScenarioName, paths),
    arg(rest, '--out'),
    sizesLabel,
  );
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (e) {
  // One line the parent can show: the reason, not a stack.
  process.stdout.write(
    JSON.stringify({ mode, scenario: name, error: e instanceof Error ? e.message : String(e) }) + '\n',
  );
  process.exitCode = 1;
}
