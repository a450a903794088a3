/**
 * S5 live: a `nxlayout watch` daemon in its own process, fed one small run at
 * a time. Latency is from the moment the stop document lands in the spool to
 * the moment the run's file appears at its final path:
 * - append: the run's log is in the spool already (start, descriptor,
 *   events) and its stop line is appended;
 * - rename: a complete log is renamed into the spool.
 * The output directory is watched with fs.watch, with a 5 ms poll as backstop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sizes } from './config.js';
import { smallRunLines } from './generate.js';
import type { LatencyFigures } from './scenario.js';

/** The CLI the daemon runs from (NXLAYOUT_BENCH_BIN overrides it, to try another build). */
const BIN = process.env.NXLAYOUT_BENCH_BIN ?? fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));
const POLL_MS = 5;
const FILE_TIMEOUT_MS = 15_000;
/** Time given to the daemon to read a run's first documents before its stop is appended. */
const SETTLE_MS = 100;
/** Latency runs are numbered from here, apart from the other scenarios' runs. */
const FIRST_RUN = 5001;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function nxsFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.nxs') && !f.startsWith('.'));
}

/** Resolves with the first .nxs file in `dir` not in `seen` (and adds it there). */
function nextFile(dir: string, seen: Set<string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const fresh = nxsFiles(dir).find((f) => !seen.has(f));
      if (fresh === undefined) return false;
      seen.add(fresh);
      cleanup();
      resolve(fresh);
      return true;
    };
    const watcher = fs.watch(dir, () => void check());
    const poll = setInterval(check, POLL_MS);
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no file appeared in ${dir} within ${FILE_TIMEOUT_MS} ms`));
    }, FILE_TIMEOUT_MS);
    function cleanup(): void {
      watcher.close();
      clearInterval(poll);
      clearTimeout(timer);
    }
    check();
  });
}

interface Daemon {
  readonly child: ChildProcess;
  readonly stderr: string[];
}

/** Starts the daemon and waits for its `started` log line. */
async function startDaemon(spool: string, out: string): Promise<Daemon> {
  const child = spawn(
    process.execPath,
    [BIN, 'watch', spool, '--out', out, '--status-interval', '0', '--log-format', 'json'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (s: string) => stderr.push(s));
  await new Promise<void>((resolve, reject) => {
    let text = '';
    const onData = (s: string): void => {
      text += s;
      if (/"event":"started"/.test(text)) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve();
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`watch exited (${code}) before starting: ${stderr.join('').trim().slice(0, 500)}`)),
    );
    setTimeout(() => reject(new Error('watch did not start within 30 s')), 30_000).unref();
  });
  return { child, stderr };
}

async function stopDaemon(d: Daemon): Promise<void> {
  if (d.child.exitCode !== null) return;
  const exited = new Promise((r) => d.child.once('exit', r));
  d.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (d.child.exitCode === null) d.child.kill('SIGKILL');
}

function figures(samples: number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return { samples, p50: rank(0.5), p95: rank(0.95), max: sorted[sorted.length - 1] ?? NaN };
}

export async function measureLatency(
  base: string,
  sizes: Sizes,
): Promise<{ append: LatencyFigures; rename: LatencyFigures }> {
  fs.rmSync(base, { recursive: true, force: true });
  const spool = path.join(base, 'spool');
  const staging = path.join(base, 'staging');
  const out = path.join(base, 'files');
  for (const dir of [spool, staging, out]) fs.mkdirSync(dir, { recursive: true });
  const daemon = await startDaemon(spool, out);
  const seen = new Set<string>();
  const append: number[] = [];
  const rename: number[] = [];
  try {
    for (let k = 0; k < sizes.latencyRuns; k++) {
      const lines = smallRunLines(FIRST_RUN + k, sizes.s5EventsPerRun);
      const log = path.join(spool, `live-append-${k}.jsonl`);
      fs.writeFileSync(log, lines.slice(0, -1).join(''));
      await sleep(SETTLE_MS);
      const landed = nextFile(out, seen);
      const t0 = performance.now();
      fs.appendFileSync(log, lines[lines.length - 1]);
      await landed;
      append.push(performance.now() - t0);
    }
    for (let k = 0; k < sizes.latencyRuns; k++) {
      const staged = path.join(staging, `live-rename-${k}.jsonl`);
      fs.writeFileSync(staged, smallRunLines(FIRST_RUN + sizes.latencyRuns + k, sizes.s5EventsPerRun).join(''));
      await sleep(SETTLE_MS);
      const landed = nextFile(out, seen);
      const t0 = performance.now();
      fs.renameSync(staged, path.join(spool, path.basename(staged)));
      await landed;
      rename.push(performance.now() - t0);
    }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`${why}; daemon stderr: ${daemon.stderr.join('').trim().slice(0, 1000)}`);
  } finally {
    await stopDaemon(daemon);
  }
  return { append: figures(append), rename: figures(rename) };
}
