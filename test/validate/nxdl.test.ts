/** The NXDL reader, the shipped digest, and the rules read from NXxpcs. */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { readDefinitionsDir, shippedDigest } from '../../src/validate/nxdl-load.js';
import { nameMatches } from '../../src/validate/nxdl-names.js';
import { enumerationProblem, typeProblem } from '../../src/validate/nx-types.js';
import { readDefinition } from '../../src/validate/nxdl-read.js';
import { parseXml } from '../../src/import/xml.js';
import { jsonPathProblem } from '../../src/layout/lint/jsonpath-syntax.js';
import { DEFINITIONS } from './helpers.js';

test('xml reader: nesting, attributes, entities; comments, text and CDATA skipped', () => {
  const root = parseXml(
    '<?xml version="1.0"?>\n<!-- a <b> -->\n<nx:definition name="NXt" a=\'x &amp; &lt;y&gt;\'>\n  text <![CDATA[<no/>]]>\n  <group type="NXentry"><field name="f"/></group>\n</nx:definition>',
  );
  assert.equal(root.name, 'definition');
  assert.deepEqual(root.attributes, { name: 'NXt', a: 'x & <y>' });
  assert.equal(root.line, 3);
  assert.deepEqual(
    root.children.map((c) => [c.name, c.attributes.type, c.children.map((f) => f.attributes.name)]),
    [['group', 'NXentry', ['f']]],
  );
  assert.throws(() => parseXml('<a><b></a>'), /<\/a> closes <b> opened at line 1/);
});

test('requiredness: application definitions require by default, base classes do not; optional/recommended/minOccurs/deprecated', () => {
  const xml = (category: string) => `<definition name="NXt" category="${category}" extends="NXobject">
    <field name="a"/><field name="b" optional="true"/><field name="c" recommended="true"/><field name="d" minOccurs="0"/>
    <field name="e" deprecated="old"/><field name="DATA" type="NX_NUMBER"><attribute name="units"/><attribute name="x" optional="false"/></field>
    <group type="NXdata"/><group type="NXnote" name="AXISNAME_notes" nameType="partial"/>
    <field name="mode"><enumeration><item value="on"/><item value="off"/></enumeration></field></definition>`;
  const app = readDefinition(parseXml(xml('application')), 'application');
  assert.deepEqual(
    app.fields.map((f) => [f.name, f.requirement]),
    [
      ['a', 'required'],
      ['b', 'optional'],
      ['c', 'recommended'],
      ['d', 'optional'],
      ['e', 'optional'],
      ['DATA', 'required'],
      ['mode', 'required'],
    ],
  );
  assert.deepEqual(
    app.fields[5].attributes.map((a) => [a.name, a.requirement]),
    [
      ['units', 'optional'],
      ['x', 'required'],
    ],
  );
  assert.equal(app.fields[5].nameType, 'any');
  assert.deepEqual(app.fields[6].enumeration, ['on', 'off']);
  assert.deepEqual(
    app.groups.map((g) => [g.type, g.name, g.nameType, g.requirement]),
    [
      ['NXdata', undefined, 'any', 'required'],
      ['NXnote', 'AXISNAME_notes', 'partial', 'required'],
    ],
  );
  const base = readDefinition(parseXml(xml('base')), 'base');
  assert.deepEqual(
    base.fields.map((f) => f.requirement),
    ['optional', 'optional', 'recommended', 'optional', 'optional', 'optional', 'optional'],
  );
  assert.equal(base.extends, 'NXobject');
});

test('the shipped digest is what the definitions folder gives (regenerate it when they change)', async () => {
  const fromDir = await readDefinitionsDir(DEFINITIONS);
  const shipped = shippedDigest();
  assert.equal(shipped.version, fromDir.version);
  assert.deepEqual(Object.keys(shipped.definitions).sort(), Object.keys(fromDir.definitions).sort());
  assert.deepEqual(shipped.definitions.NXxpcs, fromDir.definitions.NXxpcs);
  assert.deepEqual(shipped.definitions.NXentry, fromDir.definitions.NXentry);
});

