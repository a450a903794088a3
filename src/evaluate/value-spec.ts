/** A template value (literal, handlebars text or projection) → its resolved value. */
import { NxlError } from '../errors.js';
import type { Optionality, ValueSpec } from '../layout/models.js';
import { assertNever } from './assert-never.js';
import { columnArgument, getStream, selectColumn } from './columns.js';
import { noteColumnRead, report, type EvalEnv, type Resolved } from './env.js';
import type { DType } from './models.js';
import { resolveProjection } from './projection.js';
import { missingPaths, renderText } from './text.js';
import { toInline } from './values.js';

export function resolveValueSpec(spec: ValueSpec, env: EvalEnv, requested?: DType): Resolved {
  switch (spec.kind) {
    case 'literal':
      if (spec.value === null || spec.value === undefined) {
        throw new NxlError(
          'EVAL_PROJECTION',
          'the template gives null as a value',
          {},
          { hint: 'HDF5 has no null: give a value or remove the node' },
        );
      }
      return { kind: 'inline', ...toInline(spec.value, requested), source: 'static' };
    case 'text': {
      const text = renderText(spec.template, env.context);
      const missing = missingPaths(spec.template, env.context);
      if (missing.length > 0) {
        report(
          env,
          'EVAL_TEMPLATE_TEXT',
          'warning',
          `text ${JSON.stringify(spec.template)} uses ${missing.join(', ')}, which the run does not have: rendered as empty`,
          {},
          'use {{default x "fallback"}} for values that may be absent',
        );
      }
      return { kind: 'inline', ...toInline(text, requested), source: `text ${JSON.stringify(spec.template)}` };
    }
    case 'projection':
      return resolveProjection(spec.projection, env, requested);
    default:
      return assertNever(spec, 'value kind');
  }
}

/** Whether a missing value of this spec is only a warning (or, `"quiet"`, an info). */
export function isOptionalSpec(spec: ValueSpec): boolean {
  return spec.kind === 'projection' && (spec.projection.optional === true || spec.projection.optional === 'quiet');
}

/** The severity a missing value gets when its node is optional: `"quiet"` marks data a normal run may lack. */
export function missingSeverity(optional: Optionality | undefined): 'warning' | 'info' {
  return optional === 'quiet' ? 'info' : 'warning';
}

/**
 * A value that must be known now (an attribute): a whole column becomes its
 * rows when they are all still held.
 */
export function resolveInline(spec: ValueSpec, env: EvalEnv, requested?: DType): Extract<Resolved, { kind: 'inline' }> {
  const r = resolveValueSpec(spec, env, requested);
  switch (r.kind) {
    case 'inline':
      return r;
    case 'column': {
      noteColumnRead(env, r.stream, r.field, r.part);
      const rows = columnArgument(selectColumn(getStream(env, r.stream), r.part, r.field), r.stream, r.field);
      if (!Array.isArray(rows)) {
        throw new NxlError(
          'EVAL_SHAPE_MISMATCH',
          `${r.source} is no longer held in memory and cannot be an attribute`,
          { stream: r.stream, field: r.field },
          {
            hint: 'use `index` (one reading) or a calculation (mean, first…) for an attribute',
          },
        );
      }
      return { kind: 'inline', ...toInline(rows, requested ?? r.dtype), source: r.source };
    }
    case 'external':
      throw new NxlError('EVAL_EXTERNAL', `${r.source} is external data and cannot be an attribute`, {
        stream: r.stream,
        field: r.field,
      });
    default:
      return assertNever(r, 'resolved value');
  }
}
