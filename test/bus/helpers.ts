/** Shared by the bus tests: a real redis-server of their own, serve processes (or serve in-process), publishing documents. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { nxlayoutIn } from '../cli/helpers.js';
import { main } from '../../src/cli/main.js';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Redis } from 'ioredis';
import { BusPublisher, connect } from '../../src/bus/index.js';
import type { NamedDocument } from '../../src/documents/models.js';
import { REPO, tempDir, waitFor } from '../watch/helpers.js';

export { listFiles, REPO, sleep, smallRun, startUid, waitFor } from '../watch/helpers.js';

const CLI = path.join(REPO, 'dist', 'src', 'cli', 'bin.js');

/** A redis-server on a unix socket under a temp dir, with an append-only file (fsync always) so a restart keeps the streams. */
export class TestRedis {
  readonly dir: string;
  readonly socket: string;
  #child: ChildProcess | undefined;

  constructor(name: string) {
    this.dir = tempDir(`bus-${name}`);
    this.socket = path.join(this.dir, 'redis.sock');
  }

  get url(): string {
    return `unix://${this.socket}`;
  }

  async start(): Promise<void> {
    this.#child = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--unixsocket',
        this.socket,
        '--unixsocketperm',
        '700',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => fs.existsSync(this.socket), 'redis-server to listen', 10_000);
  }

  /** Stops the server (SIGTERM: it finishes its append-only file) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null) return;
    const closed = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    await closed;
    this.#child = undefined;
    fs.rmSync(this.socket, { force: true });
  }

  /** A client for the test itself. */
  client(): Redis {
    return connect(this.url);
  }

  /** redis-cli against this server (for assertions a test reads as text). */
  cli(...args: string[]): string {
    return execFileSync('redis-cli', ['-s', this.socket, ...args]).toString();
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One publisher per client and prefix: it knows the runs of the documents published before (a descriptor's run…). */
const publishers = new WeakMap<Redis, Map<string, BusPublisher>>();

/** Publishes `docs` as a RunEngine callback would (in order; each call may continue the runs of the calls before). */
export async function publishDocs(client: Redis, docs: readonly NamedDocument[], prefix = 'nxlayout'): Promise<void> {
  const byPrefix = publishers.get(client) ?? new Map<string, BusPublisher>();
  publishers.set(client, byPrefix);
  const publisher = byPrefix.get(prefix) ?? new BusPublisher(client, prefix);
  byPrefix.set(prefix, publisher);
  for (const d of docs) assert.ok(await publisher.add(d), `${d.name} belongs to a run`);
  await publisher.flush();
}

/** The entries of `{prefix}:results`: uid, outcome, writer, file… */
export async function results(client: Redis, prefix = 'nxlayout'): Promise<Record<string, string>[]> {
  const entries = await client.xrange(`${prefix}:results`, '-', '+');
  return entries.map(([, fields]) => {
    const o: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) o[fields[i]] = fields[i + 1];
    return o;
  });
}

export interface ServeProcess {
  child: ChildProcess;
  output: () => string;
  closed: Promise<number | null>;
}

/** `nxlayout serve` as its own process. */
export function spawnServe(url: string, out: string, extra: string[] = []): ServeProcess {
  const child = spawn(process.execPath, [CLI, 'serve', '--redis', url, '--out', out, ...extra], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (text += b.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => text, closed };
}

/** `nxlayout serve` run by main() in this process: stopped by a SIGTERM emitted to the handlers main() installs. */
export interface ServeInProcess {
  output: () => string;
  /** main()'s exit code, once it returned. */
  status: Promise<number>;
  /** Emits SIGTERM (as `kill` would deliver it) and returns main()'s exit code. */
  stop: () => Promise<number>;
}

/**
 * `nxlayout serve --redis URL --out OUT EXTRA…` in this process, started: where a spawned process adds
 * nothing (no signal from outside, no kill, no crash). Only one at a time: the SIGTERM reaches every handler.
 */
export async function serveIn(url: string, out: string, extra: string[] = []): Promise<ServeInProcess> {
  let text = '';
  const io = {
    out: (t: string) => void (text += `${t}\n`),
    err: (t: string) => void (text += `${t}\n`),
    interactive: false,
  };
  let exited = false;
  const status = main(['serve', '--redis', url, '--out', out, ...extra], io).finally(() => (exited = true));
  const stop = async (): Promise<number> => {
    if (!exited) process.emit('SIGTERM', 'SIGTERM');
    return status;
  };
  await waitFor(() => /\bserving \S+ as /.test(text) || exited, 'serve to start', 60_000);
  if (exited) throw new Error(`serve exited ${await status}:\n${text}`);
  return { output: () => text, status, stop };
}

/** Waits until the writer says it serves. */
export async function served(p: ServeProcess, timeoutMs = 60_000): Promise<void> {
  await waitFor(() => /\bserving \S+ as /.test(p.output()) || p.child.exitCode !== null, 'serve to start', timeoutMs);
  if (p.child.exitCode !== null) throw new Error(`serve exited ${p.child.exitCode}:\n${p.output()}`);
}

/** SIGTERM, and the exit code. */
export async function stopServe(p: ServeProcess): Promise<number | null> {
  if (p.child.exitCode !== null) return p.child.exitCode;
  p.child.kill('SIGTERM');
  return p.closed;
}

/** h5dump of a file, without its own name in the header line (as test/watch compares watch with write). */
export function dump(file: string): string {
  return execFileSync('h5dump', [file], { maxBuffer: 64 * 1024 * 1024 })
    .toString()
    .split('\n')
    .slice(1)
    .join('\n');
}

/** `nxlayout write` of `logs` into `out` (in-process: the CLI's main()). */
export async function writeReference(logs: string[], out: string): Promise<void> {
  const r = await nxlayoutIn(['write', ...logs, '--out', out]);
  // 1: some run had errors in its documents (real archives do); the files are still the reference.
  if (r.status !== 0 && r.status !== 1) throw new Error(`write exited ${r.status}: ${r.stderr}`);
}
