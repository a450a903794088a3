/**
 * `watch --metrics HOST:PORT`: Prometheus metrics (prom-client) and a health check over HTTP.
 * Fed only through the daemon's hooks (events and items read) and its status(), so the daemon
 * knows nothing of it.
 *
 *   GET /metrics   Prometheus text format
 *   GET /healthz   200 "ok" while the daemon serves, 503 once it stops (or cannot write its journal)
 */
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { NxlError } from '../errors.js';
import type { LogItem } from '../documents/models.js';
import type { WatchEvent, WatchStatus } from './models.js';
import { wasmMemoryBytes } from './memory.js';

export interface MetricsAddress {
  host: string;
  port: number;
}

/** "PORT", ":PORT" or "HOST:PORT" ("[::1]:PORT" for IPv6); the host defaults to 127.0.0.1 (localhost only). */
export function parseMetricsAddress(text: string): MetricsAddress {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:\s]*):)?(\d{1,5})$/.exec(text.trim());
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || port > 65535) {
    throw new NxlError(
      'CLI_USAGE',
      `--metrics ${JSON.stringify(text)} is not HOST:PORT`,
      {},
      { hint: 'e.g. --metrics 9464 (localhost) or --metrics 0.0.0.0:9464 (every interface)' },
    );
  }
  const host = m[1] === undefined || m[1] === '' ? '127.0.0.1' : m[1].replace(/^\[|\]$/g, '');
  return { host, port };
}

/** Stops remembered for the stop-to-file histogram (runs in flight are far fewer). */
const MAX_STOPS = 1000;

