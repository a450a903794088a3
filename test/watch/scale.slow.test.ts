/**
 * The daemon at scale (issue 12, items 1 and 2), as its own process under
 * `ulimit -n 256`: 10,000 logs in the spool, and a 1M-event log. Prints the
 * measured figures (RSS from /proc/PID/status, open descriptors from
 * /proc/PID/fd, times; the memory by kind from the daemon's own /metrics). NXL_SCALE_REPO runs another build of nxlayout (to
 * measure before/after); NXL_SCALE_LOGS / NXL_SCALE_EVENTS change the sizes.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  descriptorLine,
  eventLine,
  runIds,
  S4_SCALARS,
  scalarEventLine,
  startLine,
  stopLine,
} from '../../bench/synth.js';
import { isFinished } from '../../src/watch/index.js';
import { readJournal, REPO, sleep, tempDir, waitFor } from './helpers.js';

const CLI_REPO = process.env.NXL_SCALE_REPO ?? REPO;
const CLI = path.join(CLI_REPO, 'dist', 'src', 'cli', 'bin.js');
const LOGS = Number(process.env.NXL_SCALE_LOGS ?? 10_000);
const EVENTS = Number(process.env.NXL_SCALE_EVENTS ?? 1_000_000);
const NOFILE = 256;
const base = tempDir('scale');
after(() => fs.rmSync(base, { recursive: true, force: true }));

interface Proc {
  child: ChildProcess;
  output: () => string;
  closed: Promise<number | null>;
  /** Peak RSS seen so far (VmHWM, MB), sampled every 100 ms while it runs. */
  peakMb: () => number;
}

/**
 * The environment the example systemd unit gives the daemon (its `Environment=` lines:
 * MALLOC_ARENA_MAX=2), for the 10,000-log test, which measures the daemon as a service runs it;
 * NXL_SCALE_PLAIN=1 leaves it out (the figures without it are in docs/watch.md).
 */
function serviceEnvironment(): Record<string, string> {
  if (process.env.NXL_SCALE_PLAIN === '1') return {};
  const unit = fs.readFileSync(path.join(REPO, 'examples', 'systemd', 'nxlayout-watch.service'), 'utf8');
  return Object.fromEntries([...unit.matchAll(/^Environment=(\w+)=(\S*)$/gm)].map((m) => [m[1], m[2]]));
}

/** nxlayout ARGS as its own process under `ulimit -n 256` (with `env` added to this one's). */
function start(args: string[], env: Record<string, string> = {}): Proc {
  const quoted = [CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('bash', ['-c', `ulimit -n ${NOFILE}; exec '${process.execPath}' ${quoted}`], {
    cwd: CLI_REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, NO_COLOR: '1' },
  });
  let text = '';
  child.stdout!.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (text += b.toString()));
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, status(child.pid!).hwmMb)), 100);
  const closed = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearInterval(timer);
      resolve(code);
    }),
  );
  return { child, output: () => text, closed, peakMb: () => Math.max(peak, status(child.pid!).hwmMb) };
}

/** RSS, peak RSS (MB) and open descriptors of a live process (zeros once it is gone). */
function status(pid: number): { rssMb: number; hwmMb: number; fds: number } {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024, fds: fs.readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return { rssMb: 0, hwmMb: 0, fds: 0 };
  }
}

const mb = (x: number): string => `${x.toFixed(1)} MB`;

/** A small run's log: start, descriptor, 3 events, stop (synthetic uids from run number n). */
function smallLog(n: number): string {
  const r = runIds(n);
  return startLine(r) + descriptorLine(r) + eventLine(r, 0) + eventLine(r, 1) + eventLine(r, 2) + stopLine(r, 3);
}

/** A one-run log of `events` events of two scalars (about 250 bytes each), written in pieces. */
function bigLog(file: string, events: number): void {
  const fd = fs.openSync(file, 'w');
  const r = runIds(1);
  fs.writeSync(fd, startLine(r) + descriptorLine(r, S4_SCALARS));
  for (let i = 0; i < events; ) {
    let text = '';
    for (const end = Math.min(events, i + 10_000); i < end; i++) text += scalarEventLine(r, i, S4_SCALARS);
    fs.writeSync(fd, text);
  }
  fs.writeSync(fd, stopLine(r, events));
  fs.closeSync(fd);
}

