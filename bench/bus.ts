/**
 * `npm run bench:bus`: runs/s of `nxlayout serve` with 1, 2 and 3 writers on
 * the same Redis. A redis-server of its own (unix socket, temp dir); for each
 * writer count, RUNS small runs (a start, a descriptor, EVENTS events, a stop)
 * are published under a fresh prefix, the writers are started, and the time
 * from all writers serving to every job acknowledged gives runs/s.
 *
 *     node dist/bench/bus.js [--runs N] [--events N] [--writers 1,2,3] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BusPublisher, connect } from '../src/bus/index.js';
import { composeRun } from '../src/run/testing.js';

const CLI = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

async function main(): Promise<void> {
  const runs = Number(arg('--runs', '200'));
  const events = Number(arg('--events', '10'));
  const counts = arg('--writers', '1,2,3').split(',').map(Number);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-bench-bus-'));
  const socket = path.join(dir, 'redis.sock');
  const server = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', socket, '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `unix://${socket}`;
  const rows: { writers: number; runs: number; seconds: number; runsPerSecond: number }[] = [];
  try {
    await until(() => fs.existsSync(socket), 10_000, 'redis-server');
    const client = connect(url);
    for (const n of counts) {
      const prefix = `bench${n}`;
      const publisher = new BusPublisher(client, prefix);
      for (let i = 0; i < runs; i++) {
        const b = composeRun({ uid: randomUUID(), scan_id: i + 1, plan_name: 'count', time: 1_700_000_000 + i });
        const d = b.descriptor('primary', { I0: { dtype: 'number' }, x: { dtype: 'number', units: 'mm' } });
        for (let k = 0; k < events; k++) d.event({ I0: 100 + k, x: k * 0.5 });
        b.stop();
        for (const doc of b.documents()) await publisher.add(doc);
      }
      await publisher.flush();
      const out = path.join(dir, `out-${n}`);
      fs.mkdirSync(out);
      const writers: { child: ChildProcess; text: () => string }[] = [];
      for (let w = 0; w < n; w++) {
        // --claim-after long: a writer still starting must not be taken for dead.
        const child = spawn(
          process.execPath,
          [CLI, 'serve', '--redis', url, '--prefix', prefix, '--out', out, '--group', 'bench', '--claim-after', '10m'],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let text = '';
        child.stdout!.on('data', (b: Buffer) => (text += b.toString()));
        child.stderr!.on('data', (b: Buffer) => (text += b.toString()));
        writers.push({ child, text: () => text });
      }
      // Timed from the first job taken: start-up (loading h5wasm, templates) is not counted.
      await until(async () => (await client.xlen(`${prefix}:results`)) > 0, 120_000, 'a first result');
      const t0 = performance.now();
      const first = await client.xlen(`${prefix}:results`);
      await until(async () => (await client.xlen(`${prefix}:results`)) >= runs, 600_000, `${runs} results`);
      const seconds = (performance.now() - t0) / 1000;
      for (const w of writers) w.child.kill('SIGTERM');
      await Promise.all(
        writers.map((w) => new Promise((r) => (w.child.exitCode !== null ? r(null) : w.child.on('close', r)))),
      );
      const timed = runs - first;
      rows.push({
        writers: n,
        runs: timed,
        seconds: Math.round(seconds * 100) / 100,
        runsPerSecond: Math.round((timed / seconds) * 10) / 10,
      });
      await client.del(`${prefix}:runs`, `${prefix}:results`);
    }
    client.disconnect();
  } finally {
    server.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ cpus: os.cpus().length, events, rows }));
    return;
  }
  console.log(`bus bench: ${runs} runs of ${events} events each, ${os.cpus().length} cores, one Redis (unix socket)`);
  console.log('writers  runs  seconds  runs/s');
  for (const r of rows)
    console.log(
      `${String(r.writers).padStart(7)}  ${String(r.runs).padStart(4)}  ${String(r.seconds).padStart(7)}  ${String(r.runsPerSecond).padStart(6)}`,
    );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
