/**
 * A long run (N events × 5 fields) through convertLogs, once as events
 * and once as event_pages: the values, the two files' identical datasets, the
 * columns' storage (chunked, resizable), and memory that does not grow with
 * the number of events. `npm test` runs 10,000 events (streaming.test.ts: twenty
 * flushes of 512 rows, two chunks of 8,192, the same code paths); the slow suite 50,000 and the
 * memory check, which needs that many (streaming.slow.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { convertLogs, type RunResult } from '../../src/convert/index.js';
import type { NamedDocument } from '../../src/documents/models.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { loadLayout } from '../../src/layout/index.js';
import { composeRun } from '../../src/run/testing.js';
import { allDatasets, assertColumn, attribute, dataset, rows, tool, withFile } from './h5.js';
import { DEFAULT_TEMPLATE } from './paths.js';
import { writeJsonl } from './every-construct-run.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** N events (a multiple of PAGE); `memory`: also check the heap does not grow with the events (N ≥ 50,000). */
export function streamingSuite(N: number, memory: boolean): void {
  const PAGE = 1_000;
  const T0 = 1_700_000_000;
  const UID = 'feed0000-0000-4000-8000-000000050000';
  const FIELDS = ['motor', 'det', 'counter', 'ratio', 'status'] as const;

  const time = (i: number): number => T0 + 10 + i * 0.01;
  const reading = {
    motor: (i: number) => -5 + i * 2e-4,
    det: (i: number) => Math.round(1e6 * Math.sin(i / 100)) / 1e3,
    counter: (i: number) => i * 3,
    ratio: (i: number) => i / N,
    status: (i: number) => `state-${i % 7}-${i}`,
  };

  /** The same run, as N event documents or as N/PAGE event_pages. */
  function build(form: 'event' | 'event_page'): NamedDocument[] {
    const b = composeRun({
      uid: UID,
      time: T0,
      scan_id: 5,
      plan_name: 'scan',
      detectors: ['det'],
      motors: ['motor'],
    } as never);
    const d = b.descriptor(
      'primary',
      {
        motor: { units: 'mm', precision: 4 },
        det: {},
        counter: { dtype: 'integer' },
        ratio: {},
        status: { dtype: 'string' },
      },
      undefined,
      { uid: 'feed0000-0000-4000-8000-00000000d001' },
    );
    for (let at = 0; at < N; at += PAGE) {
      const idx = Array.from({ length: PAGE }, (_, k) => at + k);
      if (form === 'event') {
        for (const i of idx) {
          const data = Object.fromEntries(FIELDS.map((f) => [f, reading[f](i)]));
          d.event(data, { time: time(i), timestamps: Object.fromEntries(FIELDS.map((f) => [f, time(i) - 0.001])) });
        }
      } else {
        d.eventPage(Object.fromEntries(FIELDS.map((f) => [f, idx.map((i) => reading[f](i))])), {
          time: idx.map(time),
          timestamps: Object.fromEntries(FIELDS.map((f) => [f, idx.map((i) => time(i) - 0.001)])),
        });
      }
    }
    b.stop({ uid: 'feed0000-0000-4000-8000-00000000f001', time: time(N) + 1 });
    return b.documents();
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-integration-stream-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const STREAM = '/entry/instrument/bluesky/streams/primary';

  describe(`a run of ${N} events × ${FIELDS.length} fields, streamed through convertLogs`, () => {
    const results: Record<string, RunResult> = {};
    /** heapUsed after a full GC, by documents read (event form). */
    const heap: [number, number][] = [];

    before(async () => {
      const { layout } = await loadLayout(DEFAULT_TEMPLATE);
      assert.ok(layout);
      for (const form of ['event', 'event_page'] as const) {
        const log = writeJsonl(path.join(dir, `${form}.jsonl`), build(form));
        const outRoot = path.join(dir, `out-${form}`);
        fs.mkdirSync(outRoot);
        let sampled = 0;
        const {
          results: [r],
          diagnostics,
        } = await convertLogs(
          [log],
          { outRoot, layouts: [], fallback: layout, registry: createDefaultRegistry() },
          {
            onProgress(p) {
              // Once per 8192 documents read (progress comes every thousand or so).
              if (form !== 'event' || Math.floor(p.documents / 8192) === sampled) return;
              sampled = Math.floor(p.documents / 8192);
              gc();
              heap.push([p.documents, process.memoryUsage().heapUsed]);
            },
          },
        );
        assert.deepEqual(diagnostics, []);
        assert.deepEqual(
          r.diagnostics.filter((d) => d.severity === 'error'),
          [],
        );
        assert.equal(r.status, 'written');
        assert.equal(r.events, N);
        results[form] = r;
      }
    });

    test('every value of every field (values, timestamps, time, seq_num) equals what the documents held', () => {
      withFile(results.event.file!, (f) => {
        for (const field of FIELDS) {
          const expected = Array.from({ length: N }, (_, i) => reading[field](i));
          assertColumn(rows(f, `${STREAM}/${field}/value`), expected, `${field}/value`);
          // NXlog time is relative to its @start, the run's start (issue 11), also when streamed
          assertColumn(
            rows(f, `${STREAM}/${field}/time`),
            Array.from({ length: N }, (_, i) => time(i) - 0.001 - T0),
            `${field}/time`,
          );
          assert.equal(attribute(f, `${STREAM}/${field}/time`, 'start'), '2023-11-14T22:13:20Z');
        }
        assert.equal(
          dataset(f, `${STREAM}/counter/value`).metadata.type,
          0,
          'an integer data key gives an integer dataset',
        );
      });
    });

    test('the event and the event_page forms give files with identical datasets (paths, dtypes, shapes, values)', () => {
      const describeFile = (file: string) =>
        withFile(file, (f) =>
          allDatasets(f).map((p) => {
            const d = dataset(f, p);
            const m = d.metadata;
            return { p, type: m.type, size: m.size, shape: d.shape, chunks: m.chunks, value: rows(f, p) };
          }),
        );
      const a = describeFile(results.event.file!);
      const b = describeFile(results.event_page.file!);
      assert.deepEqual(
        a.map((x) => x.p),
        b.map((x) => x.p),
      );
      assert.ok(a.length > 2 * FIELDS.length);
      for (let i = 0; i < a.length; i++) assert.deepStrictEqual(b[i], a[i], a[i].p);
    });

    test('event columns are chunked and resizable along the event axis (h5wasm and h5dump agree)', () => {
      const file = results.event.file!;
      withFile(file, (f) => {
        for (const field of FIELDS) {
          for (const part of ['value', 'time']) {
            const m = dataset(f, `${STREAM}/${field}/${part}`).metadata;
            assert.equal(m.shape?.[0], N);
            assert.ok(
              m.chunks !== null && m.chunks[0] > 1 && m.chunks[0] < N,
              `${field}/${part} chunks ${JSON.stringify(m.chunks)}`,
            );
            assert.ok(
              m.maxshape !== null && m.maxshape[0] > 2 ** 60,
              `${field}/${part} is unlimited along the event axis`,
            );
          }
        }
      });
      const header = tool('h5dump', ['-H', '-p', '-d', `${STREAM}/det/value`, file]);
      assert.match(header, new RegExp(`DATASPACE\\s+SIMPLE \\{ \\( ${N} \\) / \\( H5S_UNLIMITED \\) \\}`));
      assert.match(header, /CHUNKED \( \d+ \)/);
    });

    if (memory)
      test("memory: the run's columns are released as they are written (heap does not grow with the events)", () => {
        assert.ok(heap.length >= 5, `heap sampled ${heap.length} times`);
        const growth = heap[heap.length - 1][1] - heap[0][1];
        const events = heap[heap.length - 1][0] - heap[0][0];
        // Holding the columns (5 fields + timestamps + time + seq_num) would take ≥ 12 × 8 B per event, and more
        // for the strings: over ~41,000 events that is ≥ 4 MB (measured: 5.4 MB with the run retaining its rows).
        assert.ok(
          growth < 2.5e6,
          `heap grew by ${(growth / 1e6).toFixed(2)} MB over ${events} events: ${heap.map(([n, h]) => `${n}:${(h / 1e6).toFixed(1)}MB`).join(' ')}`,
        );
      });
  });
}
