import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseTemplates } from '../../src/cli/templates.js';
import { startWatch, type WatchEvent } from '../../src/watch/index.js';
import { DEFAULT_TEMPLATE, drop, jsonl, smallRun, tempDir, waitFor } from './helpers.js';

const base = tempDir('reload');
after(() => fs.rmSync(base, { recursive: true, force: true }));

function templateText(version: string): string {
  const t = JSON.parse(fs.readFileSync(DEFAULT_TEMPLATE, 'utf8')) as Record<string, unknown>;
  delete t.$schema;
  return JSON.stringify({ ...t, name: 'reload', version }, null, 2);
}

test('a template edited to invalid and back: the old version stays in service, then the new one is used', async () => {
  const spool = path.join(base, 'spool');
  const out = path.join(base, 'out');
  fs.mkdirSync(spool);
  fs.mkdirSync(out);
  const file = path.join(base, 'templates', 'reload.json');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, templateText('1.0.0'));
  const events: WatchEvent[] = [];
  const handle = await startWatch(
    {
      spool,
      outRoot: out,
      loadTemplates: () => chooseTemplates({ template: file }),
      templatePaths: [file],
      statusIntervalMs: 0,
      pollIntervalMs: 500,
    },
    { onEvent: (e) => events.push(e) },
  );
  try {
    const runs = () => events.flatMap((e) => (e.kind === 'run' ? [e.record] : []));
    drop(path.join(spool, 'one.jsonl'), jsonl(smallRun(1)));
    await waitFor(() => runs().length === 1, 'run 1');
    assert.equal(runs()[0].template, 'reload@1.0.0');

    fs.writeFileSync(file, '{ "name": "reload", "version": "1.0.1", "file": ');
    await waitFor(() => events.some((e) => e.kind === 'templates-rejected'), 'the rejection');
    const rejected = events.find((e) => e.kind === 'templates-rejected');
    assert.ok(rejected?.kind === 'templates-rejected');
    assert.equal(rejected.diagnostics[0].location.file, file);
    assert.match(rejected.diagnostics[0].code, /^LAYOUT_/);
    drop(path.join(spool, 'two.jsonl'), jsonl(smallRun(2)));
    await waitFor(() => runs().length === 2, 'run 2');
    assert.equal(runs()[1].template, 'reload@1.0.0', 'the previous version stays in service');
    assert.equal(runs()[1].status, 'written');

    fs.writeFileSync(file, templateText('2.0.0'));
    await waitFor(() => events.some((e) => e.kind === 'templates-reloaded'), 'the reload');
    drop(path.join(spool, 'three.jsonl'), jsonl(smallRun(3)));
    await waitFor(() => runs().length === 3, 'run 3');
    assert.equal(runs()[2].template, 'reload@2.0.0');
    assert.notEqual(runs()[2].templateSha256, runs()[0].templateSha256);
  } finally {
    await handle.stop();
  }
});
