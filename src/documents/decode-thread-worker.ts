/**
 * A worker of JsonlDecodePool: decodes one part of a jsonl log at a time
 * (parse, validate, pack runs of events into pages) and posts its items back,
 * with the pages' number columns moved rather than copied.
 */
import { parentPort } from 'node:worker_threads';
import { PAGE_EVENTS, pagesToWire, type ChunkJob, type ChunkResult } from './decode-thread-protocol.js';
import { EventPacker } from './event-packer.js';
import { JsonlDecoder } from './jsonl-decoder.js';
import { limitProblem } from './limits.js';
import type { LogItem } from './models.js';
import './precompiled-node.js';
import { validateAndPack } from './packed-batches.js';

const port = parentPort;
if (port === null) throw new Error('decode-thread-worker.js runs as a worker thread only');

function decode(job: ChunkJob): LogItem[] {
  if (job.tooLong !== undefined) {
    const line = job.start.line + 1;
    return [
      limitProblem(
        'bytes',
        `line ${line}`,
        job.limits,
        { file: job.log, item: job.start.item + 1, line, offset: job.start.offset },
        job.tooLong,
      ),
    ];
  }
  const decoder = new JsonlDecoder(job.log, job.start, job.limits);
  const read = decoder.push(job.bytes);
  if (job.final) read.push(...decoder.end());
  const packer = new EventPacker({ maxEvents: PAGE_EVENTS });
  const items: LogItem[] = [];
  validateAndPack(read, packer, items);
  packer.flush(items);
  return items;
}

port.on('message', (job: ChunkJob) => {
  let result: ChunkResult;
  let transfer: ArrayBuffer[] = [];
  try {
    const items = decode(job);
    transfer = pagesToWire(items);
    result = { seq: job.seq, items };
  } catch (e) {
    result = { seq: job.seq, failed: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(result, transfer);
});
