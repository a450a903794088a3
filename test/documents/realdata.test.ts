import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeDocumentStream, readDocumentLog } from '../../src/documents/index.js';
import { chunked, collect, countByName, documents, problems, REALDATA } from './helpers.js';

// Expected counts were computed once, independently of nxlayout, with
//   python3 -c 'import json,gzip,collections; ...Counter(x[0] or x["name"] for x in json.load(...))'
// for the JSON/jsonl/gzip files, and with @msgpack/msgpack's one-shot decodeMulti over the
// whole file (not the streaming framing used by nxlayout) for the .msgpack files.
const EXPECTED: Record<string, Record<string, number>> = {
  'apstools/hklpy-26aac337.json': { start: 1, descriptor: 2, event: 2, stop: 1 },
  'apstools/uid-34c84a1b.json': { start: 1, descriptor: 1, event: 3, stop: 1 },
  'apstools/uid-3ab777ae.json': { start: 1, descriptor: 1, event: 11, stop: 1 },
  'apstools/uid-b31e8698.json': { start: 1, descriptor: 2, event: 1, stop: 1 },
  'apstools/uid-f05b6684.json': { start: 1, descriptor: 1, event: 31, stop: 1 },
  'apstools/usaxs.json.gz': { start: 10, descriptor: 19, event: 172, stop: 10 },
  'bluesky-tiled-plugins/external_assets.json': {
    start: 1,
    descriptor: 2,
    stream_resource: 3,
    stream_datum: 9,
    event: 3,
    stop: 1,
  },
  'bluesky-tiled-plugins/external_assets_legacy.json': {
    start: 1,
    descriptor: 1,
    resource: 1,
    datum: 3,
    event: 3,
    stop: 1,
  },
  'bluesky-tiled-plugins/external_assets_single_key.json': {
    start: 1,
    descriptor: 1,
    stream_resource: 1,
    stream_datum: 3,
    stop: 1,
  },
  'bluesky-tiled-plugins/internal_events.json': { start: 1, descriptor: 2, event: 3, stop: 1 },
  'databroker-pack/simple_catalog/documents/4e22852d-33b1-49d2-bf73-2b1478a8f0b4.msgpack': {
    start: 1,
    descriptor: 1,
    resource: 1,
    datum_page: 1,
    event_page: 1,
    stop: 1,
  },
  'databroker-pack/simple_catalog/documents/6ae80362-1095-45ba-a033-ef15db9ca587.msgpack': {
    start: 1,
    descriptor: 1,
    event_page: 1,
    stop: 1,
  },
  'databroker-pack/simple_catalog/documents/b53f5090-cb1b-4226-a16c-7f71fae07144.msgpack': {
    start: 1,
    descriptor: 1,
    event_page: 3,
    stop: 1,
  },
  'databroker-pack/simple_catalog_jsonl_history/1069c439-44ec-4978-b04c-f80319882d51.jsonl': {
    start: 1,
    descriptor: 1,
    resource: 1,
    datum_page: 1,
    event_page: 3,
    stop: 1,
  },
  'databroker-pack/simple_catalog_jsonl_history/13799134-509d-4efb-a6a4-71ad932c5a36.jsonl': {
    start: 1,
    descriptor: 1,
    event_page: 3,
    stop: 1,
  },
  'databroker-pack/simple_catalog_jsonl_history/3351b226-76e3-4869-a494-afc04fc185b4.jsonl': {
    start: 1,
    descriptor: 1,
    event_page: 1,
    stop: 1,
  },
};

