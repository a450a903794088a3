/** Issue 11: the NeXus conventions the plan adds — NXroot attributes, units, data-key attributes, NXlog time, plottable NXdata. */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NEXUS_DEFINITIONS_RELEASE } from '../../src/evaluate/nexus-release.js';
import { composeRun } from '../../src/run/testing.js';
import { attr, evaluate, field, group, noErrors } from './fixtures.js';

const col = (f: string, extra: Record<string, unknown> = {}) => ({
  type: 'linked',
  location: 'event',
  stream: 'primary',
  field: f,
  ...extra,
});

describe('NeXus conventions of the plan', () => {
  test('NXroot: NeXus_version and NeXus_release, the definitions release unless the template names one', () => {
    const plan = evaluate({ 'entry:NXentry': {} });
    assert.deepEqual(attr(plan.root, 'NeXus_version'), [NEXUS_DEFINITIONS_RELEASE]);
    assert.deepEqual(attr(plan.root, 'NeXus_release'), [NEXUS_DEFINITIONS_RELEASE]);
    const own = evaluate({ '@NeXus_version': 'v2024.02', 'entry:NXentry': {} });
    assert.deepEqual([attr(own.root, 'NeXus_version'), attr(own.root, 'NeXus_release')], [['v2024.02'], ['v2024.02']]);
    const defs = fileURLToPath(new URL('../../../../shared/nexus-definitions/NXDL_VERSION', import.meta.url));
    assert.equal(NEXUS_DEFINITIONS_RELEASE, fs.readFileSync(defs, 'utf8').trim());
    const digest = JSON.parse(
      fs.readFileSync(fileURLToPath(new URL('../../../schemas/nxdl-digest.json', import.meta.url)), 'utf8'),
    );
    assert.equal(NEXUS_DEFINITIONS_RELEASE, digest.version);
  });

  test('never an empty units: a blank template @units and a data key without units give none', () => {
    const b = composeRun({ detectors: ['d'] });
    b.descriptor('primary', { d: { units: '' }, e: { units: 'mm' } }).event({ d: 1, e: 2 });
    b.stop();
    const plan = evaluate(
      { 'entry:NXentry': { '@units': ' ', d: col('d'), e: col('e'), f: { value: 1, '@units': '' } } },
      b.run(),
    );
    noErrors(plan);
    assert.equal(attr(field(plan, '/entry/d'), 'units'), undefined);
    assert.deepEqual(attr(field(plan, '/entry/e'), 'units'), ['mm']);
    assert.equal(attr(field(plan, '/entry/f'), 'units'), undefined);
    assert.equal(attr(group(plan, '/entry'), 'units'), undefined);
  });

  test("an event column keeps its data key: source (the PV), precision, limits, dtype, dtype_numpy, shape; the template's own attributes win", () => {
    const b = composeRun();
    b.descriptor('primary', {
      I0: {
        source: 'PV:XF:31ID-ES{Sclr}I0',
        precision: 3,
        lower_ctrl_limit: -1,
        upper_ctrl_limit: 1e6,
        units: 'counts',
      },
      spec: { dtype: 'array', shape: [3], dtype_numpy: '<i4', limits: { control: { low: 0, high: 10 } } },
    }).event({ I0: 5, spec: [1, 2, 3] });
    b.stop();
    const plan = evaluate({ 'entry:NXentry': { I0: col('I0', { '@units': 'cts' }), spec: col('spec') } }, b.run());
    const i0 = field(plan, '/entry/I0');
    assert.deepEqual(
      [
        attr(i0, 'source'),
        attr(i0, 'precision'),
        attr(i0, 'lower_ctrl_limit'),
        attr(i0, 'upper_ctrl_limit'),
        attr(i0, 'dtype'),
        attr(i0, 'units'),
        attr(i0, 'shape'),
      ],
      [['PV:XF:31ID-ES{Sclr}I0'], [3], [-1], [1e6], ['number'], ['cts'], undefined],
    );
    const spec = field(plan, '/entry/spec');
    assert.deepEqual(
      [
        attr(spec, 'dtype_numpy'),
        attr(spec, 'shape'),
        attr(spec, 'limits_control_low'),
        attr(spec, 'limits_control_high'),
      ],
      [['<i4'], [3], [0], [10]],
    );
  });

  test('NXlog time: relative to @start (the run start, ISO 8601); left absolute when another dataset writes the same column', () => {
    const log = { value: col('I0'), time: col('I0', { part: 'timestamps' }) };
    const plan = evaluate({ 'entry:NXentry': { 'i0:NXlog': log } });
    const time = field(plan, '/entry/i0/time');
    assert.equal(time.value.kind === 'column' ? time.value.offset : undefined, 1_700_000_000.25);
    assert.deepEqual(attr(time, 'start'), ['2023-11-14T22:13:20.250000Z']);
    assert.deepEqual(attr(time, 'units'), ['s']);
    const shared = evaluate({ 'entry:NXentry': { 'i0:NXlog': log, absolute: col('I0', { part: 'timestamps' }) } });
    const t = field(shared, '/entry/i0/time');
    assert.equal(t.value.kind === 'column' ? t.value.offset : 'inline', undefined);
    assert.equal(attr(t, 'start'), undefined);
  });

  test('NXdata: @axes padded to the signal rank, trimmed with a warning when longer; a text signal is no plot and no @default', () => {
    const plot = evaluate({
      'entry:NXentry': {
        'data:NXdata': { '@signal': 'spectrum', '@axes': ['m1'], spectrum: col('spectrum'), m1: col('m1') },
      },
    });
    noErrors(plot);
    assert.deepEqual(attr(group(plot, '/entry/data'), 'axes'), ['m1', '.']);
    assert.deepEqual(attr(group(plot, '/entry/data'), 'm1_indices'), [0]);
    assert.deepEqual(attr(group(plot, '/entry'), 'default'), ['data']);
    const long = evaluate({
      'entry:NXentry': { 'data:NXdata': { '@signal': 'I0', '@axes': ['m1', 'm2'], I0: col('I0'), m1: col('m1') } },
    });
    assert.deepEqual(attr(group(long, '/entry/data'), 'axes'), ['m1']);
    assert.ok(
      long.diagnostics.some(
        (d) => d.code === 'EVAL_CONVENTION' && d.severity === 'warning' && /only the first 1/.test(d.message),
      ),
    );
    const text = evaluate({
      'entry:NXentry': {
        '@default': 'data',
        'data:NXdata': { '@signal': 'label', '@axes': ['m1'], label: col('label'), m1: col('m1') },
      },
    });
    assert.equal(attr(group(text, '/entry/data'), 'signal'), undefined);
    assert.equal(attr(group(text, '/entry/data'), 'axes'), undefined);
    assert.equal(
      attr(group(text, '/entry'), 'default'),
      undefined,
      "the template's @default is left out rather than pointing at no plot",
    );
    assert.deepEqual(
      text.diagnostics.filter((d) => d.code === 'EVAL_CONVENTION').map((d) => d.location.nexusPath),
      ['/entry/data', '/entry'],
    );
  });

  test('NXdata: an axis whose length is not its dimension\'s becomes "."; other motors of the event dimension get _indices 0', () => {
    const b = composeRun({
      detectors: ['det'],
      motors: ['m1', 'm2'],
      hints: {
        dimensions: [
          [['m1'], 'primary'],
          [['m2'], 'primary'],
        ],
      },
    });
    const d = b.descriptor('primary', {
      m1: { object_name: 'm1' },
      m2: { object_name: 'm2' },
      det: { object_name: 'det' },
    });
    for (let i = 0; i < 4; i++) d.event({ m1: i >> 1, m2: i & 1, det: i });
    b.stop();
    const plan = evaluate(
      {
        'entry:NXentry': {
          'data:NXdata': {
            '@signal': 'det',
            '@axes': ['m1'],
            det: col('det'),
            m1: col('m1'),
            m2: col('m2'),
            short: [1, 2],
          },
        },
      },
      b.run(),
    );
    const g = group(plan, '/entry/data');
    assert.deepEqual(
      [attr(g, 'axes'), attr(g, 'm1_indices'), attr(g, 'm2_indices'), attr(g, 'short_indices')],
      [['m1'], [0], [0], undefined],
    );
    const bad = evaluate(
      { 'entry:NXentry': { 'data:NXdata': { '@signal': 'det', '@axes': ['short'], det: col('det'), short: [1, 2] } } },
      b.run(),
    );
    assert.deepEqual(attr(group(bad, '/entry/data'), 'axes'), ['.']);
  });
});
