/**
 * Writers killed with SIGKILL while runs stream in, shared by the two slow
 * tests (writers-two.slow.test.ts, writers.slow.test.ts): N writers serve
 * one group; runs are published document by document, several at a time;
 * every few seconds a writer is killed (and started again, as systemd's
 * Restart=always would); the feed is paced to last until the last kill. A kill
 * is known to have landed mid-run when the dead
 * writer still holds a job in the group's pending list (taken, not
 * acknowledged), or a temporary file of its pid is there. At the end every
 * run is written exactly once, no temporary file is left, nothing is
 * pending, and the files are those `write` makes of the same documents.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import type { NamedDocument } from '../../src/documents/models.js';
import { BusPublisher } from '../../src/bus/index.js';
import { jsonl } from '../watch/helpers.js';
import {
  dump,
  listFiles,
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
  type ServeProcess,
} from './helpers.js';

export interface KillPlan {
  writers: number;
  runs: number;
  /** Kills at least. */
  kills: number;
  /** Milliseconds between kills: from, to. */
  killEveryMs: [number, number];
  /** Kills that must be seen to land mid-run. */
  midRunAtLeast: number;
  /** Runs published at the same time. */
  concurrent: number;
  /** Pause between two documents of the feed (ms). */
  docPauseMs: number;
  /** Files compared with write's in h5dump (all when undefined). */
  compare?: number;
}

const TEMP = /\.nxlayout-tmp-(\d+)-/;

function writerName(p: ServeProcess): string | undefined {
  return / serving \S+ as (\S+) in group/.exec(p.output())?.[1];
}

