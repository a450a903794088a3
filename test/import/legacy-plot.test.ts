/** Issue 11: areaDetector layouts' legacy `signal="1"` / `axes` dataset attributes become the groups' @signal / @axes. */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importLayout, importLayoutFile } from '../../src/import/index.js';

const REALDATA = fileURLToPath(new URL('../../../../shared/realdata/areadetector-layouts/', import.meta.url));
type Tree = Record<string, Record<string, Record<string, unknown>>>;

describe('import-layout: legacy NeXus plotting attributes', () => {
  test('signal="1" and axes="x:y" on a dataset → @signal/@axes of its group and of every group hard-linking it; not kept on the dataset', () => {
    const xml = `<hdf5_layout><group name="entry"><attribute name="NX_class" source="constant" value="NXentry"/>
<group name="scan"><attribute name="NX_class" source="constant" value="NXdata"/>
<dataset name="counts" source="constant" type="int" value="1,2,3"><attribute name="signal" source="constant" value="1" type="int"/><attribute name="axes" source="constant" value="x:y" type="string"/><attribute name="long_name" source="constant" value="counts"/></dataset>
<dataset name="x" source="constant" type="float" value="0.5"/><dataset name="y" source="constant" type="float" value="1.5"/>
</group>
<group name="plot"><attribute name="NX_class" source="constant" value="NXdata"/><hardlink name="c" target="/entry/scan/counts"/></group>
<group name="other"><attribute name="NX_class" source="constant" value="NXdata"/><attribute name="signal" source="constant" value="mine"/><dataset name="mine" source="constant" value="1"><attribute name="signal" source="constant" value="1"/></dataset></group>
</group></hdf5_layout>`;
    const r = importLayout(xml, { sourcePath: 'legacy.xml' });
    const entry = (r.template.tree as Tree)['entry:NXentry'];
    const scan = entry['scan:NXdata'] as Record<string, unknown>;
    assert.equal(scan['@signal'], 'counts');
    assert.deepEqual(scan['@axes'], ['x', 'y']);
    const counts = scan.counts as Record<string, unknown>;
    assert.equal(counts['@signal'], undefined, 'the legacy attribute is not repeated on the dataset');
    assert.equal(counts['@axes'], undefined);
    assert.equal(counts['@long_name'], 'counts');
    const plot = entry['plot:NXdata'] as Record<string, unknown>;
    assert.equal(plot['@signal'], 'c', 'the name of the hard link in that group');
    assert.deepEqual(plot['@axes'], ['x', 'y']);
    assert.equal((entry['other:NXdata'] as Record<string, unknown>)['@signal'], 'mine', "a group's own @signal wins");
    const infos = r.diagnostics.filter((d) => d.severity === 'info');
    assert.deepEqual(
      infos.map((d) => d.location.line),
      [3, 3],
      'one note per group given a @signal (none for the group that had its own)',
    );
  });

  test('hdf5_layout_nexus.xml (ADSimDetector): /entry/data gets @signal "data"; the template validates', async () => {
    const r = await importLayoutFile(path.join(REALDATA, 'hdf5_layout_nexus.xml'));
    const entry = (r.template.tree as Tree)['entry:NXentry'];
    assert.equal((entry['data:NXdata'] as Record<string, unknown>)['@signal'], 'data');
    assert.equal(
      (entry['instrument:NXinstrument']['detector:NXdetector'] as Record<string, unknown>)['@signal'],
      'data',
    );
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity !== 'info'),
      [],
    );
  });
});
