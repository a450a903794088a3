import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readDocumentLog } from '../../src/documents/index.js';
import type { DocName, DocTypes, NamedDocument } from '../../src/documents/index.js';
import { collect, documents, REALDATA } from './helpers.js';

const PACK = join(REALDATA, 'databroker-pack');

/** The runs of a folder of one-run logs, by start uid. */
async function runs(dir: string): Promise<Map<string, NamedDocument[]>> {
  const out = new Map<string, NamedDocument[]>();
  for (const file of (await readdir(dir)).sort()) {
    const docs = documents(await collect(readDocumentLog(join(dir, file))));
    const start = docs[0];
    assert.equal(start.name, 'start');
    out.set(
      start.doc.uid as string,
      docs.map(({ name, doc }) => ({ name, doc }) as NamedDocument),
    );
  }
  return out;
}

function first<K extends DocName>(docs: NamedDocument[], name: K): DocTypes[K] {
  const found = docs.find((d) => d.name === name);
  assert.ok(found, `no ${name} document`);
  return found.doc as DocTypes[K];
}

function byScanId(runsByUid: Map<string, NamedDocument[]>): Map<number, NamedDocument[]> {
  return new Map([...runsByUid.values()].map((docs) => [first(docs, 'start').scan_id as number, docs]));
}

test('databroker-pack: msgpack and jsonl forms, compared where comparable', async () => {
  const msgpack = await runs(join(PACK, 'simple_catalog/documents'));
  const jsonl = await runs(join(PACK, 'simple_catalog_jsonl_history'));

  // The jsonl folder is an earlier commit of the test data: the runs were re-recorded,
  // so no run uid appears in both and there is nothing to deep-equal per uid.
  assert.deepEqual(
    [...msgpack.keys()].filter((uid) => jsonl.has(uid)),
    [],
  );

  const mp = byScanId(msgpack);
  const jl = byScanId(jsonl);
  assert.deepEqual([...mp.keys()].sort(), [1, 2, 3]);
  assert.deepEqual([...jl.keys()].sort(), [1, 2, 3]);

  // scan 1: `count` of det, one event, same readings and configuration in both recordings.
  const [mp1, jl1] = [mp.get(1) as NamedDocument[], jl.get(1) as NamedDocument[]];
  assert.deepEqual(
    mp1.map((d) => d.name),
    jl1.map((d) => d.name),
  );
  assert.deepEqual(first(mp1, 'descriptor').data_keys, first(jl1, 'descriptor').data_keys);
  assert.deepEqual(
    first(mp1, 'descriptor').configuration?.det?.data,
    first(jl1, 'descriptor').configuration?.det?.data,
  );
  assert.deepEqual(first(mp1, 'event_page').data, first(jl1, 'event_page').data);
  assert.deepEqual(first(mp1, 'stop').num_events, first(jl1, 'stop').num_events);

  // scan 3: the img detector with external NPY_SEQ data; the same data key, but 1 point
  // (msgpack) against 3 points (jsonl), and a resource root rewritten by databroker-pack.
  const [mp3, jl3] = [mp.get(3) as NamedDocument[], jl.get(3) as NamedDocument[]];
  assert.deepEqual(first(mp3, 'descriptor').data_keys, first(jl3, 'descriptor').data_keys);
  assert.equal(first(mp3, 'resource').spec, 'NPY_SEQ');
  assert.equal(first(jl3, 'resource').spec, 'NPY_SEQ');
  assert.equal(first(mp3, 'resource').root, 'f8483b80395561ac779a5425da6646ca');
  assert.equal(first(jl3, 'resource').root, '/tmp/tmpp5_kcw9q');
  assert.deepEqual([first(mp3, 'start').num_points, first(jl3, 'start').num_points], [1, 3]);
  assert.deepEqual([first(mp3, 'datum_page').datum_id.length, first(jl3, 'datum_page').datum_id.length], [1, 3]);
  assert.deepEqual(first(mp3, 'event_page').filled, { img: [false] });

  // scan 2 is a different plan in each recording (count of det vs scan of det over motor).
  assert.deepEqual(
    [first(mp.get(2) as NamedDocument[], 'start').plan_name, first(jl.get(2) as NamedDocument[], 'start').plan_name],
    ['count', 'scan'],
  );
});
