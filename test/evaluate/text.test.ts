import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildContext, renderFilePath, renderText } from '../../src/evaluate/index.js';
import { layoutOf, scanRun } from './fixtures.js';

describe('handlebars text', () => {
  const ctx = buildContext(scanRun(), { stream: 'primary' }, '1.2.3');

  test('helpers: safe, pad, default, shortuid, iso8601, lower, upper, json; no HTML escaping', () => {
    assert.equal(renderText('{{safe start.user_dir}}', ctx), 'A002_silica_run');
    assert.equal(renderText('{{safe "../.."}}', ctx), '.._..');
    assert.equal(renderText('{{safe ".."}}', ctx), '__');
    assert.equal(renderText('{{pad start.scan_id 5}}', ctx), '00042');
    assert.equal(renderText('{{default start.nope "x"}}-{{default start.scan_id 0}}', ctx), 'x-42');
    assert.equal(renderText('{{shortuid run.uid}} {{shortuid}}', ctx), 'aaaaaaaa aaaaaaaa');
    assert.equal(renderText('{{iso8601 start.time}}', ctx), '2023-11-14T22:13:20.250000Z');
    assert.equal(renderText('{{lower "AbC"}}{{upper "x"}}', ctx), 'abcX');
    assert.equal(renderText('{{json start.sample}}', ctx), '{"name":"silica","temperature":295.5}');
    assert.equal(
      renderText('<{{start.plan_name}}> & {{stream}} {{nxlayout.version}} {{streams.primary.length}}', ctx),
      '<scan> & primary 1.2.3 5',
    );
    assert.equal(renderText('{{start.nothing}}', ctx), '');
  });

  test('a syntax error is EVAL_TEMPLATE_TEXT', () => {
    assert.throws(
      () => renderText('{{#if}}', ctx),
      (e: { code?: string }) => e.code === 'EVAL_TEMPLATE_TEXT',
    );
  });
});

describe('renderFilePath', () => {
  test('renders the file path', () => {
    const layout = layoutOf(
      {},
      { file: '{{safe start.user_dir}}/{{pad start.scan_id 5}}_{{safe start.sample.name}}.hdf' },
    );
    assert.deepEqual(renderFilePath(layout, scanRun()), { path: 'A002_silica_run/00042_silica.hdf', diagnostics: [] });
  });

  test('a missing key is an error naming it; default() may be missing', () => {
    const layout = layoutOf({}, { file: '{{start.proposal}}/{{pad (default start.nothing 0) 3}}.h5' });
    const r = renderFilePath(layout, scanRun());
    assert.equal(r.path, undefined);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.location.pointer]),
      [['EVAL_START_MISSING', '/file']],
    );
    assert.match(r.diagnostics[0]?.message ?? '', /start\.proposal/);
  });

  test('an empty result is refused', () => {
    const layout = layoutOf({}, { file: '{{default start.nothing ""}}' });
    const r = renderFilePath(layout, scanRun());
    assert.equal(r.path, undefined);
    assert.equal(r.diagnostics[0]?.code, 'EVAL_TEMPLATE_TEXT');
  });
});
