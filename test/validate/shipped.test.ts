/** Every shipped template validates clean, alone and against the real runs it is meant for. */
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { DEFINITIONS, findings, REALDATA, REPO, runValidate, SOURCE } from './helpers.js';

const templates = readdirSync(`${REPO}templates`)
  .filter((n) => n.endsWith('.json'))
  .map((n) => `${REPO}templates/${n}`);

test('templates/*.json validate with exit 0 and no finding', async () => {
  assert.ok(templates.length >= 1);
  const r = await findings(templates);
  assert.equal(r.code, 0);
  assert.deepEqual(r.findings, []);
});

test('templates/*.json are clean with --strict and the definitions folder too', async () => {
  const r = await runValidate([...templates, '--strict', '--definitions', DEFINITIONS]);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out, []);
});

test('the default template against every realdata run: no error, and each run gets its file path', async () => {
  const logs = ['apstools', 'databroker-pack'].map((d) => REALDATA + d);
  const r = await findings([`${REPO}templates/default.json`, '--against', ...logs]);
  const errors = r.findings.filter((f) => f.severity === 'error');
  assert.deepEqual(errors, []);
  assert.equal(r.code, 0);
  const paths = r.findings.filter((f) => f.code === 'LAYOUT_FILE_PATH' && f.severity === 'info');
  // apstools: 5 single runs + 10 in usaxs.json.gz; databroker-pack: 3 msgpack + 3 jsonl
  assert.equal(paths.length, 21);
  assert.ok(
    paths.some((f) => f.message === 'run 34c84a1b (scan 1) → 00001_34c84a1b.nxs'),
    paths.map((f) => f.message).join('\n'),
  );
  assert.ok(paths.every((f) => f.file?.endsWith('default.json') && f.pointer === '/file' && f.run !== undefined));
});

test('the NXxpcs fixture conforms: no finding with the digest or the definitions folder, even --strict', async () => {
  const fixture = `${SOURCE}fixtures/xpcs-minimal.json`;
  for (const extra of [[], ['--definitions', DEFINITIONS], ['--definition', 'NXxpcs']]) {
    const r = await findings([fixture, '--strict', ...extra]);
    assert.deepEqual(r.findings, [], extra.join(' '));
    assert.equal(r.code, 0);
  }
});
