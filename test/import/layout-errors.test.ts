import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { NxlError } from '../../src/errors.js';
import { importLayout } from '../../src/import/index.js';

function importError(xml: string): NxlError {
  try {
    importLayout(xml, { sourcePath: 'l.xml' });
  } catch (e) {
    assert.ok(e instanceof NxlError);
    return e;
  }
  assert.fail('no error');
}

describe('importLayout: what the schema does not allow', () => {
  test('unknown elements, missing attributes and bad enumerations name the line', () => {
    const unknown = importError(
      '<hdf5_layout>\n<group name="e">\n<datset name="x" source="constant"/>\n</group>\n</hdf5_layout>',
    );
    assert.equal(unknown.code, 'IMPORT_LAYOUT');
    assert.match(unknown.message, /<datset> is not allowed in <group>/);
    assert.equal(unknown.location.line, 3);
    assert.match(
      importError('<hdf5_layout><group><dataset name="x" source="constant"/></group></hdf5_layout>').message,
      /needs a "name"/,
    );
    assert.match(
      importError('<hdf5_layout><group name="g"><dataset name="x" source="pv"/></group></hdf5_layout>').message,
      /source="pv" .* not one of detector, constant, ndattribute/,
    );
    assert.match(importError('<Attributes/>').message, /not <hdf5_layout>/);
  });

  test('bad constants and clashing names are error diagnostics; unknown NDAttributes are warnings', () => {
    const r = importLayout(
      '<hdf5_layout><group name="g"><dataset name="n" source="constant" type="int" value="1,x"/><dataset name="d" source="constant" value="a"/><group name="d"/><dataset name="t" source="ndattribute" ndattribute="Nope"/></group></hdf5_layout>',
      {
        ndAttributes: [{ name: 'Temp', type: 'EPICS_PV', source: 'X:T' }],
      },
    );
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.message]),
      [
        ['error', 'dataset n: "1,x" is not a list of integers'],
        ['error', '"d" appears twice in one group'],
        ['warning', 'NDAttribute "Nope" is not in the attributes file'],
      ],
    );
  });

  test('hardlinks: hard within the file, soft to the detector data, optional to a missing target', () => {
    const r = importLayout(
      '<hdf5_layout><group name="entry"><attribute name="NX_class" source="constant" value="NXentry"/><dataset name="img" source="detector"/><dataset name="t" source="ndattribute" ndattribute="T" when="OnFileClose"/><hardlink name="a" target="/entry/img"/><hardlink name="b" target="/entry/t"/><hardlink name="c" target="/nowhere"/></group></hdf5_layout>',
      { detectorField: 'cam_image' },
    );
    const entry = (r.template.tree as Record<string, Record<string, Record<string, unknown>>>)['entry:NXentry'];
    assert.deepEqual(entry.img, { type: 'linked', location: 'event', stream: 'primary', field: 'cam_image' });
    assert.deepEqual(entry.t, {
      type: 'linked',
      location: 'event',
      stream: 'primary',
      field: 'T',
      index: 'last',
      optional: true,
    });
    assert.equal(entry.a.link_type, undefined);
    assert.deepEqual(entry.b, { link: '/entry/t', link_type: 'hard', optional: true });
    assert.deepEqual(entry.c, { link: '/nowhere', link_type: 'hard', optional: true });
    assert.equal(r.diagnostics[0].severity, 'warning');
  });
});
