/** The base-class list evaluate/ keeps in code is the digest's, and names map to classes as the issue asks. */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { groupClassFor, NX_BASE_CLASSES } from '../../src/evaluate/index.js';

const DIGEST = fileURLToPath(new URL('../../../schemas/nxdl-digest.json', import.meta.url));

describe('NeXus base classes for groups that projections create', () => {
  test('NX_BASE_CLASSES is exactly the base classes of schemas/nxdl-digest.json', () => {
    const digest = JSON.parse(fs.readFileSync(DIGEST, 'utf8')) as { definitions: Record<string, { category: string }> };
    const base = Object.entries(digest.definitions)
      .filter(([, d]) => d.category === 'base')
      .map(([name]) => name)
      .sort();
    assert.deepEqual([...NX_BASE_CLASSES].sort(), base);
    assert.ok(base.length > 100);
  });

  test('a name that matches a base class takes it; anything else is NXcollection', () => {
    const cases: [string, number, string][] = [
      ['detector', 2, 'NXdetector'],
      ['source', 3, 'NXsource'],
      ['monochromator', 3, 'NXmonochromator'],
      ['sample', 2, 'NXsample'],
      ['Detector', 2, 'NXdetector'],
      ['detector_2', 2, 'NXdetector'],
      ['slit3', 3, 'NXslit'],
      ['beam_stop', 3, 'NXbeam_stop'],
      ['entry', 1, 'NXentry'],
      ['entry', 2, 'NXcollection'],
      ['root', 1, 'NXcollection'],
      ['object', 2, 'NXcollection'],
      ['extra', 2, 'NXcollection'],
      ['derived', 2, 'NXcollection'],
      ['', 2, 'NXcollection'],
    ];
    for (const [name, depth, expected] of cases)
      assert.equal(groupClassFor(name, depth), expected, `${name} at depth ${depth}`);
  });
});
