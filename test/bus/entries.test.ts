/**
 * The bus format: entries to and from Redis fields (NaN, ±Infinity and -0 cross
 * unchanged; a malformed entry is a located BUS_ENTRY error), and the entries
 * `publish`, the Python callback and `serve` write hold to the JSON Schema of docs/bus.md.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { docText, parseRunEntry, runEntryFields } from '../../src/bus/index.js';
import { parseJsonText } from '../../src/documents/index.js';
import { nxlayout, nxlayoutIn } from '../cli/helpers.js';
import { REPO, results, serveIn, smallRun, TestRedis, waitFor } from './helpers.js';

test('docText: NaN, Infinity, -Infinity and -0 survive (JSON.stringify would write null and 0); strings are untouched', () => {
  const doc = { a: NaN, b: [Infinity, -Infinity, -0, 0, 1.5], s: 'NaN -0 Infinity', nested: { x: -0 } };
  const text = docText(doc);
  assert.match(text, /"a":NaN/);
  const back = parseJsonText(text) as typeof doc;
  assert.ok(Number.isNaN(back.a));
  assert.deepEqual(back.b.slice(0, 2), [Infinity, -Infinity]);
  assert.ok(Object.is(back.b[2], -0) && Object.is(back.b[3], 0));
  assert.ok(Object.is(back.nested.x, -0));
  assert.equal(back.s, 'NaN -0 Infinity');
  assert.equal(docText({ plain: 1 }), '{"plain":1}');
});

test('parseRunEntry: a document, or a BUS_ENTRY error naming the stream, the entry number and id, and the field', () => {
  const [start] = smallRun(1);
  const ok = parseRunEntry('p:run:u', 1, [
    '1-0',
    runEntryFields(start, { log: '/spool/a.jsonl', item: 1, line: 1, offset: 0 }),
  ]);
  assert.ok('named' in ok);
  assert.equal(ok.named.name, 'start');
  assert.deepEqual(ok.at, { log: '/spool/a.jsonl', item: 1, line: 1, offset: 0 });
  const cases: [string[], string, RegExp][] = [
    [['doc', '{}'], '/name', /field name is null/],
    [['name', 'evnt', 'doc', '{}'], '/name', /"evnt"/],
    [['name', 'event'], '/doc', /no doc field/],
    [['name', 'event', 'doc', '{"uid": '], '/doc', /doc is not JSON/],
    [['name', 'event', 'doc', '[1]'], '/doc', /not a JSON object/],
  ];
  for (const [fields, pointer, message] of cases) {
    const bad = parseRunEntry('p:run:u', 7, ['9-1', fields]);
    assert.ok(!('named' in bad), JSON.stringify(fields));
    assert.equal(bad.code, 'BUS_ENTRY');
    assert.equal(bad.location.file, 'p:run:u');
    assert.equal(bad.location.item, 7);
    assert.equal(bad.location.pointer, pointer);
    assert.match(bad.message, /^entry 9-1: /);
    assert.match(bad.message, message);
    assert.ok(bad.hint !== undefined);
  }
});

const redis = new TestRedis('entries');
after(() => redis.dispose());

/** The JSON Schema block of docs/bus.md. */
function busSchema(): Record<string, unknown> {
  const text = fs.readFileSync(path.join(REPO, 'docs', 'bus.md'), 'utf8');
  const block = /```json\n([\s\S]*?)\n```/.exec(text);
  assert.ok(block !== null, 'docs/bus.md has a JSON Schema block');
  return JSON.parse(block[1]) as Record<string, unknown>;
}

function fieldsOf(entry: [string, string[]]): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i + 1 < entry[1].length; i += 2) o[entry[1][i]] = entry[1][i + 1];
  return o;
}

test('the entries publish, the Python callback and serve write hold to the JSON Schema of docs/bus.md', async () => {
  await redis.start();
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema(busSchema());
  const check = (def: string, entry: Record<string, string>): void => {
    const validate = ajv.getSchema(`https://nxlayout/bus-entries.json#/$defs/${def}`)!;
    assert.ok(validate(entry), `${def} ${JSON.stringify(entry).slice(0, 200)}: ${ajv.errorsText(validate.errors)}`);
  };
  const log = path.join(redis.dir, 'run.jsonl');
  fs.writeFileSync(
    log,
    smallRun(3)
      .map((d) => JSON.stringify([d.name, d.doc]))
      .join('\n') + '\n',
  );
  const published = await nxlayoutIn(['publish', log, '--redis', redis.url]);
  assert.equal(published.status, 0, published.stderr);
  assert.match(published.stdout, /1 runs, 6 documents published/);
  const py = spawnSync(
    '/usr/bin/python3',
    [
      path.join(REPO, 'examples', 'bus', 'redis_publisher.py'),
      '--redis',
      redis.url,
      log.replace('run.jsonl', 'run2.jsonl'),
    ],
    { cwd: REPO },
  );
  assert.notEqual(py.status, 0, 'a missing log fails the script');
  fs.writeFileSync(
    log.replace('run.jsonl', 'run2.jsonl'),
    smallRun(4)
      .map((d) => JSON.stringify([d.name, d.doc]))
      .join('\n') + '\n',
  );
  const py2 = spawnSync(
    '/usr/bin/python3',
    [
      path.join(REPO, 'examples', 'bus', 'redis_publisher.py'),
      '--redis',
      redis.url,
      log.replace('run.jsonl', 'run2.jsonl'),
    ],
    { cwd: REPO },
  );
  assert.equal(py2.status, 0, py2.stderr.toString());

  const client = redis.client();
  try {
    const jobs = await client.xrange('nxlayout:runs', '-', '+');
    assert.equal(jobs.length, 2);
    for (const job of jobs) {
      const fields = fieldsOf(job);
      check('jobEntry', fields);
      const entries = await client.xrange(fields.stream, '-', '+');
      assert.equal(entries.length, 6);
      assert.equal(fieldsOf(entries[0]).name, 'start');
      for (const e of entries) check('runEntry', fieldsOf(e));
    }
    const out = path.join(redis.dir, 'out');
    fs.mkdirSync(out);
    // serve in this process (main()): what is checked is the entries it writes.
    const writer = await serveIn(redis.url, out);
    try {
      await waitFor(() => redis.cli('XLEN', 'nxlayout:results').trim() === '2', 'two results');
    } finally {
      assert.equal(await writer.stop(), 0, writer.output());
    }
    for (const r of await results(client)) {
      check('resultEntry', r);
      assert.equal(r.outcome, 'written');
    }
  } finally {
    client.disconnect();
  }
});

test('publish exits once its documents are published: its 10 s reachability timer does not hold the process', () => {
  const log = path.join(redis.dir, 'exit.jsonl');
  fs.writeFileSync(
    log,
    smallRun(5)
      .map((d) => `${JSON.stringify([d.name, d.doc])}\n`)
      .join(''),
  );
  const t0 = Date.now();
  const r = nxlayout(['publish', log, '--redis', redis.url, '--prefix', 'exit']);
  const ms = Date.now() - t0;
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 runs, 6 documents published/);
  // A node start and a publish take well under a second here (a few on a loaded machine); the timer, 10 s.
  assert.ok(ms < 8000, `publish took ${ms} ms to exit`);
});