describe('real document logs', () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    test(`${file}: every document read and valid against the seeds/002 schemas`, async () => {
      const items = await collect(readDocumentLog(join(REALDATA, file), { validate: true }));
      assert.deepEqual(problems(items), []);
      assert.deepEqual(countByName(items), expected);
      const docs = documents(items);
      assert.equal(docs[0].name, 'start');
      assert.equal(docs[docs.length - 1].name, 'stop');
      assert.deepEqual(
        docs.map((d) => d.at.item),
        docs.map((_, i) => i + 1),
      );
      assert.equal(docs[0].at.log, join(REALDATA, file));
    });
  }

  test('the 10 usaxs runs: start documents in file order', async () => {
    const items = await collect(readDocumentLog(join(REALDATA, 'apstools/usaxs.json.gz')));
    const starts = documents(items).flatMap((d) => (d.name === 'start' ? [d.doc] : []));
    assert.deepEqual(
      starts.map((s) => [s.uid.slice(0, 8), s.scan_id, s.plan_name]),
      [
        ['19965989', 110, 'Flyscan'],
        ['2ffe4d87', 108, 'tune_mr'],
        ['3554003e', 103, 'tune_ar'],
        ['555a6047', 2, 'count'],
        ['6cfeb213', 102, 'tune_m2rp'],
        ['99fe9e07', 2, 'TuneAxis.tune'],
        ['b0aa6435', 104, 'tune_a2rp'],
        ['ddffefc1', 109, 'measure_USAXS_Transmission'],
        ['e5d2cbdc', 1, 'snapshot'],
        ['fdf496ee', 27, 'run_Excel_file'],
      ],
    );
    assert.equal(starts[0].beamline_id, 'APS USAXS 9-ID-C');
    const stops = documents(items).flatMap((d) => (d.name === 'stop' ? [d.doc] : []));
    assert.deepEqual(
      stops.map((s) => s.exit_status),
      Array(10).fill('success'),
    );
  });

  test('item sources: line and byte offset of a pretty-printed JSON array element', async () => {
    const file = join(REALDATA, 'apstools/uid-34c84a1b.json');
    const docs = documents(await collect(readDocumentLog(file)));
    // The file starts "[\n    [\n        \"start\"": the first element opens on line 2 at byte 6.
    assert.deepEqual(docs[0].at, { log: file, item: 1, line: 2, offset: 6 });
    const text = await readFile(file, 'utf8');
    assert.equal(text.slice(docs[1].at.offset, docs[1].at.offset + 1), '[');
    assert.equal(text.slice(0, docs[1].at.offset).split('\n').length, docs[1].at.line);
  });

  test('jsonl sources: item = line, offset = start of the line', async () => {
    const file = join(
      REALDATA,
      'databroker-pack/simple_catalog_jsonl_history/3351b226-76e3-4869-a494-afc04fc185b4.jsonl',
    );
    const docs = documents(await collect(readDocumentLog(file)));
    const lines = (await readFile(file, 'utf8')).split('\n');
    assert.deepEqual(
      docs.map((d) => d.at.line),
      [1, 2, 3, 4],
    );
    assert.equal(docs[1].at.offset, Buffer.byteLength(lines[0]) + 1);
  });

  test('tiled examples with their {{ uuid }} placeholders substituted, as their test suite does', async () => {
    const text = (await readFile(join(REALDATA, 'bluesky-tiled-plugins/external_assets.json'), 'utf8'))
      .replaceAll('{{ uuid }}', '0c3a9f4e-1d2b-4c5d')
      .replaceAll('{{ root_path }}', 'data/root');
    const items = await collect(decodeDocumentStream(chunked(text, 100), 'external_assets.json', { validate: true }));
    assert.deepEqual(problems(items), []);
    const docs = documents(items);
    const start = docs[0];
    assert.equal(start.name === 'start' && start.doc.uid, '0c3a9f4e-1d2b-4c5d-9724b2201fe7');
    const resources = docs.flatMap((d) => (d.name === 'stream_resource' ? [d.doc] : []));
    assert.equal(resources.length, 3);
    assert.ok(
      resources.every((r) => r.uri.startsWith('file://localhost/data/root')),
      resources.map((r) => r.uri).join(' '),
    );
  });
});
