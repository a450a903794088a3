/**
 * `npm run bench`: generates the inputs (once); measures the issue's targets
 * as whole processes (`node dist/src/cli/bin.js write …` as a user runs it,
 * beside the floor and an h5py writer when there is one, median of --runs,
 * bench/targets.ts); then, as a second view, every scenario in-process
 * (floor, reader, write; for S5 also `watch --once` and a live `watch`).
 *
 *     node dist/bench/run.js [--quick] [--json] [--only S1,S3] [--runs N] [--repeat N] [--profile] [--data DIR] [--fresh] [--no-in-process] [--startup-only]
 *
 * --startup-only: the start-up figures only (`--help` and a 1-event write beside `node -e 0`), no
 * scenario: the same as --only with no scenario and --no-in-process.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultDataRoot,
  FULL,
  QUICK,
  scenarioEvents,
  scenarioLogs,
  SCENARIOS,
  type ScenarioName,
  type Sizes,
} from './config.js';
import { ensureData, inputBytes } from './generate.js';
import { summarizeProfile } from './profile.js';
import { checks, formatTable, rowOf, type Machine, type ScenarioRow } from './report.js';
import { formatTargets, measureTargets } from './targets.js';
import type { Mode, ScenarioResult } from './scenario.js';

const SCENARIO_JS = fileURLToPath(new URL('./scenario.js', import.meta.url));
/** Run in this order: the small ones first, so a broken build shows early. */
const ORDER: ScenarioName[] = ['S1', 'S3', 'S4', 'S2', 'S5'];

interface Options {
  sizes: Sizes;
  json: boolean;
  only: ScenarioName[];
  repeat?: number;
  profileDir?: string;
  dataRoot: string;
  fresh: boolean;
  /** Whole-process runs per figure (median taken). */
  runs: number;
  inProcess: boolean;
}

function parseArgs(argv: string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = value('--only')
    ?.split(',')
    .map((s) => s.trim().toUpperCase()) ?? [...SCENARIOS];
  const bad = only.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (bad.length > 0) throw new Error(`unknown scenario ${bad.join(', ')} (known: ${SCENARIOS.join(', ')})`);
  const repeat = value('--repeat');
  const options: Options = {
    sizes: argv.includes('--quick') ? QUICK : FULL,
    json: argv.includes('--json'),
    only: only as ScenarioName[],
    dataRoot: value('--data') ?? defaultDataRoot(),
    fresh: argv.includes('--fresh'),
    runs: Math.max(1, Number(value('--runs') ?? 5) || 5),
    inProcess: !argv.includes('--no-in-process'),
  };
  if (argv.includes('--startup-only')) {
    options.only = [];
    options.inProcess = false;
  }
  if (repeat !== undefined) options.repeat = Math.max(1, Number(repeat) || 1);
  if (argv.includes('--profile')) options.profileDir = path.join(options.dataRoot, 'profiles');
  return options;
}

function machine(): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // Not Linux: os.cpus() has it.
  }
  return { nproc: os.availableParallelism(), cpu, node: process.version, memGB: os.totalmem() / 2 ** 30 };
}

/** Repeats of the measurements (fastest kept): the 1M-event S2 once, the rest three times. */
function repeatsOf(name: ScenarioName, options: Options): number {
  return options.repeat ?? (name === 'S1' || name === 'S3' || name === 'S4' ? 3 : 1);
}

function modesOf(name: ScenarioName): Mode[] {
  return name === 'S5' ? ['floor', 'write', 'watch-once'] : ['floor', 'read', 'write'];
}

interface Failure {
  scenario: ScenarioName;
  mode: Mode;
  reason: string;
}

function progress(options: Options, text: string): void {
  if (!options.json || process.stderr.isTTY) process.stderr.write(text);
}

function runChild(
  mode: Mode,
  name: ScenarioName,
  options: Options,
  work: string,
  tag: string,
): ScenarioResult | Failure {
  const profile =
    options.profileDir !== undefined && mode !== 'watch-latency'
      ? ['--profile', path.join(options.profileDir, `${name}-${mode}-${tag}.cpuprofile`)]
      : [];
  const out = path.join(work, `${name}-${mode}`);
  const child = spawnSync(
    process.execPath,
    [SCENARIO_JS, mode, name, '--data', options.dataRoot, '--sizes', options.sizes.label, '--out', out, ...profile],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      timeout: 15 * 60_000,
    },
  );
  fs.rmSync(out, { recursive: true, force: true });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (last.startsWith('{"mode"') && last.includes('"error"')) {
    return { scenario: name, mode, reason: (JSON.parse(last) as { error: string }).error };
  }
  if (child.status !== 0 || !last.startsWith('{')) {
    return {
      scenario: name,
      mode,
      reason: `exit ${child.status ?? child.signal}: ${(child.stderr || child.stdout).trim().split('\n').slice(-6).join(' | ')}`,
    };
  }
  const result = JSON.parse(last) as ScenarioResult;
  if (result.exitCode !== undefined && result.exitCode !== 0) {
    return {
      scenario: name,
      mode,
      reason: `exit code ${result.exitCode}: ${(result.errors ?? []).join(' | ').slice(0, 600)}`,
    };
  }
  return result;
}