function finishedRuns(stateDir: string): number {
  return readJournal(stateDir).filter((r) => r.uid !== undefined && isFinished(r.status)).length;
}

/** Waits until `count()` reaches `target`, the process ends, or the count stays still for `stallMs`. */
async function waitForCount(p: Proc, count: () => number, target: number, stallMs = 75_000): Promise<number> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const n = count();
    if (n >= target || p.child.exitCode !== null) return n;
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since > stallMs) return n;
    await sleep(500);
  }
}

async function stopDaemon(p: Proc, within = 10_000): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), within);
  const code = await p.closed;
  clearTimeout(timer);
  return { code, ms: Date.now() - t0 };
}

/** What the daemon's /metrics says of its memory (MB): V8 heap used and total, external, array buffers, WebAssembly. */
async function memory(url: string): Promise<{ text: string; heapUsedMb: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const get = (re: RegExp): number => Number(re.exec(text)?.[1] ?? NaN) / 1048576;
  const kind = (k: string): number => get(new RegExp(`^nxlayout_memory_bytes\\{kind="${k}"\\} (\\S+)`, 'm'));
  const heapTotal = get(/^nxlayout_nodejs_heap_size_total_bytes (\S+)/m);
  const space = (s: string, what: 'used' | 'total'): string =>
    get(new RegExp(`^nxlayout_nodejs_heap_space_size_${what}_bytes\\{space="${s}"\\} (\\S+)`, 'm')).toFixed(1);
  const spaces = ['new', 'old', 'code', 'large_object'].map((s) => `${s} ${space(s, 'used')}/${space(s, 'total')}`);
  const watched = /^nxlayout_paths_watched (\S+)/m.exec(text)?.[1];
  return {
    text: `heap used ${kind('heap_used').toFixed(1)} of ${heapTotal.toFixed(1)} (${spaces.join(', ')}), external ${kind('external').toFixed(1)} (array buffers ${kind('array_buffers').toFixed(1)}), wasm ${kind('wasm').toFixed(1)} MB; paths watched ${watched}`,
    heapUsedMb: kind('heap_used'),
  };
}

/** Seconds a daemon is left alone before its RSS is read (the same for every figure). */
const SETTLE_MS = 15_000;
/**
 * Then RSS is sampled every second for one period of the daemon's safety nets (30 s: a spool
 * walk and a stat of each put-aside log), and the figure is the median.
 */
const SAMPLE_MS = 30_000;

async function settledRss(pid: number): Promise<{ rssMb: number; minMb: number; maxMb: number; fds: number }> {
  const rss: number[] = [];
  let fds = 0;
  for (let waited = 0; waited < SAMPLE_MS; waited += 1000) {
    const now = status(pid);
    rss.push(now.rssMb);
    fds = now.fds;
    await sleep(1000);
  }
  const sorted = [...rss].sort((a, b) => a - b);
  return { rssMb: sorted[Math.floor(sorted.length / 2)], minMb: sorted[0], maxMb: sorted[sorted.length - 1], fds };
}