export async function killWriters(t: TestContext, plan: KillPlan): Promise<void> {
  const redis = new TestRedis('kill');
  await redis.start();
  const client = redis.client();
  let cleanup = (): void => undefined;
  try {
    const out = path.join(redis.dir, 'out');
    fs.mkdirSync(out);
    const serve = (): ServeProcess => spawnServe(redis.url, out, ['--claim-after', '2s']);
    const writers: ServeProcess[] = [];
    cleanup = () => {
      for (const w of writers) w.child.kill('SIGKILL');
    };
    for (let i = 0; i < plan.writers; i++) writers.push(serve());
    for (const w of writers) await served(w);

    // The runs, fed document by document, `concurrent` runs interleaved at a time.
    const runs: NamedDocument[][] = [];
    for (let i = 0; i < plan.runs; i++) runs.push(smallRun(i + 1, { events: 2 + (i % 7) }));
    const uids = runs.map(startUid);
    const documents = runs.reduce((n, docs) => n + docs.length, 0);
    let fed = false;
    let kills = 0;
    const feeding = (async () => {
      const publisher = new BusPublisher(client);
      const queue = runs.map((docs) => [...docs]);
      const open: NamedDocument[][] = [];
      let published = 0;
      while (queue.length > 0 || open.length > 0) {
        while (open.length < plan.concurrent && queue.length > 0) open.push(queue.shift()!);
        // The stream lasts as long as the kills, however fast this machine publishes: the share of the documents
        // published stays within one kill of the share of the kills done (a fast feed ended before the last kills,
        // which then found idle writers).
        while (kills < plan.kills && published / documents > (kills + 1) / plan.kills) await sleep(20);
        const k = Math.floor(Math.random() * open.length);
        await publisher.add(open[k].shift()!);
        published++;
        await publisher.flush();
        if (open[k].length === 0) open.splice(k, 1);
        await sleep(plan.docPauseMs);
      }
      fed = true;
    })();

    let midRun = 0;
    let midWrite = 0;
    while (kills < plan.kills || !fed) {
      const [from, to] = plan.killEveryMs;
      await sleep(from + Math.random() * (to - from));
      if (fed && kills >= plan.kills) break;
      const i = Math.floor(Math.random() * writers.length);
      const victim = writers[i];
      const name = writerName(victim);
      // The jobs it holds just before the kill; one of them still unacknowledged after its death proves the kill landed mid-run.
      const held =
        name === undefined
          ? []
          : ((await client.xpending('nxlayout:runs', 'nxlayout', '-', '+', 100, name)) as [
              string,
              string,
              number,
              number,
            ][]);
      victim.child.kill('SIGKILL');
      await victim.closed;
      kills++;
      for (const [id] of held) {
        if (((await client.xpending('nxlayout:runs', 'nxlayout', id, id, 1)) as unknown[]).length > 0) {
          midRun++;
          break;
        }
      }
      if (listFiles(out).some((f) => TEMP.exec(path.basename(f))?.[1] === String(victim.child.pid))) midWrite++;
      writers[i] = serve();
      await served(writers[i]);
    }
    await feeding;
    t.diagnostic(
      `${kills} kills: ${midRun} while the killed writer held a job, ${midWrite} while a temporary file of it existed`,
    );
    assert.ok(midRun >= plan.midRunAtLeast, `at least ${plan.midRunAtLeast} kills mid-run (${midRun})`);

    // Every run written exactly once.
    await waitFor(
      () =>
        Number(redis.cli('XLEN', 'nxlayout:results')) >= uids.length &&
        listFiles(out).filter((f) => f.endsWith('.nxs')).length >= uids.length,
      `${uids.length} runs written`,
      300_000,
    ).catch((e: unknown) => {
      throw new Error(
        `${(e as Error).message}: ${listFiles(out).length} files\n${writers
          .map((w) => w.output())
          .join('\n')
          .slice(-4000)}`,
      );
    });
    // Give a writer that may be replaying a claimed job the time to finish it.
    await waitFor(() => redis.cli('XPENDING', 'nxlayout:runs', 'nxlayout').startsWith('0'), 'no job pending', 60_000);
    for (const w of writers) assert.equal(await stopServe(w), 0, w.output());
    const found = await results(client);
    const written = found.filter((r) => r.outcome === 'written');
    const exists = found.filter((r) => r.outcome === 'exists');
    t.diagnostic(
      `${written.length} written, ${exists.length} found in place by a second writer (claimed after a kill, or from a writer stalled past --claim-after), ${found.length - written.length - exists.length} other`,
    );
    assert.deepEqual(
      found.filter((r) => r.outcome !== 'written' && r.outcome !== 'exists'),
      [],
    );
    // Each run acknowledged as written at most once; a run without a `written` result is one whose writer was
    // killed between its rename and its acknowledgement: the writer that claimed it found the file in place.
    assert.equal(new Set(written.map((r) => r.uid)).size, written.length, 'no run written twice');
    assert.deepEqual(
      [...new Set([...written, ...exists].map((r) => r.uid))].sort(),
      [...uids].sort(),
      'every run acknowledged',
    );
    const files = listFiles(out);
    for (const r of exists)
      assert.ok(files.includes(path.relative(out, r.file)), `the file found in place is there: ${JSON.stringify(r)}`);
    const renamedThenKilled = uids.filter((u) => !written.some((r) => r.uid === u));
    t.diagnostic(`${renamedThenKilled.length} runs whose writer was killed between the rename and the acknowledgement`);
    assert.deepEqual(
      files.filter((f) => !f.endsWith('.nxs')),
      [],
      'no temporary file left',
    );
    assert.equal(files.length, uids.length);

    // The same files as write's.
    const logs = path.join(redis.dir, 'logs');
    fs.mkdirSync(logs);
    runs.forEach((docs, i) => {
      fs.writeFileSync(path.join(logs, `run-${String(i).padStart(4, '0')}.jsonl`), jsonl(docs));
    });
    const ref = path.join(redis.dir, 'ref');
    await writeReference([logs], ref);
    assert.deepEqual(listFiles(ref), files);
    const step = plan.compare === undefined ? 1 : Math.max(1, Math.floor(files.length / plan.compare));
    for (let i = 0; i < files.length; i += step)
      assert.equal(
        dump(path.join(out, files[i])),
        dump(path.join(ref, files[i])),
        `${files[i]}: h5dump differs from write's`,
      );
  } finally {
    cleanup();
    client.disconnect();
    await redis.dispose();
  }
}