function isFailure(r: ScenarioResult | Failure): r is Failure {
  return 'reason' in r;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  progress(options, `bench data (${options.sizes.label}) under ${options.dataRoot}: `);
  const data = await ensureData(options.dataRoot, options.sizes, options.fresh);
  progress(options, data.generated ? `generated in ${data.seconds.toFixed(1)} s\n` : 'reused\n');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nxlayout-bench-out-'));
  if (options.profileDir !== undefined) {
    fs.rmSync(options.profileDir, { recursive: true, force: true });
    fs.mkdirSync(options.profileDir, { recursive: true });
  }
  let targets: ReturnType<typeof measureTargets> = { rows: [], lines: [] };
  const rows: ScenarioRow[] = [];
  const failures: Failure[] = [];
  const all: ScenarioResult[] = [];
  const t0 = performance.now();
  try {
    targets = measureTargets({
      paths: data.paths,
      sizes: options.sizes,
      runs: options.runs,
      work,
      only: options.only,
      progress: (t) => progress(options, t),
    });
    for (const name of ORDER.filter((s) => options.inProcess && options.only.includes(s))) {
      const results: ScenarioResult[] = [];
      const repeats = repeatsOf(name, options);
      for (let rep = 0; rep < repeats; rep++) {
        for (const mode of modesOf(name)) {
          progress(options, `${name} ${mode} ${rep + 1}/${repeats}… `);
          const r = runChild(mode, name, options, work, String(rep + 1));
          if (isFailure(r)) {
            failures.push(r);
            progress(options, `FAILED\n`);
          } else {
            results.push(r);
            progress(options, `${r.seconds.toFixed(2)} s, ${r.maxRssMB.toFixed(0)} MB\n`);
          }
        }
      }
      if (name === 'S5') {
        progress(options, 'S5 watch-latency… ');
        const r = runChild('watch-latency', name, options, work, '1');
        if (isFailure(r)) {
          failures.push(r);
          progress(options, 'FAILED\n');
        } else {
          results.push(r);
          progress(options, `p50 ${r.latency?.append.p50.toFixed(0)} ms\n`);
        }
      }
      all.push(...results);
      const bytes = scenarioLogs(name, data.paths).reduce((n, p) => n + inputBytes(p), 0);
      rows.push(
        rowOf(name, scenarioEvents(name, options.sizes), bytes, results, name === 'S5' ? options.sizes.s5Runs : 1),
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const m = machine();
  const totalSeconds = (performance.now() - t0) / 1000;
  if (options.json) {
    process.stdout.write(
      JSON.stringify(
        {
          machine: m,
          sizes: options.sizes,
          totalSeconds,
          targets: targets.rows,
          rows,
          checks: checks(rows),
          failures,
          results: all,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const lines = [
      `nxlayout bench (${options.sizes.label}) — ${m.nproc} × ${m.cpu}, node ${m.node}`,
      '',
      ...formatTargets(targets.rows, options.runs),
      ...targets.lines,
      '',
    ];
    if (options.inProcess) lines.push('second view, in-process figures:', ...formatTable(rows, m, options.sizes));
    for (const f of failures) lines.push(`FAILED ${f.scenario} ${f.mode}: ${f.reason}`);
    lines.push(
      `(bench took ${totalSeconds.toFixed(0)} s${data.generated ? `, plus ${data.seconds.toFixed(0)} s generating the inputs` : ''})`,
    );
    process.stdout.write(lines.join('\n') + '\n');
  }
  // A measurement that failed is not a figure: say so on stderr too, and exit non-zero (CI and scripts see it).
  const failedTargets = targets.lines.filter((l) => l.startsWith('FAILED'));
  if (failures.length + failedTargets.length > 0) {
    process.stderr.write(
      `bench: ${failures.length + failedTargets.length} measurement(s) FAILED (see the FAILED lines above)\n`,
    );
    process.exitCode = 1;
  }
  if (options.profileDir !== undefined) {
    for (const file of fs
      .readdirSync(options.profileDir)
      .filter((f) => f.endsWith('-1.cpuprofile'))
      .sort()) {
      const lines = summarizeProfile(path.join(options.profileDir, file), 20);
      process.stderr.write(`\nprofile ${file} (self time):\n${lines.join('\n')}\n`);
    }
    process.stderr.write(`\nprofiles kept in ${options.profileDir} (open them in Chrome DevTools)\n`);
  }
}

await main();