test('NXxpcs as read: its required fields and groups', () => {
  const xpcs = shippedDigest().definitions.NXxpcs;
  assert.equal(xpcs.category, 'contributed');
  assert.equal(xpcs.isApplication, true);
  assert.equal(xpcs.extends, 'NXobject');
  const entry = xpcs.groups.find((g) => g.type === 'NXentry');
  assert.deepEqual(
    entry?.fields.filter((f) => f.requirement === 'required').map((f) => f.name),
    ['definition', 'entry_identifier', 'start_time'],
  );
  assert.deepEqual(entry?.fields.find((f) => f.name === 'definition')?.enumeration, ['NXxpcs']);
  assert.deepEqual(
    entry?.groups.filter((g) => g.requirement === 'required').map((g) => `${g.name ?? '*'}:${g.type}`),
    ['data:NXdata', 'instrument:NXinstrument'],
  );
  const detector = entry?.groups.find((g) => g.type === 'NXinstrument')?.groups.find((g) => g.type === 'NXdetector');
  assert.deepEqual(
    detector?.fields.filter((f) => f.requirement === 'required').map((f) => f.name),
    ['count_time', 'frame_time', 'beam_center_x', 'beam_center_y'],
  );
  assert.deepEqual(
    xpcs.groups.map((g) => `${g.type}:${g.requirement}`),
    ['NXentry:required', 'NXprocess:required'],
  );
});

test('names: specified, any, partial', () => {
  assert.equal(nameMatches({ name: 'data' }, 'data'), true);
  assert.equal(nameMatches({ name: 'data' }, 'Data'), false);
  assert.equal(nameMatches({ name: 'DATA', nameType: 'any' }, 'I0'), true);
  assert.equal(nameMatches({ name: 'AXISNAME_indices', nameType: 'partial' }, 'x_indices'), true);
  assert.equal(nameMatches({ name: 'AXISNAME_indices', nameType: 'partial' }, 'x_index'), false);
});

test('NX types and enumerations', () => {
  assert.equal(typeProblem('NX_FLOAT', { dtype: 'float32' }), undefined);
  assert.match(typeProblem('NX_FLOAT', { dtype: 'int64' }) ?? '', /NX_FLOAT wants a floating-point type/);
  assert.equal(typeProblem('NX_NUMBER', { dtype: 'uint8' }), undefined);
  assert.equal(typeProblem(undefined, { dtype: 'string' }), undefined);
  assert.match(typeProblem(undefined, { dtype: 'float64' }) ?? '', /NX_CHAR wants text/);
  assert.equal(typeProblem('NX_POSINT', { dtype: 'int64', data: [3] }), undefined);
  assert.match(typeProblem('NX_POSINT', { dtype: 'int64', data: [0] }) ?? '', /values > 0/);
  assert.equal(typeProblem('NX_DATE_TIME', { dtype: 'string', data: ['2021-02-11T11:22:33.445566Z'] }), undefined);
  assert.match(typeProblem('NX_DATE_TIME', { dtype: 'string', data: ['yesterday'] }) ?? '', /not an ISO 8601/);
  assert.equal(typeProblem('NX_BOOLEAN', { dtype: 'int64', data: [1, 0] }), undefined);
  assert.equal(typeProblem('NX_FLOAT', {}), undefined);
  assert.equal(enumerationProblem(['0', '1'], { dtype: 'int64', data: [1] }), undefined);
  assert.match(enumerationProblem(['a', 'b'], { dtype: 'string', data: ['c'] }) ?? '', /"c" is not one of "a", "b"/);
});

test('JSONPath syntax', () => {
  assert.equal(jsonPathProblem('$.start.time'), undefined);
  assert.equal(jsonPathProblem("$.data_keys['det'].units"), undefined);
  assert.equal(jsonPathProblem('$.a[?(@.x > 1)]'), undefined);
  assert.equal(jsonPathProblem('$..x'), undefined);
  assert.equal(jsonPathProblem('start.time'), 'a JSONPath starts with "$"');
  assert.equal(jsonPathProblem("$.a['b"), "unclosed ' quote");
  assert.equal(jsonPathProblem('$.a['), 'unclosed "["');
  assert.equal(jsonPathProblem('$.a]'), 'unmatched "]" at character 4');
  assert.equal(jsonPathProblem('$.a.'), 'the path ends with "."');
  assert.match(jsonPathProblem('$.a[?(@.x ==)]') ?? '', /Expected expression after ==/);
});
