import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  packEvents,
  readDocumentLog,
  routeDocument,
  unpackDatumPage,
  unpackEventPage,
  validateDocument,
} from '../../src/documents/index.js';
import type { DocumentHandlers, EventPage, NamedDocument } from '../../src/documents/index.js';
import { collect, documents, REALDATA } from './helpers.js';

const PAGE: EventPage = {
  uid: ['a', 'b', 'c'],
  descriptor: 'd',
  seq_num: [1, 2, 3],
  time: [10, 11, 12],
  data: { x: [1, 2, 3], img: ['r/0', 'r/1', 'r/2'] },
  timestamps: { x: [9, 10, 11], img: [9.5, 10.5, 11.5] },
  filled: { img: [false, false, 'r/2'] },
};

describe('pages', () => {
  test('unpackEventPage gives one event per row', () => {
    const events = unpackEventPage(PAGE);
    assert.deepEqual(events[2], {
      uid: 'c',
      descriptor: 'd',
      seq_num: 3,
      time: 12,
      data: { x: 3, img: 'r/2' },
      timestamps: { x: 11, img: 11.5 },
      filled: { img: 'r/2' },
    });
    assert.deepEqual(
      events.map((e) => e.seq_num),
      [1, 2, 3],
    );
    for (const e of events) assert.deepEqual(validateDocument({ name: 'event', doc: e }), []);
  });

  test('packEvents inverts unpackEventPage', () => {
    assert.deepEqual(packEvents(unpackEventPage(PAGE)), PAGE);
    const { filled: _f, ...noFilled } = PAGE;
    assert.deepEqual(packEvents(unpackEventPage(noFilled)), noFilled);
  });

  test('packEvents refuses mixed descriptors and ragged columns are refused on unpack', () => {
    const events = unpackEventPage(PAGE);
    events[1].descriptor = 'other';
    assert.throws(() => packEvents(events), { code: 'DOC_SHAPE' });
    assert.throws(() => packEvents([]), { code: 'DOC_SHAPE' });
    assert.throws(() => unpackEventPage({ ...PAGE, data: { x: [1, 2] } }), {
      code: 'DOC_SHAPE',
      location: { document: { name: 'event_page', uid: 'a' }, pointer: '/data/x' },
    });
  });

  test('unpackDatumPage on the real databroker-pack datum_page', async () => {
    const file = join(
      REALDATA,
      'databroker-pack/simple_catalog_jsonl_history/1069c439-44ec-4978-b04c-f80319882d51.jsonl',
    );
    const page = documents(await collect(readDocumentLog(file))).find((d) => d.name === 'datum_page');
    assert.ok(page?.name === 'datum_page');
    const datums = unpackDatumPage(page.doc);
    assert.deepEqual(
      datums.map((d) => d.datum_kwargs),
      [{ index: 0 }, { index: 1 }, { index: 2 }],
    );
    assert.deepEqual(datums[1], {
      datum_id: 'e77a0882-ad59-4ccc-986f-3a905dfd6afc/1',
      resource: 'e77a0882-ad59-4ccc-986f-3a905dfd6afc',
      datum_kwargs: { index: 1 },
    });
  });
});

describe('routeDocument', () => {
  test('calls the handler named after each document, with its source', async () => {
    const file = join(REALDATA, 'bluesky-tiled-plugins/external_assets_legacy.json');
    const seen: string[] = [];
    const handlers: DocumentHandlers<string> = {
      start: (doc) => `start ${doc.plan_name}`,
      resource: (doc, at) => `resource ${doc.spec} item ${at?.item}`,
      datum: (doc) => `datum ${JSON.stringify(doc.datum_kwargs)}`,
    };
    for (const d of documents(await collect(readDocumentLog(file)))) {
      const result = routeDocument(handlers, d, d.at);
      if (result !== undefined) seen.push(result);
    }
    assert.deepEqual(seen.slice(0, 2), ['start count', 'resource AD_HDF5_SWMR_STREAM item 3']);
    assert.equal(seen.filter((s) => s.startsWith('datum ')).length, 3);
  });

  test('no handler: undefined, nothing called', () => {
    const named: NamedDocument = { name: 'stop', doc: { uid: 's', run_start: 'u', time: 1, exit_status: 'success' } };
    assert.equal(routeDocument({ start: () => 1 }, named), undefined);
  });
});
