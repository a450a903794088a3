/** A run's `ms` (the "wrote … N ms" line, `ms` in --json) is wall time from its first document to its file in place. */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConversionSession } from '../../src/convert/index.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { chooseTemplates } from '../../src/cli/templates.js';
import { smallRun, sleep, startUid } from '../watch/helpers.js';
import { tempDir } from './helpers.js';

const dir = tempDir('run-time');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('ms counts from the start document, also the time spent waiting for the rest of the run', async () => {
  const chosen = await chooseTemplates({});
  const session = new ConversionSession({
    outRoot: dir,
    layouts: chosen.layouts,
    registry: createDefaultRegistry(),
    ...(chosen.fallback === undefined ? {} : { fallback: chosen.fallback }),
  });
  // A first run warms HDF5 up (its start-up is in that run's time, as a user waits for it).
  for (const d of smallRun(1)) session.push(d);
  const docs = smallRun(2);
  const [start, ...rest] = docs;
  const t0 = performance.now();
  session.push(start!);
  await sleep(400);
  for (const d of rest) session.push(d);
  const wall = performance.now() - t0;
  const result = session.results.find((r) => r.uid === startUid(docs));
  assert.equal(result?.status, 'written');
  assert.ok(fs.existsSync(result.file!));
  assert.ok(result.ms >= 400, `ms ${result.ms}: the run's time includes the 0.4 s between its start and its stop`);
  assert.ok(result.ms <= Math.ceil(wall) + 1, `ms ${result.ms} is at most the wall time ${wall}`);
  assert.equal(path.dirname(result.file!), dir);
});
