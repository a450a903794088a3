import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  parseLayout,
  type LayoutField,
  type LayoutGroup,
  type LayoutLink,
  type LayoutNode,
} from '../../src/layout/index.js';
import { everyConstructPath } from './paths.js';

function child(group: LayoutGroup, name: string): LayoutNode {
  const found = group.children.find((c) => c.name === name);
  assert.ok(found, `no child ${name} in ${group.pointer}`);
  return found;
}
function group(parent: LayoutGroup, name: string): LayoutGroup {
  const node = child(parent, name);
  assert.equal(node.kind, 'group');
  return node as LayoutGroup;
}
function field(parent: LayoutGroup, name: string): LayoutField {
  const node = child(parent, name);
  assert.equal(node.kind, 'field');
  return node as LayoutField;
}
function link(parent: LayoutGroup, name: string): LayoutLink {
  const node = child(parent, name);
  assert.equal(node.kind, 'link');
  return node as LayoutLink;
}

const small = JSON.stringify(
  {
    name: 'small',
    version: '0.1.0',
    file: '{{start.scan_id}}.nxs',
    tree: {
      '@default': 'entry',
      'entry:NXentry': {
        '@default': 'data',
        title: '{{start.title}}',
        count: 3,
        flag: true,
        roi: [1, 2],
        plain: 'no braces',
        energy: { value: 12.4, '@units': 'keV' },
        x: {
          type: 'linked',
          location: 'event',
          stream: 'primary',
          field: 'x',
          '@units': 'mm',
          compression: true,
          chunks: [64],
          optional: true,
          dtype: 'float32',
        },
        'odd~name': 1,
        'data:NXdata': {
          y: { link: '/entry/x' },
          h: { link: '/entry/x', link_type: 'hard' },
          e: { link: '/d', file: 'raw.h5' },
        },
      },
    },
  },
  null,
  2,
);

describe('parseLayout on valid templates', () => {
  const { layout, diagnostics } = parseLayout(small, 'small.json');

  test('no diagnostics, metadata filled in', () => {
    assert.deepEqual(diagnostics, []);
    assert.ok(layout);
    assert.equal(layout.name, 'small');
    assert.equal(layout.version, '0.1.0');
    assert.equal(layout.priority, 0);
    assert.equal(layout.match, undefined);
    assert.equal(layout.file, '{{start.scan_id}}.nxs');
    assert.equal(layout.sourcePath, 'small.json');
    assert.equal(layout.text, small);
    assert.equal(layout.sha256, createHash('sha256').update(small).digest('hex'));
  });

  test('groups carry name, NX class, pointer and attributes', () => {
    const root = layout!.root;
    assert.equal(root.kind, 'group');
    assert.equal(root.name, '');
    assert.equal(root.nxClass, undefined);
    assert.equal(root.pointer, '/tree');
    assert.deepEqual(root.attributes, [
      { name: 'default', value: { kind: 'literal', value: 'entry' }, pointer: '/tree/@default' },
    ]);
    const entry = group(root, 'entry');
    assert.equal(entry.nxClass, 'NXentry');
    assert.equal(entry.pointer, '/tree/entry:NXentry');
    assert.deepEqual(
      entry.children.map((c) => `${c.kind}:${c.name}`),
      [
        'field:title',
        'field:count',
        'field:flag',
        'field:roi',
        'field:plain',
        'field:energy',
        'field:x',
        'field:odd~name',
        'group:data',
      ],
    );
  });

  test('literal, text and static-shorthand values', () => {
    const entry = group(layout!.root, 'entry');
    assert.deepEqual(field(entry, 'title').value, { kind: 'text', template: '{{start.title}}' });
    assert.deepEqual(field(entry, 'count').value, { kind: 'literal', value: 3 });
    assert.deepEqual(field(entry, 'flag').value, { kind: 'literal', value: true });
    assert.deepEqual(field(entry, 'roi').value, { kind: 'literal', value: [1, 2] });
    assert.deepEqual(field(entry, 'plain').value, { kind: 'literal', value: 'no braces' });
    const energy = field(entry, 'energy');
    assert.deepEqual(energy.value, { kind: 'projection', projection: { type: 'static', value: 12.4 } });
    assert.deepEqual(energy.attributes, [
      { name: 'units', value: { kind: 'literal', value: 'keV' }, pointer: '/tree/entry:NXentry/energy/@units' },
    ]);
    assert.equal(energy.optional, false);
    assert.deepEqual(energy.storage, {});
  });

  test('projection fields keep only projection keys; storage, optional, dtype and attributes apart', () => {
    const x = field(group(layout!.root, 'entry'), 'x');
    assert.deepEqual(x.value, {
      kind: 'projection',
      projection: {
        type: 'linked',
        location: 'event',
        stream: 'primary',
        field: 'x',
        optional: true,
        dtype: 'float32',
      },
    });
    assert.deepEqual(x.storage, { compression: 4, chunks: [64] });
    assert.equal(x.optional, true);
    assert.equal(x.dtype, 'float32');
    assert.deepEqual(
      x.attributes.map((a) => a.name),
      ['units'],
    );
    assert.equal(x.repeat, undefined);
  });

  test('pointers escape ~ (RFC 6901; / is refused in names)', () => {
    assert.equal(field(group(layout!.root, 'entry'), 'odd~name').pointer, '/tree/entry:NXentry/odd~0name');
  });

  test('links: soft by default, hard, external when file is set', () => {
    const data = group(group(layout!.root, 'entry'), 'data');
    assert.equal(data.nxClass, 'NXdata');
    assert.deepEqual(link(data, 'y'), {
      kind: 'link',
      name: 'y',
      pointer: '/tree/entry:NXentry/data:NXdata/y',
      attributes: [],
      target: '/entry/x',
      linkType: 'soft',
      optional: false,
    });
    assert.equal(link(data, 'h').linkType, 'hard');
    const e = link(data, 'e');
    assert.equal(e.linkType, 'external');
    assert.equal(e.file, 'raw.h5');
    assert.equal(e.target, '/d');
  });
});

