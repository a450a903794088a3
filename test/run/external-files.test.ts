/** Issue 11: file names of file-per-frame external data, and databroker-pack's root_map. */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBraces, formatPercent } from '../../src/run/external-files.js';
import { readRuns, resolveExternal } from '../../src/run/index.js';
import { mapRoot, parseRootMap } from '../../src/run/root-map.js';

const PACK = fileURLToPath(new URL('../../../../shared/realdata/databroker-pack/simple_catalog/', import.meta.url));

describe('file-per-frame names and root_map', () => {
  test("Python's str.format and % as file templates use them", () => {
    assert.equal(formatBraces('img_{:05d}.tif', 7), 'img_00007.tif');
    assert.equal(formatBraces('f{}_{:d}.h5', 3), 'f3_3.h5');
    assert.equal(formatBraces('{{x}}_{:4}', 12), '{x}_  12');
    assert.equal(formatPercent('%s%s_%6.6d.tiff', ['/d/', 'img', 42]), '/d/img_000042.tiff');
    assert.equal(formatPercent('%s%s_%03d.cbf', ['/d/', 'x', 5]), '/d/x_005.cbf');
    assert.equal(formatPercent('100%% %d', [1]), '100% 1');
  });

  test('root_map of a catalog.yml, relative to it', () => {
    const map = parseRootMap(
      'sources:\n  c:\n    args:\n      root_map:\n        abc: external_files/abc\n        "/old/root": /new/root\n      other: 1\n',
      '/pack',
    );
    assert.deepEqual(
      [...map],
      [
        ['abc', '/pack/external_files/abc'],
        ['/old/root', '/new/root'],
      ],
    );
  });

  test('databroker-pack (realdata): the NPY_SEQ resource root maps to external_files/, where its frame file is', async () => {
    const log = path.join(PACK, 'documents/4e22852d-33b1-49d2-bf73-2b1478a8f0b4.msgpack');
    assert.equal(
      mapRoot('f8483b80395561ac779a5425da6646ca', log),
      path.join(PACK, 'external_files/f8483b80395561ac779a5425da6646ca'),
    );
    assert.equal(mapRoot('/elsewhere', log), '/elsewhere');
    const { runs } = await readRuns([log]);
    const refs = resolveExternal(runs[0]!, 'primary', 'img');
    assert.deepEqual(
      refs.map((r) => [r.path, r.exists]),
      [[path.join(PACK, 'external_files/f8483b80395561ac779a5425da6646ca/4d0d22_0.npy'), true]],
    );
    assert.ok(fs.statSync(refs[0]!.path).isFile());
  });
});
