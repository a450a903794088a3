/**
 * LogThread's worker: reads one log from its start (any format the reader
 * knows), validates each document and packs runs of events into pages, and
 * posts the items with the pages' number columns moved, never more than
 * `aheadBytes` of log ahead of what the reader took.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NxlError } from '../errors.js';
import type { LogThreadAck, LogThreadMessage, LogThreadStart } from './log-thread-protocol.js';
import './precompiled-node.js';
import { packedBatches } from './packed-batches.js';
import { readDocumentLogBatches } from './read-log.js';

/** Bytes read at a time: a thread of its own reads in bigger steps than a reader sharing the main thread. */
const READ_BYTES = 1024 * 1024;

const port = parentPort;
if (port === null) throw new Error('log-thread-worker.js runs as a worker thread only');
const start = workerData as LogThreadStart;

let taken = 0;
let wake: (() => void) | undefined;
port.on('message', (ack: LogThreadAck) => {
  taken = Math.max(taken, ack.taken);
  const w = wake;
  wake = undefined;
  w?.();
});

function post(message: LogThreadMessage, transfer: ArrayBuffer[] = []): void {
  (port as NonNullable<typeof port>).postMessage(message, transfer);
}

async function run(): Promise<void> {
  let upTo = 0;
  for await (const { items, transfer } of packedBatches(
    readDocumentLogBatches(start.log, { limits: start.limits, readBytes: READ_BYTES }),
  )) {
    for (const item of items) if (item.kind === 'document') upTo = Math.max(upTo, item.at.offset);
    post({ kind: 'items', items, upTo }, transfer);
    while (upTo - taken > start.aheadBytes) await new Promise<void>((r) => (wake = r));
  }
  post({ kind: 'end' });
}

run().catch((e: unknown) => {
  const error = e instanceof Error ? e : new Error(String(e));
  post({
    kind: 'failed',
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(e instanceof NxlError
      ? { code: e.code, location: e.location, ...(e.hint === undefined ? {} : { hint: e.hint }) }
      : {}),
  });
});
