import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { packEvents, readDocumentLog } from '../../src/documents/index.js';
import type { Event, NamedDocument } from '../../src/documents/models.js';
import type { Run } from '../../src/run/models.js';
import { RunRouter } from '../../src/run/router.js';
import { manyEventsAgree } from './many-events.js';

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

  // The size is not the point here: 10,000 events are 10 pages; 100,000 in pages-equivalence.slow.test.ts.
  test('10,000 events × 10 fields: pages, single events and unpacked pages agree', () => manyEventsAgree(10_000));
});