test(`${LOGS} logs in the spool under ulimit -n ${NOFILE}: all written once; descriptors do not grow with the logs; RSS after them within 1.2× idle, and after 1,000 runs within 1.1× after 10`, async (t) => {
  const dir = path.join(base, 'many');
  const spool = path.join(dir, 'spool');
  const out = path.join(dir, 'out');
  for (const d of [spool, out]) fs.mkdirSync(d, { recursive: true });
  // A small template: this test is about descriptors and memory per log, not about writing big files.
  const template = path.join(dir, 'small.json');
  fs.writeFileSync(
    template,
    JSON.stringify({
      name: 'small',
      version: '1.0.0',
      file: '{{pad start.scan_id 5}}.nxs',
      tree: {
        'entry:NXentry': { title: '{{start.title}}', scan_id: { type: 'linked', location: 'start', field: 'scan_id' } },
      },
    }),
  );
  const addLogs = (from: number, to: number): void => {
    for (let n = from; n <= to; n++) {
      const sub = path.join(spool, `day${String(Math.floor((n - 1) / 500)).padStart(2, '0')}`);
      fs.mkdirSync(sub, { recursive: true });
      fs.writeFileSync(path.join(sub, `run-${String(n).padStart(5, '0')}.jsonl`), smallLog(n));
    }
  };
  const stateDir = path.join(out, '.nxlayout-state');
  const counted = (): number =>
    readJournal(stateDir).filter((r) => r.uid !== undefined || r.status === 'rejected-log').length;

  // Idle RSS: the daemon after start-up and ONE small run written (h5wasm and the template loaded,
  // the file written), then left alone SETTLE_MS. Every later figure is taken the same way.
  addLogs(1, 1);
  const t0 = Date.now();
  const service = serviceEnvironment();
  t.diagnostic(`the daemon's environment, as the example systemd unit's: ${JSON.stringify(service)}`);
  const d = start(
    ['watch', spool, '--out', out, '--template', template, '--status-interval', '0', '--metrics', '127.0.0.1:0'],
    service,
  );
  let maxFds = 0;
  const fdTimer = setInterval(() => (maxFds = Math.max(maxFds, status(d.child.pid!).fds)), 250);
  const figures: { runs: number; rssMb: number; fds: number; heapUsedMb: number }[] = [];
  let url = '';
  const settleAt = async (runs: number): Promise<void> => {
    if (figures.length > 0) addLogs(figures[figures.length - 1].runs + 1, runs);
    const got = await waitForCount(d, counted, runs);
    if (got < runs)
      t.diagnostic(
        `stalled at ${got} of ${runs}; the daemon's last lines:\n${d.output().split('\n').slice(-8).join('\n')}`,
      );
    await sleep(SETTLE_MS);
    url ||= /metrics served at (http:\/\/\S+)\/metrics/.exec(d.output())?.[1] ?? '';
    const now = await settledRss(d.child.pid!);
    const mem = url === '' ? { text: '', heapUsedMb: NaN } : await memory(url);
    figures.push({ runs, rssMb: now.rssMb, fds: now.fds, heapUsedMb: mem.heapUsedMb });
    t.diagnostic(
      `${runs} runs written, settled: RSS ${mb(now.rssMb)} (median of ${SAMPLE_MS / 1000} samples, ${mb(now.minMb)}–${mb(now.maxMb)}; ${(now.rssMb / figures[0].rssMb).toFixed(2)}× idle), ${now.fds} open descriptors; ${mem.text}`,
    );
  };
  try {
    for (const runs of [1, 10, 1000, LOGS].filter((n, i, all) => n <= LOGS && all.indexOf(n) === i))
      await settleAt(runs);
  } finally {
    clearInterval(fdTimer);
  }
  const allMs = Date.now() - t0;
  const idle = figures[0];
  const after = figures[figures.length - 1];
  const at = (runs: number): number => figures.find((f) => f.runs === runs)?.rssMb ?? NaN;
  const stopped = await stopDaemon(d);
  const emfile = (d.output().match(/EMFILE|too many open files/gi) ?? []).length;
  t.diagnostic(
    `${LOGS} logs: ${finishedRuns(stateDir)} runs written in ${(allMs / 1000).toFixed(1)} s (with ${figures.length} settles of ${SETTLE_MS / 1000} s); RSS idle ${mb(idle.rssMb)}, after 10 runs ${mb(at(10))}, after 1,000 ${mb(at(1000))} (${(at(1000) / at(10)).toFixed(2)}× after 10), after ${LOGS} ${mb(after.rssMb)} (${(after.rssMb / idle.rssMb).toFixed(2)}× idle), peak ${mb(d.peakMb())}; open descriptors after ${after.fds}, max seen ${maxFds}; EMFILE mentions ${emfile}; SIGTERM → exit ${stopped.code} in ${stopped.ms} ms`,
  );

  const journal = readJournal(stateDir).filter((r) => r.uid !== undefined);
  assert.equal(journal.length, LOGS, 'one run record per log');
  assert.equal(new Set(journal.map((r) => r.uid)).size, LOGS, 'each run once');
  assert.ok(
    journal.every((r) => r.status === 'written'),
    'every run written',
  );
  assert.equal(emfile, 0, 'no descriptor shortage');
  assert.equal(stopped.code, 0);
  assert.ok(after.fds < 64, `open descriptors after the work: ${after.fds}`);
  // Issue 12 asks for RSS after the logs within 1.2× idle and issue 14 for RSS after 1,000 runs within 1.1× after
  // 10 (here settled: the median RSS over the 30 s after 15 s of quiet); both are asserted. Before the spool walk
  // listed only the folders that changed and the idle collections compacted (src/watch/spool-scan.ts,
  // idle-collector.ts), 1.07–1.23× idle in seven runs; since, 1.05, 1.08 and 1.09× with the unit's MALLOC_ARENA_MAX=2
  // and 1.09, 1.11 and 1.14× without (docs/watch.md); without the idle collections 1.30–1.54×, and 2.83× before the
  // daemon-memory work.
  t.diagnostic(
    `issue 12 target, RSS after ${LOGS} logs ≤ 1.2× idle: ${after.rssMb <= 1.2 * idle.rssMb ? 'met' : 'NOT met'} (${(after.rssMb / idle.rssMb).toFixed(2)}×); issue 14 target, RSS after 1,000 runs ≤ 1.1× after 10: ${at(1000) <= 1.1 * at(10) ? 'met' : 'NOT met'} (${(at(1000) / at(10)).toFixed(2)}×)`,
  );
  const perLogKb = ((after.heapUsedMb - idle.heapUsedMb) * 1024) / LOGS;
  t.diagnostic(
    `V8 heap in use (no forced GC, so noisy): idle ${mb(idle.heapUsedMb)}, after ${LOGS} logs ${mb(after.heapUsedMb)}: ${perLogKb.toFixed(2)} KB a log`,
  );
  assert.ok(
    after.rssMb <= 1.2 * idle.rssMb,
    `RSS after ${LOGS} logs ${mb(after.rssMb)} within 1.2× idle ${mb(idle.rssMb)}`,
  );
  if (LOGS >= 1000)
    assert.ok(at(1000) <= 1.1 * at(10), `RSS after 1,000 runs ${mb(at(1000))} within 1.1× after 10 ${mb(at(10))}`);

  // A restart: every log is known to the journal and is not read again.
  const t1 = Date.now();
  const again = start(
    ['watch', spool, '--out', out, '--template', template, '--status-interval', '0', '--once'],
    service,
  );
  const code = await again.closed;
  t.diagnostic(
    `restart --once over ${LOGS} written logs: exit ${code} in ${((Date.now() - t1) / 1000).toFixed(1)} s, peak RSS ${mb(again.peakMb())}`,
  );
  assert.equal(code, 0, again.output().slice(-2000));
  assert.equal(readJournal(stateDir).filter((r) => r.uid !== undefined).length, LOGS, 'nothing written twice');
});