describe('the every-construct fixture', () => {
  const text = readFileSync(everyConstructPath, 'utf8');
  const { layout, diagnostics } = parseLayout(text, everyConstructPath);

  test('parses clean', () => {
    assert.deepEqual(diagnostics, []);
    assert.ok(layout);
    assert.equal(layout.priority, 5);
    assert.equal(layout.version, '2.1.0-rc.1');
    assert.deepEqual(Object.keys(layout.match ?? {}), [
      'start.beamline_id',
      'start.plan_name',
      'start.sample_name',
      'start.user_dir',
      'run.scan_id',
    ]);
  });

  test('$repeat on groups, fields and links', () => {
    const instrument = group(group(layout!.root, 'entry'), 'instrument');
    const perStream = group(group(instrument, 'streams'), '{{stream}}');
    assert.equal(perStream.nxClass, 'NXcollection');
    assert.deepEqual(perStream.repeat, { over: 'streams' });
    assert.equal(
      perStream.pointer,
      '/tree/entry:NXentry/instrument:NXinstrument/streams:NXcollection/{{stream}}:NXcollection',
    );
    assert.deepEqual(perStream.attributes[0], {
      name: 'stream',
      value: { kind: 'text', template: '{{stream}}' },
      pointer: `${perStream.pointer}/@stream`,
    });
    const perField = field(perStream, '{{field}}');
    assert.deepEqual(perField.repeat, { over: 'fields', stream: '{{stream}}' });
    assert.deepEqual(perField.attributes[0].value, { kind: 'text', template: '{{data_key.units}}' });
    assert.deepEqual(field(group(instrument, 'metadata'), '{{key}}').repeat, { over: 'keys', path: '$.start' });
    const data = group(group(layout!.root, 'entry'), 'data');
    assert.deepEqual(link(data, '{{field}}').repeat, { over: 'fields', stream: 'primary' });
    assert.deepEqual(
      data.attributes.map((a) => a.value),
      [
        { kind: 'literal', value: 'data' },
        { kind: 'literal', value: ['x'] },
      ],
    );
  });

  test('every projection type and location', () => {
    const entry = group(layout!.root, 'entry');
    const detector = group(group(entry, 'instrument'), 'detector_1');
    const projection = (f: LayoutField) =>
      f.value.kind === 'projection' ? f.value.projection : assert.fail('not a projection');
    assert.deepEqual(projection(field(detector, 'count_time')), {
      type: 'linked',
      location: 'configuration',
      stream: 'primary',
      config_device: 'eiger',
      config_index: 0,
      field: 'eiger_cam_acquire_time',
    });
    assert.deepEqual(field(detector, 'data').storage, { compression: 6, chunks: [1, 512, 512] });
    assert.equal(projection(field(detector, 'event_seq')).type, 'linked');
    assert.deepEqual(projection(field(detector, 'mean_I0')), {
      type: 'calculated',
      location: 'event',
      stream: 'primary',
      field: 'I0',
      calculation: { callable: 'mean' },
    });
    const scaled = projection(field(detector, 'scaled'));
    assert.equal(scaled.type, 'calculated');
    assert.deepEqual(scaled.type === 'calculated' ? scaled.calculation.kwargs : undefined, {
      offset: '$.start.I0_offset',
    });
    assert.deepEqual(projection(field(entry, 'exit_status')), {
      type: 'linked',
      location: 'stop',
      field: 'exit_status',
    });
    assert.deepEqual(projection(field(entry, 'static_projection')), {
      type: 'static',
      value: [
        [1, 2],
        [3, 4],
      ],
      dtype: '<i4',
    });
    const sample = group(entry, 'sample');
    assert.equal(sample.nxClass, 'NXsample');
    assert.deepEqual(projection(field(sample, 'temperature_last')), {
      type: 'linked',
      location: 'event',
      stream: 'baseline',
      field: 'temp',
      index: 'last',
    });
    assert.equal(link(detector, 'raw').optional, true);
    assert.equal(link(detector, 'raw').file, '{{start.image_file}}.h5');
    assert.equal(link(detector, 'raw_explicit').linkType, 'external');
    assert.equal(link(detector, 'hard').linkType, 'hard');
    assert.equal(link(detector, 'soft').linkType, 'soft');
  });

  test('$comment keys are documentation, not nodes', () => {
    const entry = group(layout!.root, 'entry');
    assert.ok(!entry.children.some((c) => c.name === '$comment'));
  });
});