/** The daemon's metrics: counters fed by its events, gauges read from its status when scraped. */
export class WatchMetrics {
  readonly registry = new Registry();
  #status: (() => WatchStatus) | undefined;
  #healthy = true;
  /** When the stop document of each run was read (ms), until its file is written. */
  readonly #stops = new Map<string, number>();
  readonly #runs: Counter<'status'>;
  readonly #documents: Counter;
  readonly #bytes: Counter;
  readonly #stopToFile: Histogram;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'nxlayout_' });
    this.#runs = new Counter({
      name: 'nxlayout_runs_total',
      help: 'Runs finished, by status: written, incomplete (no stop document), failed',
      labelNames: ['status'],
      registers,
    });
    for (const status of ['written', 'incomplete', 'failed']) this.#runs.inc({ status }, 0);
    this.#documents = new Counter({
      name: 'nxlayout_documents_read_total',
      help: 'Documents read from the logs (an event_page counts once)',
      registers,
    });
    this.#bytes = new Counter({
      name: 'nxlayout_bytes_written_total',
      help: 'Bytes of the NeXus files written',
      registers,
    });
    this.#stopToFile = new Histogram({
      name: 'nxlayout_stop_to_file_seconds',
      help: "Seconds from reading a run's stop document to its file in place",
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    const status = (pick: (s: WatchStatus) => number) => () => (this.#status === undefined ? 0 : pick(this.#status()));
    const gauge = (name: string, help: string, pick: (s: WatchStatus) => number): void => {
      const read = status(pick);
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    };
    gauge('nxlayout_runs_in_flight', 'Runs started whose file is not written yet', (s) => s.runsOpen);
    gauge(
      'nxlayout_logs_followed',
      'Logs followed: being read or waiting for more (not rejected, not done)',
      (s) => s.logsFollowed,
    );
    gauge(
      'nxlayout_logs_done',
      'Logs read to their end whose runs are all recorded (put aside, no descriptor held)',
      (s) => s.logsDone,
    );
    gauge('nxlayout_logs_rejected', 'Logs rejected (unreadable or not document logs)', (s) => s.logsRejected);
    gauge(
      'nxlayout_paths_watched',
      "Paths the file watcher watches: the spool's folders (and each log with --polling)",
      (s) => s.pathsWatched,
    );
    gauge('nxlayout_runs_skipped', 'Runs met again that the journal records as written', (s) => s.runsSkipped);
    new Gauge({ name: 'nxlayout_up', help: '1 while the daemon serves, 0 once it stops', registers }).set(1);
    new Gauge({
      name: 'nxlayout_memory_bytes',
      help: "Memory by kind: heap_used (V8 heap in use), external (C++ objects held by JS), array_buffers (Buffers, typed arrays), wasm (the HDF5 library's WebAssembly memory: it grows, it never shrinks)",
      labelNames: ['kind'],
      registers,
      collect() {
        const m = process.memoryUsage();
        this.set({ kind: 'heap_used' }, m.heapUsed);
        this.set({ kind: 'external' }, m.external);
        this.set({ kind: 'array_buffers' }, m.arrayBuffers);
        this.set({ kind: 'wasm' }, wasmMemoryBytes());
      },
    });
  }

  /** Where the gauges read the daemon's state (its handle's status). */
  setStatusSource(status: () => WatchStatus): void {
    this.#status = status;
  }

  get healthy(): boolean {
    return this.#healthy;
  }

  onItems(_log: string, items: readonly LogItem[]): void {
    let documents = 0;
    for (const item of items) {
      if (item.kind !== 'document') continue;
      documents++;
      if (item.name === 'stop') this.stopRead(item.doc.run_start);
    }
    this.documentsRead(documents);
  }

  /** Documents read (from logs, or from a bus: `serve`). */
  documentsRead(count: number): void {
    if (count > 0) this.#documents.inc(count);
  }

  /** The stop document of run `uid` was read now: the stop-to-file histogram measures from here. */
  stopRead(uid: string): void {
    this.#stops.set(uid, Date.now());
    // A skipped run (already written) gives no 'run' event: the oldest stop goes, so this stays bounded.
    if (this.#stops.size > MAX_STOPS) this.#stops.delete(this.#stops.keys().next().value as string);
  }

  onEvent(e: WatchEvent): void {
    if (e.kind === 'run') {
      const status = e.record.status === 'rejected-log' ? 'failed' : e.record.status;
      this.#runs.inc({ status });
      const stopped = this.#stops.get(e.result.uid);
      this.#stops.delete(e.result.uid);
      if (status === 'failed' || e.record.file === undefined) return;
      try {
        this.#bytes.inc(fs.statSync(e.record.file).size);
      } catch {
        // Moved away already: not counted.
      }
      if (stopped !== undefined) this.#stopToFile.observe((Date.now() - stopped) / 1000);
    } else if (e.kind === 'stopping') {
      this.#healthy = false;
      (this.registry.getSingleMetric('nxlayout_up') as Gauge).set(0);
    } else if (e.kind === 'diagnostic' && e.diagnostic.code === 'WATCH_STATE') {
      this.#healthy = false;
    }
  }

  /** Serves /metrics and /healthz at `address`; resolves once listening. */
  async listen(address: MetricsAddress): Promise<MetricsServer> {
    const server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (url === '/metrics') {
        this.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
          (e: unknown) =>
            res.writeHead(500, { 'content-type': 'text/plain' }).end(`${e instanceof Error ? e.message : String(e)}\n`),
        );
      } else if (url === '/healthz') {
        res
          .writeHead(this.#healthy ? 200 : 503, { 'content-type': 'text/plain' })
          .end(this.#healthy ? 'ok\n' : 'stopping\n');
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new NxlError(
            'WATCH_IO',
            `cannot serve metrics on ${address.host}:${address.port}: ${e.message}`,
            {},
            {
              hint:
                e.code === 'EADDRINUSE'
                  ? 'another process uses that port: pick another with --metrics'
                  : 'check the host and port given to --metrics',
              cause: e,
            },
          ),
        ),
      );
      server.listen(address.port, address.host, () => resolve());
    });
    return new MetricsServer(server);
  }
}

export class MetricsServer {
  readonly #server: Server;

  constructor(server: Server) {
    this.#server = server;
  }

  /** The URL it listens on (the real port when 0 was asked for). */
  get url(): string {
    const a = this.#server.address() as AddressInfo;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}
