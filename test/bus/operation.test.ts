/**
 * Operation: a malformed entry fails its run (located) and the group goes on;
 * Redis restarted in the middle of a run: the run completes after
 * reconnection; SIGTERM in the middle of a live run: exit 0, no file, no
 * temporary file, the job left pending and written by the next writer; a run
 * published event by event is written once its stop arrives.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServe, type ServeEvent, type ServeHandle } from '../../src/bus/index.js';
import { chooseTemplates } from '../../src/cli/templates.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import type { NamedDocument } from '../../src/documents/models.js';
import { jsonl } from '../watch/helpers.js';
import {
  dump,
  listFiles,
  publishDocs,
  results,
  served,
  sleep,
  smallRun,
  spawnServe,
  startUid,
  stopServe,
  TestRedis,
  waitFor,
  writeReference,
} from './helpers.js';

const redis = new TestRedis('operation');
after(() => redis.dispose());

async function serveInProcess(
  out: string,
  prefix: string,
  events: ServeEvent[],
  extra: { claimAfterMs?: number; trimWritten?: boolean } = {},
): Promise<ServeHandle> {
  return startServe(
    {
      url: redis.url,
      prefix,
      outRoot: out,
      loadTemplates: () => chooseTemplates({}),
      registry: createDefaultRegistry(),
      blockMs: 200,
      ...extra,
    },
    { onEvent: (e) => events.push(e) },
  );
}

function outDir(name: string): string {
  const out = path.join(redis.dir, name);
  fs.mkdirSync(out);
  return out;
}

/** The file `write` makes of `docs`, and the file served, are the same (h5dump). */
async function assertAsWrite(docs: NamedDocument[], out: string, name: string): Promise<void> {
  const logs = path.join(redis.dir, `${name}-logs`);
  fs.mkdirSync(logs);
  fs.writeFileSync(path.join(logs, 'run.jsonl'), jsonl(docs));
  const ref = path.join(redis.dir, `${name}-ref`);
  await writeReference([logs], ref);
  const files = listFiles(ref);
  assert.equal(files.length, 1);
  assert.equal(dump(path.join(out, files[0])), dump(path.join(ref, files[0])));
}

test('a malformed entry: the run fails with a located BUS_ENTRY error, its job is acknowledged, the next run is written', async () => {
  await redis.start();
  const client = redis.client();
  const out = outDir('malformed');
  const events: ServeEvent[] = [];
  const handle = await serveInProcess(out, 'bad', events);
  try {
    const bad = smallRun(1);
    const good = smallRun(2);
    await publishDocs(client, bad.slice(0, 3), 'bad');
    const badStream = `bad:run:${startUid(bad)}`;
    const badId = await client.xadd(badStream, '*', 'name', 'event', 'doc', '{"uid": "x", "seq_num": ');
    await publishDocs(client, [...bad.slice(3)], 'bad');
    await publishDocs(client, good, 'bad');
    await waitFor(() => handle.status().runsWritten + handle.status().runsFailed >= 2, 'two runs done');
    const found = await results(client, 'bad');
    assert.deepEqual(
      found.map((r) => [r.uid, r.outcome]),
      [
        [startUid(bad), 'failed'],
        [startUid(good), 'written'],
      ],
    );
    assert.ok(found[0].reason.includes(badStream), found[0].reason);
    assert.match(found[0].reason, new RegExp(`BUS_ENTRY: entry ${badId}: doc is not JSON`));
    const failed = events.find((e) => e.kind === 'failed');
    assert.ok(failed !== undefined && failed.kind === 'failed');
    assert.deepEqual(
      {
        file: failed.diagnostic.location.file,
        item: failed.diagnostic.location.item,
        pointer: failed.diagnostic.location.pointer,
      },
      { file: badStream, item: 4, pointer: '/doc' },
    );
    assert.equal(redis.cli('XPENDING', 'bad:runs', 'nxlayout').split('\n')[0], '0');
    assert.deepEqual(listFiles(out), [path.basename(found[1].file)]);
  } finally {
    await handle.stop();
    client.disconnect();
  }
});

