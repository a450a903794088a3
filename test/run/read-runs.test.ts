import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import type { NamedDocument } from '../../src/documents/models.js';
import { expandLogPaths, readRuns } from '../../src/run/read-runs.js';
import { composeRun } from '../../src/run/testing.js';

let dir = '';

function docsOf(scan: number): NamedDocument[] {
  const b = composeRun({ uid: `run-${scan}`, scan_id: scan });
  const d = b.descriptor('primary', { x: {} });
  for (let i = 0; i < scan; i++) d.event({ x: i });
  b.stop();
  return b.documents();
}

const jsonl = (docs: NamedDocument[]) => docs.map((n) => JSON.stringify([n.name, n.doc])).join('\n') + '\n';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nxl-run-read-'));
  await mkdir(path.join(dir, 'a', 'b'), { recursive: true });
  await writeFile(path.join(dir, 'a', 'one.jsonl'), jsonl(docsOf(1)));
  await writeFile(path.join(dir, 'a', 'b', 'two.jsonl.gz'), gzipSync(jsonl(docsOf(2))));
  const three = docsOf(3);
  await writeFile(
    path.join(dir, 'a', 'b', 'three.msgpack'),
    Buffer.concat(three.map((n) => Buffer.from(encode([n.name, n.doc])))),
  );
  await writeFile(path.join(dir, 'four.json'), JSON.stringify(docsOf(4).map((n) => ({ name: n.name, doc: n.doc }))));
  await writeFile(path.join(dir, 'notes.txt'), 'not a log');
  // A log with a broken line between good ones.
  const five = docsOf(5).map((n) => JSON.stringify([n.name, n.doc]));
  five.splice(3, 0, '["event", {"broken"');
  await writeFile(path.join(dir, 'five.jsonl'), five.join('\n') + '\n');
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readRuns', () => {
  test('a directory means every log under it, recursively, in name order', async () => {
    const { logs, diagnostics } = await expandLogPaths([dir]);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      logs.map((l) => path.relative(dir, l)),
      ['a/b/three.msgpack', 'a/b/two.jsonl.gz', 'a/one.jsonl', 'five.jsonl', 'four.json'],
    );
  });

  test('runs from jsonl, jsonl.gz, msgpack and JSON arrays; an unreadable line is reported and skipped', async () => {
    const { runs, diagnostics } = await readRuns([dir]);
    assert.deepEqual(
      runs.map((r) => [r.start.scan_id, r.streams.get('primary')!.length, r.stop?.exit_status]),
      [
        [3, 3, 'success'],
        [2, 2, 'success'],
        [1, 1, 'success'],
        [5, 5, 'success'],
        [4, 4, 'success'],
      ],
    );
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].location.file, path.join(dir, 'five.jsonl'));
    assert.equal(diagnostics[0].location.line, 4);
    assert.match(diagnostics[0].code, /^DOC_/);
    assert.deepEqual(runs[1].logs, [path.join(dir, 'a', 'b', 'two.jsonl.gz')]);
  });

  test('a missing path is a DOC_IO diagnostic, not a throw', async () => {
    const { runs, diagnostics } = await readRuns([path.join(dir, 'nope.jsonl'), path.join(dir, 'a', 'one.jsonl')]);
    assert.equal(runs.length, 1);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].location.file, path.join(dir, 'nope.jsonl'));
  });

  test('strict is passed to the router', async () => {
    const bad = docsOf(2);
    (bad[2].doc as { seq_num?: unknown }).seq_num = 'one';
    const file = path.join(dir, 'strict.jsonl');
    await writeFile(file, jsonl(bad));
    try {
      const loose = await readRuns([file]);
      assert.equal(loose.runs[0].flagged, true);
      assert.equal(loose.runs[0].failed, false);
      assert.equal(loose.runs[0].streams.get('primary')!.length, 1);
      const strict = await readRuns([file], { strict: true });
      assert.equal(strict.runs[0].failed, true);
      assert.equal(strict.runs[0].stop, undefined);
      assert.deepEqual(
        strict.runs[0].diagnostics.map((d) => d.code),
        ['DOC_SCHEMA'],
      );
    } finally {
      await rm(file);
    }
  });

  test('a log that ends before its run: RUN_NO_STOP warning, run not flagged', async () => {
    const file = path.join(dir, 'partial.jsonl');
    await writeFile(file, jsonl(docsOf(2).slice(0, -1)));
    try {
      const { runs } = await readRuns([file]);
      assert.deepEqual(
        runs[0].diagnostics.map((d) => [d.code, d.severity, d.location.file]),
        [['RUN_NO_STOP', 'warning', file]],
      );
      assert.equal(runs[0].flagged, false);
      assert.equal(runs[0].streams.get('primary')!.length, 2);
    } finally {
      await rm(file);
    }
  });

  test('an aborted signal stops the read', async () => {
    await assert.rejects(readRuns([dir], { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });
});
