/**
 * serve as a service: --finalize-after writes a run whose stop never comes as
 * incomplete; a template changed on disk is used for the next run (hot
 * reload, watch's reloader); --metrics serves watch's metrics fed by the writer (in-process main()).
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServe, type ServeEvent } from '../../src/bus/index.js';
import { chooseTemplates } from '../../src/cli/templates.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { DEFAULT_TEMPLATE } from '../watch/helpers.js';
import { dump, listFiles, publishDocs, results, serveIn, smallRun, startUid, TestRedis, waitFor } from './helpers.js';

const redis = new TestRedis('service');
after(() => redis.dispose());

test('--finalize-after: a run whose stream stops growing without a stop is written as incomplete', async () => {
  await redis.start();
  const client = redis.client();
  const out = path.join(redis.dir, 'fin');
  fs.mkdirSync(out);
  const handle = await startServe({
    url: redis.url,
    prefix: 'fin',
    outRoot: out,
    loadTemplates: () => chooseTemplates({}),
    registry: createDefaultRegistry(),
    blockMs: 100,
    // Nothing is timed against it here: 300 ms (was 1 s) is still three blocking reads of no entry.
    finalizeAfterMs: 300,
  });
  try {
    await publishDocs(client, smallRun(1, { stop: false }), 'fin');
    await waitFor(() => handle.status().runsIncomplete === 1, 'the run finalized', 30_000);
    const [r] = await results(client, 'fin');
    assert.equal(r.outcome, 'incomplete');
    assert.match(dump(r.file), /"incomplete"/);
    assert.deepEqual(listFiles(out), [path.basename(r.file)]);
  } finally {
    await handle.stop();
    client.disconnect();
  }
});

test('hot reload: the template changed on disk is used for the next run', async () => {
  const client = redis.client();
  const out = path.join(redis.dir, 'reload');
  fs.mkdirSync(out);
  const template = path.join(redis.dir, 'tpl.json');
  const original = fs.readFileSync(DEFAULT_TEMPLATE, 'utf8');
  fs.writeFileSync(template, original);
  const events: ServeEvent[] = [];
  const handle = await startServe(
    {
      url: redis.url,
      prefix: 'rl',
      outRoot: out,
      loadTemplates: () => chooseTemplates({ template }),
      templatePaths: [template],
      registry: createDefaultRegistry(),
      blockMs: 100,
    },
    { onEvent: (e) => events.push(e) },
  );
  try {
    await publishDocs(client, smallRun(1), 'rl');
    await waitFor(() => handle.status().runsWritten === 1, 'the first run');
    fs.writeFileSync(template, original.replace('"version": "1.0.0"', '"version": "1.0.1"'));
    await waitFor(() => events.some((e) => e.kind === 'templates-reloaded'), 'the reload', 30_000);
    await publishDocs(client, smallRun(2), 'rl');
    await waitFor(() => handle.status().runsWritten === 2, 'the second run');
    const [first, second] = await results(client, 'rl');
    assert.match(dump(first.file), /template_version[\s\S]*?"1\.0\.0"/);
    assert.match(dump(second.file), /template_version[\s\S]*?"1\.0\.1"/);
  } finally {
    await handle.stop();
    client.disconnect();
  }
});

test('--metrics: runs written and documents read, from the writer', async () => {
  // `nxlayout serve --metrics` in this process (main(): the option's wiring in src/cli), stopped by a SIGTERM
  // as a process is: a spawned node adds nothing here.
  const client = redis.client();
  const out = path.join(redis.dir, 'metrics');
  fs.mkdirSync(out);
  const writer = await serveIn(redis.url, out, ['--prefix', 'mx', '--metrics', '0']);
  try {
    await waitFor(() => /metrics served at (\S+)\/metrics/.test(writer.output()), 'the metrics server');
    const url = /metrics served at (\S+)\/metrics/.exec(writer.output())![1];
    const docs = smallRun(3, { events: 4 });
    await publishDocs(client, docs, 'mx');
    await waitFor(() => redis.cli('XLEN', 'mx:results').trim() === '1', 'the run');
    const text = await (await fetch(`${url}/metrics`)).text();
    const sample = (name: string): number =>
      Number(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    assert.equal(sample('nxlayout_runs_total{status="written"}'), 1);
    assert.equal(sample('nxlayout_documents_read_total'), docs.length);
    assert.equal(sample('nxlayout_stop_to_file_seconds_count'), 1);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    assert.equal(await writer.stop(), 0, writer.output());
    assert.equal(process.listenerCount('SIGTERM'), 0, 'main() removed its signal handlers');
  } finally {
    await writer.stop();
    client.disconnect();
  }
});

test('stop cuts the blocking read: a writer idle or in the middle of a run stops at once (the run abandoned, its job pending)', async () => {
  const client = redis.client();
  const out = path.join(redis.dir, 'stop');
  fs.mkdirSync(out);
  const events: ServeEvent[] = [];
  // Blocking reads of 10 s: a stop that waited for one to end would take that long.
  const start = () =>
    startServe(
      {
        url: redis.url,
        prefix: 'st',
        outRoot: out,
        loadTemplates: () => chooseTemplates({}),
        registry: createDefaultRegistry(),
        blockMs: 10_000,
      },
      { onEvent: (e) => events.push(e) },
    );
  /** A client of the server blocked (flags b) in `command`. */
  const blockedIn = (command: string): boolean =>
    redis
      .cli('CLIENT', 'LIST')
      .split('\n')
      .some((line) => /\bflags=\w*b/.test(line) && line.includes(` cmd=${command} `));
  try {
    const idle = await start();
    await waitFor(() => blockedIn('xreadgroup'), 'the writer blocked waiting for a job');
    let t0 = Date.now();
    await idle.stop();
    assert.ok(Date.now() - t0 < 5000, `an idle writer took ${Date.now() - t0} ms to stop`);

    const docs = smallRun(9, { stop: false });
    await publishDocs(client, docs, 'st');
    const busy = await start();
    await waitFor(() => blockedIn('xread'), "the writer blocked waiting for the run's next entries");
    t0 = Date.now();
    await busy.stop();
    assert.ok(Date.now() - t0 < 5000, `a writer in the middle of a run took ${Date.now() - t0} ms to stop`);
    const stopping = events.filter((e) => e.kind === 'stopping');
    assert.deepEqual(
      stopping.map((e) => (e.kind === 'stopping' ? e.abandoned : [])),
      [[], [startUid(docs)]],
    );
    assert.deepEqual(listFiles(out), [], 'nothing written, no temporary file');
    assert.ok(redis.cli('XPENDING', 'st:runs', 'nxlayout').startsWith('1'), 'the job is still pending');
  } finally {
    client.disconnect();
  }
});
