/**
 * `npm run examples` (scripts/examples.mjs, a process that writes every example) leaves a checkout's
 * examples as they were when they are up to date. reproducible.test.ts writes the examples from two
 * checkouts and compares them with git's.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './helpers.js';
import { filesUnder } from './files-under.js';

test("npm run examples (scripts/examples.mjs) leaves a checkout's examples as they were when they are up to date", async () => {
  const before = new Map(
    filesUnder(path.join(REPO, 'examples')).map((rel) => [rel, fs.readFileSync(path.join(REPO, 'examples', rel))]),
  );
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'examples.mjs')], {
    cwd: REPO,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /examples: 0 updated, 5 unchanged/);
  const after = filesUnder(path.join(REPO, 'examples'));
  assert.deepEqual(after, [...before.keys()]);
  for (const rel of after)
    assert.ok(fs.readFileSync(path.join(REPO, 'examples', rel)).equals(before.get(rel)!), `${rel} was rewritten`);
});
