/** Each broken template of the corpus exits 1 with its one expected finding at the right line and pointer. */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { findings, SOURCE } from './helpers.js';

const table = JSON.parse(readFileSync(`${SOURCE}corpus-expected.json`, 'utf8')) as Record<
  string,
  { code: string; pointer: string | null; line: number } | string
>;

describe('corpus of broken templates', () => {
  for (const [name, expected] of Object.entries(table)) {
    if (typeof expected === 'string') continue;
    test(`${name}: ${expected.code} at line ${expected.line}`, async () => {
      const file = `${SOURCE}corpus/${name}`;
      const r = await findings([file]);
      assert.equal(r.code, 1);
      const errors = r.findings.filter((f) => f.severity === 'error');
      assert.deepEqual(
        errors.map((f) => ({ code: f.code, pointer: f.pointer, line: f.line, file: f.file })),
        [{ code: expected.code, pointer: expected.pointer, line: expected.line, file }],
      );
      assert.ok(errors[0].message.length > 0 && errors[0].column !== null);
    });
  }
});

test('the NXDL corpus entries give the same finding with --definitions DIR as with the shipped digest', async () => {
  const { DEFINITIONS } = await import('./helpers.js');
  for (const name of ['xpcs-missing-field.json', 'xpcs-bad-enum.json', 'xpcs-bad-type.json']) {
    const shipped = await findings([`${SOURCE}corpus/${name}`]);
    const fromDir = await findings([`${SOURCE}corpus/${name}`, '--definitions', DEFINITIONS]);
    assert.deepEqual(fromDir.findings, shipped.findings, name);
  }
});