test(`a ${EVENTS}-event log: watch peaks within 1.2× of write; SIGTERM within 2 s; a restart skips it`, async (t) => {
  const dir = path.join(base, 'big');
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  const log = path.join(logs, 'big.jsonl');
  let t0 = Date.now();
  bigLog(log, EVENTS);
  t.diagnostic(
    `generated ${log}: ${mb(fs.statSync(log).size / 1048576)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  t0 = Date.now();
  const w = start(['write', log, '--out', path.join(dir, 'out-write')]);
  assert.equal(await w.closed, 0, w.output());
  const writeMs = Date.now() - t0;
  const writePeak = w.peakMb();
  t.diagnostic(`write: peak RSS ${mb(writePeak)}, ${(writeMs / 1000).toFixed(1)} s`);

  // The daemon, the log dropped into its spool while it runs.
  const spool = path.join(dir, 'spool');
  const out = path.join(dir, 'out-watch');
  fs.mkdirSync(spool);
  fs.mkdirSync(out);
  const d = start(['watch', spool, '--out', out, '--status-interval', '0']);
  await waitFor(() => /watching /.test(d.output()), 'the daemon to start', 60_000);
  t0 = Date.now();
  fs.linkSync(log, path.join(spool, 'big.jsonl'));
  await waitFor(() => /wrote /.test(d.output()) || d.child.exitCode !== null, 'the big run written', 600_000);
  const watchMs = Date.now() - t0;
  const watchPeak = d.peakMb();
  const stopped = await stopDaemon(d);
  t.diagnostic(
    `watch: peak RSS ${mb(watchPeak)} (${(watchPeak / writePeak).toFixed(2)}× write), ${(watchMs / 1000).toFixed(1)} s; SIGTERM → exit ${stopped.code} in ${stopped.ms} ms`,
  );

  // SIGTERM in the middle of reading it (a fresh output root, so the run is being written).
  const out2 = path.join(dir, 'out-sigterm');
  fs.mkdirSync(out2);
  const s = start(['watch', spool, '--out', out2, '--status-interval', '0']);
  await waitFor(() => /watching /.test(s.output()), 'the daemon to start', 60_000);
  await waitFor(
    () => fs.readdirSync(out2).some((f) => f.includes('.nxlayout-tmp-')) || s.child.exitCode !== null,
    'its temporary file',
    60_000,
  );
  await sleep(1500);
  const midRead = await stopDaemon(s, 30_000);
  t.diagnostic(`SIGTERM while the ${EVENTS}-event run is read: exit ${midRead.code} in ${midRead.ms} ms`);

  // The same daemon over an empty spool: the memory of reading nothing.
  const emptySpool = path.join(path.dirname(out), 'empty-spool');
  const emptyOut = path.join(path.dirname(out), 'empty-out');
  fs.mkdirSync(emptySpool, { recursive: true });
  fs.mkdirSync(emptyOut, { recursive: true });
  const empty = start(['watch', emptySpool, '--out', emptyOut, '--status-interval', '0', '--once']);
  await empty.closed;
  // A restart over the written run: the log is not decoded again.
  t0 = Date.now();
  const r = start(['watch', spool, '--out', out, '--status-interval', '0', '--once']);
  const code = await r.closed;
  const restartMs = Date.now() - t0;
  t.diagnostic(
    `restart --once (run already written): exit ${code}, peak RSS ${mb(r.peakMb())}, ${(restartMs / 1000).toFixed(1)} s`,
  );

  assert.ok(/wrote /.test(d.output()), d.output().slice(-2000));
  assert.equal(stopped.code, 0);
  assert.ok(watchPeak <= writePeak * 1.2, `watch peak ${mb(watchPeak)} within 1.2× write peak ${mb(writePeak)}`);
  assert.equal(midRead.code, 0, s.output().slice(-2000));
  assert.ok(midRead.ms <= 2000, `SIGTERM honoured in ${midRead.ms} ms`);
  assert.equal(
    fs.readdirSync(out2).filter((f) => f.includes('.nxlayout-tmp-')).length,
    0,
    'no temporary file left after the stop',
  );
  assert.equal(code, 0, r.output().slice(-2000));
  assert.equal(
    readJournal(path.join(out, '.nxlayout-state')).filter((x) => x.uid !== undefined).length,
    1,
    'the run is not written again',
  );
  // Decoding the log again would add what watch's peak adds over an idle daemon (~80 MB here).
  assert.ok(
    r.peakMb() <= empty.peakMb() + 40,
    `a restart over a written log reads nothing: peak ${mb(r.peakMb())}, an empty spool's ${mb(empty.peakMb())}`,
  );
});
