/** Test runs and templates for evaluate/: small runs built in code, templates written as JSON. */
import * as assert from 'node:assert/strict';
import type { Diagnostic, ErrorCode } from '../../src/errors.js';
import { evaluateLayout, type EvaluateOptions } from '../../src/evaluate/index.js';
import type { NexusPlan, PlannedField, PlannedGroup, PlannedLink, PlannedNode } from '../../src/evaluate/models.js';
import { parseLayout } from '../../src/layout/index.js';
import type { Layout } from '../../src/layout/models.js';
import type { Run } from '../../src/run/models.js';
import { composeRun } from '../../src/run/testing.js';

/** A layout from a template tree (JSON form); fails the test if the template does not parse. */
export function layoutOf(tree: Record<string, unknown>, extra: Record<string, unknown> = {}): Layout {
  const text = JSON.stringify({ name: 'test', version: '1.0.0', file: 'out/{{run.short_uid}}.nxs', tree, ...extra });
  const result = parseLayout(text, 'test.json');
  if (result.layout === undefined) throw new Error(`template did not parse: ${JSON.stringify(result.diagnostics)}`);
  return result.layout;
}

/**
 * A scan: start metadata, a `primary` stream with two descriptors (the second
 * with another eiger configuration), 5 events of I0/m1/spectrum/label, a
 * `baseline` stream, and a stop.
 */
export function scanRun(options: { stop?: boolean } = {}): Run {
  const b = composeRun({
    uid: 'aaaaaaaa-1111-4111-8111-000000000001',
    time: 1_700_000_000.25,
    scan_id: 42,
    plan_name: 'scan',
    detectors: ['I0'],
    motors: ['m1'],
    hints: { dimensions: [[['m1'], 'primary']] },
    sample: { name: 'silica', temperature: 295.5 },
    'sample.name': 'dotted key',
    user_dir: 'A002/silica run',
    empty: null,
  });
  const cfg = (t: number) => ({
    eiger: {
      data: { eiger_cam_acquire_time: t, eiger_mode: 'fast' },
      timestamps: {},
      data_keys: { eiger_cam_acquire_time: { dtype: 'number' as const, shape: [], source: 'x' } },
    },
  });
  const keys = {
    I0: { units: 'counts', object_name: 'I0' },
    m1: { units: 'mm', object_name: 'm1' },
    spectrum: { dtype: 'array' as const, shape: [3], dtype_numpy: '<i4' },
    label: { dtype: 'string' as const },
    flag: { dtype: 'boolean' as const },
  };
  const d1 = b.descriptor('primary', keys, cfg(0.1));
  for (let i = 0; i < 3; i++)
    d1.event({ I0: 10 + i, m1: i * 0.5, spectrum: [i, i + 1, i + 2], label: `p${i}`, flag: i % 2 === 0 });
  const d2 = b.descriptor('primary', keys, cfg(0.2));
  for (let i = 3; i < 5; i++)
    d2.event({ I0: 10 + i, m1: i * 0.5, spectrum: [i, i + 1, i + 2], label: `p${i}`, flag: false });
  const base = b.descriptor('baseline', { ring_current: { units: 'mA' } });
  base.event({ ring_current: 101.5 });
  base.event({ ring_current: 100.5 });
  if (options.stop !== false) b.stop({ time: 1_700_000_100.5 });
  return b.run();
}

export function evaluate(
  tree: Record<string, unknown>,
  run: Run = scanRun(),
  options: EvaluateOptions = {},
  extra: Record<string, unknown> = {},
): NexusPlan {
  return evaluateLayout(layoutOf(tree, extra), run, { provenance: { nxlayoutVersion: '9.9.9' }, ...options });
}

export function find(plan: NexusPlan, path: string): PlannedNode | undefined {
  const walk = (n: PlannedNode): PlannedNode | undefined => {
    if (n.path === path) return n;
    if (n.kind === 'group')
      for (const c of n.children) {
        const f = walk(c);
        if (f) return f;
      }
    return undefined;
  };
  return walk(plan.root);
}

export function field(plan: NexusPlan, path: string): PlannedField {
  const n = find(plan, path);
  assert.equal(n?.kind, 'field', `${path} is not a field: ${JSON.stringify(n)} ${JSON.stringify(plan.diagnostics)}`);
  return n as PlannedField;
}

export function group(plan: NexusPlan, path: string): PlannedGroup {
  const n = find(plan, path);
  assert.equal(n?.kind, 'group', `${path} is not a group`);
  return n as PlannedGroup;
}

export function link(plan: NexusPlan, path: string): PlannedLink {
  const n = find(plan, path);
  assert.equal(n?.kind, 'link', `${path} is not a link: ${JSON.stringify(n)}`);
  return n as PlannedLink;
}

/** The inline data of a field. */
export function data(plan: NexusPlan, path: string): readonly unknown[] {
  const f = field(plan, path);
  assert.equal(f.value.kind, 'inline');
  return f.value.kind === 'inline' ? f.value.data : [];
}

export function attr(node: PlannedNode, name: string): readonly unknown[] | undefined {
  return node.attributes.find((a) => a.name === name)?.data;
}

export function errors(plan: NexusPlan): Diagnostic[] {
  return plan.diagnostics.filter((d) => d.severity === 'error');
}

export function only(plan: NexusPlan, code: ErrorCode, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  const found = plan.diagnostics.filter((d) => d.code === code && d.severity === severity);
  assert.equal(found.length, 1, `expected one ${severity} ${code}, got ${JSON.stringify(plan.diagnostics, null, 1)}`);
  return found[0] as Diagnostic;
}

export function noErrors(plan: NexusPlan): void {
  assert.deepEqual(errors(plan), []);
}
