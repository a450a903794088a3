import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { decodeDocumentStream } from '../../src/documents/index.js';

const TARGET_BYTES = 1024 ** 3;
const CHUNK = 64 * 1024;
const PAD = 'x'.repeat(820);

/**
 * ~1 GiB of suitcase-jsonl made on the fly, never on disk: a start, a descriptor,
 * events of ~1 KiB each until the target size, a stop. Chunks are cut every
 * 64 KiB regardless of lines, so lines straddle chunks as they do in a file.
 */
async function* syntheticLog(counter: { events: number; bytes: number }): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let carry = new Uint8Array(0);
  let seq = 0;
  let text =
    JSON.stringify(['start', { uid: 'big-run', time: 1, scan_id: 1 }]) +
    '\n' +
    JSON.stringify([
      'descriptor',
      { uid: 'big-desc', run_start: 'big-run', time: 1, data_keys: { x: { dtype: 'number', shape: [], source: 's' } } },
    ]) +
    '\n';
  for (;;) {
    while (text.length < 4 * CHUNK && counter.bytes + carry.length + text.length < TARGET_BYTES) {
      seq++;
      text += `["event", {"uid": "ev-${seq}", "descriptor": "big-desc", "seq_num": ${seq}, "time": ${1 + seq / 1000}, "data": {"x": ${seq * 0.5}, "note": "${PAD}"}, "timestamps": {"x": ${seq}}}]\n`;
    }
    const last = counter.bytes + carry.length + text.length >= TARGET_BYTES;
    if (last)
      text +=
        JSON.stringify(['stop', { uid: 'big-stop', run_start: 'big-run', time: 2, exit_status: 'success' }]) + '\n';
    const encoded = encoder.encode(text);
    text = '';
    const bytes = new Uint8Array(carry.length + encoded.length);
    bytes.set(carry);
    bytes.set(encoded, carry.length);
    let i = 0;
    for (; i + CHUNK <= bytes.length; i += CHUNK) {
      counter.bytes += CHUNK;
      yield bytes.subarray(i, i + CHUNK);
    }
    carry = bytes.slice(i);
    counter.events = seq;
    if (last) {
      counter.bytes += carry.length;
      yield carry;
      return;
    }
  }
}

test('a 1 GiB jsonl stream decodes with bounded memory and an exact count', { timeout: 180_000 }, async (t) => {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const counter = { events: 0, bytes: 0 };
  const counts = { start: 0, descriptor: 0, event: 0, stop: 0, problems: 0 };
  let lastSeq = 0;
  let lastOffset = 0;
  const t0 = Date.now();
  for await (const item of decodeDocumentStream(syntheticLog(counter), 'synthetic.jsonl')) {
    if (item.kind === 'problem') {
      counts.problems++;
      continue;
    }
    counts[item.name as 'start' | 'descriptor' | 'event' | 'stop']++;
    if (item.name === 'event') {
      lastSeq = item.doc.seq_num;
      if (lastSeq % 65536 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    lastOffset = item.at.offset;
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (Date.now() - t0) / 1000;
  assert.ok(counter.bytes >= TARGET_BYTES, `generated ${counter.bytes} bytes`);
  // The generator is deterministic: this many ~1 KiB events fill 1 GiB.
  assert.equal(counter.events, 1_097_149);
  assert.deepEqual(counts, { start: 1, descriptor: 1, event: counter.events, stop: 1, problems: 0 });
  assert.equal(lastSeq, counter.events);
  assert.ok(lastOffset > TARGET_BYTES - 2048 && lastOffset < counter.bytes, `last offset ${lastOffset}`);
  const growthMb = (peak - before) / 2 ** 20;
  t.diagnostic(
    `1 GiB jsonl: ${counter.bytes} bytes, ${counter.events} events in ${seconds.toFixed(1)} s, rss growth ${growthMb.toFixed(0)} MB`,
  );
  assert.ok(growthMb < 200, `rss grew by ${growthMb.toFixed(0)} MB`);
});
