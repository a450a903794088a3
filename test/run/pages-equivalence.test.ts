import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { packEvents, readDocumentLog, unpackEventPage } from '../../src/documents/index.js';
import type { Event, NamedDocument } from '../../src/documents/models.js';
import { RunAccumulator } from '../../src/run/accumulator.js';
import type { Run } from '../../src/run/models.js';
import { RunRouter } from '../../src/run/router.js';
import { composeRun } from '../../src/run/testing.js';

const USAXS = fileURLToPath(new URL('../../../../shared/realdata/apstools/usaxs.json.gz', import.meta.url));

/** Consecutive events of one descriptor packed into event_pages; everything else as is. */
function paged(docs: NamedDocument[]): NamedDocument[] {
  const out: NamedDocument[] = [];
  let pending: Event[] = [];
  const flush = () => {
    if (pending.length > 0) out.push({ name: 'event_page', doc: packEvents(pending) });
    pending = [];
  };
  for (const named of docs) {
    if (named.name === 'event') {
      if (pending.length > 0 && pending[0].descriptor !== named.doc.descriptor) flush();
      pending.push(named.doc);
    } else {
      flush();
      out.push(named);
    }
  }
  flush();
  return out;
}

function route(docs: NamedDocument[]): Run[] {
  const router = new RunRouter();
  for (const named of docs) assert.deepEqual(router.push(named), []);
  return router.runs();
}

describe('event and event_page give identical runs', () => {
  test('the usaxs runs, as events and packed into pages', async () => {
    const docs: NamedDocument[] = [];
    for await (const item of readDocumentLog(USAXS)) {
      assert.equal(item.kind, 'document');
      if (item.kind === 'document') docs.push({ name: item.name, doc: item.doc } as NamedDocument);
    }
    const pagedDocs = paged(docs);
    assert.ok(pagedDocs.length < docs.length);
    const asEvents = route(docs);
    const asPages = route(pagedDocs);
    assert.equal(asPages.length, 10);
    for (let i = 0; i < asEvents.length; i++) {
      assert.deepEqual(asPages[i].streams, asEvents[i].streams, `run ${asEvents[i].uid}`);
    }
  });

  test('100,000 events × 10 fields: pages, single events and unpacked pages agree', () => {
    const fields = Array.from({ length: 10 }, (_, i) => `f${i}`);
    const keys = Object.fromEntries(fields.map((f) => [f, {}]));
    const b = composeRun({ uid: 'big' });
    const d = b.descriptor('primary', keys);
    const n = 100_000;
    for (let p = 0; p < n / 1000; p++) {
      const data = Object.fromEntries(
        fields.map((f, k) => [f, Array.from({ length: 1000 }, (_, i) => (p * 1000 + i) * (k + 1))]),
      );
      d.eventPage(data);
    }
    const docs = b.documents();
    const viaPages = b.run();
    const acc = new RunAccumulator(b.start);
    for (const named of docs.slice(1)) {
      if (named.name !== 'event_page') acc.push(named);
      else for (const doc of unpackEventPage(named.doc)) acc.push({ name: 'event', doc });
    }
    const viaEvents = acc.snapshot();
    const s = viaPages.streams.get('primary')!;
    assert.equal(s.length, n);
    assert.deepEqual(s.fields.get('f9')!.values.stats, {
      count: n,
      min: 0,
      max: (n - 1) * 10,
      sum: (10 * (n * (n - 1))) / 2,
    });
    assert.equal(s.fields.get('f2')!.values.last, (n - 1) * 3);
    assert.deepEqual(viaEvents.streams, viaPages.streams);
  });
});