test('Redis restarted in the middle of a run: the writer reconnects and the run completes, written once', async () => {
  const client = redis.client();
  const out = outDir('restart');
  const events: ServeEvent[] = [];
  const handle = await serveInProcess(out, 'rs', events);
  try {
    const docs = smallRun(5, { events: 20 });
    await publishDocs(client, docs.slice(0, 8), 'rs');
    // The writer holds the job and is reading the run's stream.
    await waitFor(() => events.some((e) => e.kind === 'read'), 'the writer to read the run');
    await redis.stop();
    // Back only once the writer has seen it go (its down period is not what is tested).
    await waitFor(() => events.some((e) => e.kind === 'redis-down'), 'the writer to see Redis go');
    await redis.start();
    await publishDocs(client, docs.slice(8), 'rs');
    await waitFor(() => handle.status().runsWritten === 1, 'the run written after the restart', 60_000);
    assert.ok(
      events.some((e) => e.kind === 'redis-down'),
      'the writer saw Redis go',
    );
    assert.ok(
      events.some((e) => e.kind === 'redis-up'),
      'and come back',
    );
    const found = await results(client, 'rs');
    assert.deepEqual(
      found.map((r) => r.outcome),
      ['written'],
    );
    assert.deepEqual(listFiles(out), [path.basename(found[0].file)]);
    await assertAsWrite(docs, out, 'restart');
  } finally {
    await handle.stop();
    client.disconnect();
  }
});

test("a run published event by event is written when its stop arrives, the same file as write's", async () => {
  const client = redis.client();
  const out = outDir('live');
  const events: ServeEvent[] = [];
  const handle = await serveInProcess(out, 'live', events);
  try {
    const docs = smallRun(6, { events: 12 });
    for (const d of docs.slice(0, -1)) {
      await publishDocs(client, [d], 'live');
      await sleep(20);
    }
    await waitFor(() => events.filter((e) => e.kind === 'read').length >= 3, 'the writer to read as the run goes');
    assert.deepEqual(
      listFiles(out).filter((f) => f.endsWith('.nxs')),
      [],
      'no file before the stop',
    );
    await publishDocs(client, docs.slice(-1), 'live');
    await waitFor(() => listFiles(out).some((f) => f.endsWith('.nxs')), 'the file after the stop', 20_000);
    await assertAsWrite(docs, out, 'live');
  } finally {
    await handle.stop();
    client.disconnect();
  }
});

test('SIGTERM in the middle of a run: exit 0, no file and no temporary file; the job stays pending and the next writer writes the run', async () => {
  const client = redis.client();
  const out = outDir('sigterm');
  try {
    const docs = smallRun(7, { events: 6 });
    await publishDocs(client, docs.slice(0, -1), 'term');
    // One writer at a time here: a short --claim-after only shortens the second writer's wait for the job.
    const first = spawnServe(redis.url, out, ['--prefix', 'term', '--claim-after', '300ms']);
    await served(first);
    await waitFor(() => redis.cli('XPENDING', 'term:runs', 'nxlayout').startsWith('1'), 'the writer to take the job');
    // Its reader's last command an XREAD: the writer is reading the run's stream (runJob), the job in hand.
    await waitFor(() => /\bcmd=xread\b/.test(redis.cli('CLIENT', 'LIST')), "the writer to read the run's stream");
    assert.equal(await stopServe(first), 0, first.output());
    assert.match(first.output(), /abandoned, its job left pending/);
    assert.deepEqual(listFiles(out), [], 'nothing written, no temporary file');
    assert.ok(redis.cli('XPENDING', 'term:runs', 'nxlayout').startsWith('1'), 'the job is still pending');
    const second = spawnServe(redis.url, out, ['--prefix', 'term', '--claim-after', '300ms']);
    await served(second);
    await publishDocs(client, docs.slice(-1), 'term');
    await waitFor(() => redis.cli('XLEN', 'term:results').trim() === '1', 'the run written by the next writer', 60_000);
    assert.equal(await stopServe(second), 0, second.output());
    assert.match(second.output(), /claimed run/);
    const found = await results(client, 'term');
    assert.deepEqual(
      found.map((r) => r.outcome),
      ['written'],
    );
    await assertAsWrite(docs, out, 'sigterm');
  } finally {
    client.disconnect();
  }
});

test("--trim-written empties a run's stream once its file is written; without it nothing is deleted", async () => {
  const client = redis.client();
  const out = outDir('trim');
  const events: ServeEvent[] = [];
  const handle = await serveInProcess(out, 'trim', events, { trimWritten: true });
  try {
    const docs = smallRun(8);
    await publishDocs(client, docs, 'trim');
    await waitFor(() => handle.status().runsWritten === 1, 'the run written');
    assert.equal(await client.xlen(`trim:run:${startUid(docs)}`), 0);
    assert.equal(await client.xlen('trim:runs'), 1, 'the job stays (acknowledged)');
    // The live test's run, served without the option, still has its documents.
    const kept = await client.keys('live:run:*');
    assert.equal(kept.length, 1);
    assert.ok((await client.xlen(kept[0])) > 0);
  } finally {
    await handle.stop();
    client.disconnect();
  }
});
