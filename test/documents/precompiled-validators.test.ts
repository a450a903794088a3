/**
 * The validators ajv's standalone code generated at build time
 * (scripts/build-validators.mjs → dist/validators/*.cjs) are the ones used,
 * and they judge exactly as validators compiled at run time: same verdict,
 * same errors, for valid and broken templates and documents. A stale module
 * (schemas changed since the build) is ignored.
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLayoutAjv, layoutSchema, layoutValidators, PROJECTION_SCHEMA } from '../../src/layout/schema.js';
import {
  createEventModelAjv,
  EVENT_MODEL_MODULES,
  eventModelSchemas,
  eventModelSource,
  validateDocument,
} from '../../src/documents/validate.js';
import { loadPrecompiled } from '../../src/documents/precompiled.js';
import '../../src/documents/precompiled-node.js';
import { DOC_NAMES } from '../../src/documents/models.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const VALIDATORS = path.join(REPO, 'dist/validators');
const require = createRequire(import.meta.url);

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

function verdict(v: Validate, data: unknown): { valid: boolean; errors: unknown } {
  const valid = v(structuredClone(data));
  return { valid, errors: valid ? null : JSON.parse(JSON.stringify(v.errors)) };
}

const template = JSON.parse(fs.readFileSync(path.join(REPO, 'templates/default.json'), 'utf8')) as Record<
  string,
  unknown
>;
const TEMPLATES: unknown[] = [
  template,
  JSON.parse(fs.readFileSync(path.join(REPO, 'templates/aps-8id-xpcs.json'), 'utf8')),
  { ...template, name: 'bad name!' },
  { ...template, version: 3, unknown_key: true },
  { ...template, match: { plan_name: { regex: '([' } } },
  { name: 'x' },
  [],
];

const START = { uid: 'u1', time: 1, scan_id: 1 };
const DOCS: [string, unknown][] = [
  ['start', START],
  ['start', { time: 'soon' }],
  ['descriptor', { uid: 'd', run_start: 'u1', time: 1, data_keys: { x: { dtype: 'number', shape: [], source: 's' } } }],
  ['descriptor', { uid: 'd', run_start: 'u1', data_keys: { x: { dtype: 'nope', shape: 'x' } }, extra: 1 }],
  ['event', { uid: 'e', descriptor: 'd', seq_num: 1, time: 1, data: { x: 1 }, timestamps: { x: 1 }, filled: {} }],
  ['event', { uid: 'e', descriptor: 'd', seq_num: '1', data: {}, legacy: true }],
  ['stop', { uid: 's', run_start: 'u1', time: 2, exit_status: 'maybe' }],
  [
    'resource',
    {
      uid: 'r',
      id: 'legacy',
      spec: 'AD_HDF5',
      resource_path: 'a.h5',
      root: '/',
      resource_kwargs: {},
      path_semantics: 'posix',
    },
  ],
  ['datum_page', { datum_id: ['a'], resource: 'r', datum_kwargs: 7 }],
];

describe('precompiled validators', () => {
  before(() => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/build-validators.mjs')], {
      cwd: REPO,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /precompiled validators: .*layout\.cjs.*event-model\.cjs/);
  });

  test('the build wrote one module per validator set, and the layout checks use it', () => {
    for (const name of ['formats', 'layout', 'event-model', 'event-model-all'])
      assert.ok(fs.existsSync(path.join(VALIDATORS, `${name}.cjs`)), name);
    const generated = require(path.join(VALIDATORS, 'layout.cjs')) as { layout: Validate };
    assert.equal(layoutValidators().layout, generated.layout);
  });

  test("layout: the generated validators give the run-time compiled ones' verdicts and errors", () => {
    const ajv = createLayoutAjv();
    const runtime = {
      layout: ajv.compile(layoutSchema) as Validate,
      projection: ajv.compile(PROJECTION_SCHEMA) as Validate,
    };
    const generated = layoutValidators();
    let invalid = 0;
    for (const t of TEMPLATES) {
      const expected = verdict(runtime.layout, t);
      assert.deepEqual(verdict(generated.layout as Validate, t), expected, JSON.stringify(t).slice(0, 80));
      if (!expected.valid) invalid++;
    }
    assert.equal(invalid, 5, 'five of the samples are broken templates');
    for (const p of [{}, { tree: {} }, { tree: 5 }, 'x'])
      assert.deepEqual(verdict(generated.projection as Validate, p), verdict(runtime.projection, p));
  });

  test("event-model: the generated validators give the run-time compiled ones' verdicts and errors, in every mode", () => {
    let invalid = 0;
    for (const module of EVENT_MODEL_MODULES) {
      const generated = loadPrecompiled<Record<string, Validate>>(module.name, () => eventModelSource(module));
      assert.ok(generated !== undefined, `${module.name}.cjs matches the schemas`);
      const ajv = createEventModelAjv(module.options);
      const schemas = eventModelSchemas(module.modes);
      assert.equal(Object.keys(schemas).length, module.modes.length * DOC_NAMES.length);
      for (const [key, schema] of Object.entries(schemas)) {
        const runtime = ajv.compile(schema) as Validate;
        for (const [name, doc] of DOCS.filter(([n]) => key.endsWith(`_${n}`))) {
          const expected = verdict(runtime, doc);
          assert.deepEqual(verdict(generated[key], doc), expected, `${key} ${name} ${JSON.stringify(doc)}`);
          if (!expected.valid) invalid++;
        }
      }
    }
    assert.ok(invalid >= 8, `broken documents were among the samples (${invalid})`);
    assert.equal(validateDocument({ name: 'start', doc: START as never }).length, 0);
    assert.equal(validateDocument({ name: 'event', doc: DOCS[5][1] as never })[0]?.severity, 'error');
  });

  test('a module generated from other sources is not used', () => {
    assert.equal(
      loadPrecompiled('layout', () => 'not-the-source'),
      undefined,
    );
    assert.equal(
      loadPrecompiled('no-such-module', () => 'x'),
      undefined,
    );
  });
});
