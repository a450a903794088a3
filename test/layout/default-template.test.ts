import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import {
  loadLayout,
  selectLayout,
  type LayoutField,
  type LayoutGroup,
  type LayoutLink,
  type LayoutNode,
} from '../../src/layout/index.js';
import { defaultTemplatePath } from './paths.js';

function at(group: LayoutGroup, ...names: string[]): LayoutNode {
  let node: LayoutNode = group;
  for (const name of names) {
    assert.equal(node.kind, 'group', `${name}: parent is not a group`);
    const next: LayoutNode | undefined = (node as LayoutGroup).children.find((c) => c.name === name);
    assert.ok(next, `missing ${names.join('/')}`);
    node = next;
  }
  return node;
}

describe('templates/default.json', async () => {
  const { layout, diagnostics } = await loadLayout(defaultTemplatePath);

  test('parses clean and matches every run', () => {
    assert.deepEqual(diagnostics, []);
    assert.ok(layout);
    assert.equal(layout.name, 'default');
    assert.equal(layout.match, undefined);
    assert.equal(selectLayout([layout], { start: { uid: 'u', time: 0 } }), layout);
    assert.match(layout.file, /default start\.scan_id/);
    assert.match(layout.file, /shortuid run\.uid/);
  });

  test('root and entry point at the default plot', () => {
    const root = layout!.root;
    assert.deepEqual(root.attributes.find((a) => a.name === 'default')?.value, { kind: 'literal', value: 'entry' });
    const entry = at(root, 'entry') as LayoutGroup;
    assert.equal(entry.nxClass, 'NXentry');
    assert.deepEqual(entry.attributes.find((a) => a.name === 'default')?.value, { kind: 'literal', value: 'data' });
    for (const name of [
      'title',
      'start_time',
      'end_time',
      'duration',
      'entry_identifier',
      'plan_name',
      'scan_id',
      'program_name',
    ])
      at(entry, name);
    assert.equal((at(entry, 'end_time') as LayoutField).optional, true);
    assert.equal((at(entry, 'duration') as LayoutField).optional, true);
    assert.equal((at(entry, 'start_time') as LayoutField).optional, false);
    assert.equal((at(entry, 'sample') as LayoutGroup).nxClass, 'NXsample');
    assert.equal((at(entry, 'user') as LayoutGroup).nxClass, 'NXuser');
  });

  test('every stream field becomes an NXlog with value and time', () => {
    const log = at(layout!.root, 'entry', 'instrument', 'bluesky', 'streams', '{{stream}}', '{{field}}') as LayoutGroup;
    assert.equal(log.nxClass, 'NXlog');
    assert.deepEqual(log.repeat, { over: 'fields', stream: '{{stream}}' });
    const time = at(log, 'time') as LayoutField;
    assert.deepEqual(time.attributes[0].value, { kind: 'literal', value: 's' });
    assert.equal(
      time.value.kind === 'projection' &&
        time.value.projection.type === 'linked' &&
        time.value.projection.location === 'event'
        ? time.value.projection.part
        : undefined,
      'timestamps',
    );
  });

  test('NXdata links the main stream (primary, else the first with events) and computes signal and axes', () => {
    const data = at(layout!.root, 'entry', 'data') as LayoutGroup;
    assert.equal(data.nxClass, 'NXdata');
    const callables = data.attributes.map((a) =>
      a.value.kind === 'projection' && a.value.projection.type === 'calculated'
        ? a.value.projection.calculation.callable
        : a.name,
    );
    assert.deepEqual(callables, ['nexus_signal', 'nexus_axes']);
    const links = at(data, '{{field}}') as LayoutLink;
    assert.equal(links.kind, 'link');
    assert.equal(links.target, '/entry/instrument/bluesky/streams/{{run.main_stream}}/{{field}}/value');
    assert.deepEqual(links.repeat, { over: 'fields', stream: '{{run.main_stream}}' });
  });

  test('the start metadata is kept', () => {
    const metadata = at(layout!.root, 'entry', 'instrument', 'bluesky', 'metadata') as LayoutGroup;
    assert.deepEqual(metadata.children[0].repeat, { over: 'keys', path: '$.start' });
  });
});
