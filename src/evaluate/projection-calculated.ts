/**
 * `calculated` projections: a registered function over resolved arguments.
 * Arguments: `$…` strings are JSONPaths into the run context (`$$` escapes a
 * literal `$`), projection objects are resolved first, everything else is a
 * literal. With `stream`/`field` (seeds/002's form) the event column comes first.
 */
import { NxlError } from '../errors.js';
import type { CalculatedProjection, Projection } from '../layout/models.js';
import { assertNever } from './assert-never.js';
import { columnArgument, getDataKey, getStream, selectColumn } from './columns.js';
import type { EvalEnv, Resolved } from './env.js';
import { listHint, noteColumnRead } from './env.js';
import { queryPath } from './lookup.js';
import type { DType } from './models.js';
import { isProjectionObject, resolveProjection } from './projection.js';
import { naturalValue, toInline } from './values.js';

interface Arg {
  value: unknown;
  /** How the source line shows it. */
  label: string;
  /** Set when a `$` path names data the run lacks: the error to raise unless the callable accepts it. */
  missing?: NxlError;
}

export function resolveCalculated(p: CalculatedProjection, env: EvalEnv, requested?: DType): Resolved {
  const { callable } = p.calculation;
  const spec = env.registry.require(callable);
  const args: Arg[] = [];
  if (p.stream !== undefined && p.field !== undefined) args.push(eventColumn(p.stream, p.field, env));
  for (const a of p.calculation.args ?? []) args.push(resolveArg(a, env));
  const kwargs: Record<string, unknown> = {};
  const kwLabels: string[] = [];
  for (const [k, v] of Object.entries(p.calculation.kwargs ?? {})) {
    const r = resolveArg(v, env);
    if (r.missing !== undefined) throw r.missing;
    kwargs[k] = r.value;
    kwLabels.push(`${k}=${r.label}`);
  }
  const tolerated = spec.mayBeMissing;
  args.forEach((a, i) => {
    if (a.missing !== undefined && !(tolerated === 'all' || (typeof tolerated === 'number' && i >= tolerated)))
      throw a.missing;
  });
  const result = env.registry.call(
    callable,
    args.map((a) => a.value),
    kwargs,
  );
  if (result === undefined || result === null) {
    const missing = args.filter((a) => a.missing !== undefined);
    if (missing.length > 0) {
      const code = missing.every((a) => a.missing?.code === 'EVAL_START_MISSING')
        ? 'EVAL_START_MISSING'
        : 'EVAL_FIELD_MISSING';
      throw new NxlError(
        code,
        `${callable}: none of ${missing.map((a) => a.label).join(', ')} is in the run`,
        {},
        { hint: missing[0]?.missing?.hint },
      );
    }
    throw new NxlError('EVAL_CALCULATION', `${callable} returned no value`, {}, { hint: 'check its arguments' });
  }
  const source = `calculated ${callable}(${[...args.map((a) => a.label), ...kwLabels].join(', ')})`;
  return { kind: 'inline', ...toInline(result, requested), source };
}

function eventColumn(streamName: string, field: string, env: EvalEnv): Arg {
  const stream = getStream(env, streamName);
  const dataKey = getDataKey(stream, field);
  if (dataKey.external !== undefined || env.resolveExternal(env.run, stream.name, field).length > 0) {
    throw externalArg(stream.name, field);
  }
  noteColumnRead(env, stream.name, field, 'values');
  return {
    value: columnArgument(selectColumn(stream, 'values', field), stream.name, field),
    label: `event ${stream.name}/${field}`,
  };
}

function externalArg(stream: string, field: string): NxlError {
  return new NxlError(
    'EVAL_EXTERNAL',
    `${stream}/${field} is external data and cannot be a calculation argument`,
    { stream, field },
    {
      hint: 'nxlayout links external data and never reads it',
    },
  );
}

function resolveArg(a: unknown, env: EvalEnv): Arg {
  if (typeof a === 'string') {
    if (a.startsWith('$$')) return { value: a.slice(1), label: JSON.stringify(a.slice(1)) };
    if (a.startsWith('$')) return contextValue(a, env);
    return { value: a, label: JSON.stringify(a) };
  }
  if (Array.isArray(a)) {
    const items = a.map((x) => resolveArg(x, env));
    const missing = items.find((i) => i.missing !== undefined)?.missing;
    const arg: Arg = { value: items.map((i) => i.value), label: `[${items.map((i) => i.label).join(', ')}]` };
    return missing === undefined ? arg : { ...arg, missing };
  }
  if (isProjectionObject(a)) return nestedProjection(a, env);
  return { value: a, label: JSON.stringify(a) };
}

function contextValue(path: string, env: EvalEnv): Arg {
  const found = queryPath(env.context, path);
  if (found.found) return { value: found.value, label: path };
  const inStart = path.startsWith('$.start.') || path.startsWith("$['start']");
  const hint = inStart
    ? listHint('start keys', Object.keys(env.run.start))
    : listHint('run context keys', Object.keys(env.context));
  const missing = new NxlError(
    inStart ? 'EVAL_START_MISSING' : 'EVAL_FIELD_MISSING',
    `calculation argument ${path} is not in the run`,
    {},
    { hint },
  );
  return { value: undefined, label: path, missing };
}

function nestedProjection(p: Projection, env: EvalEnv): Arg {
  const r = resolveProjection(p, env);
  switch (r.kind) {
    case 'inline':
      return { value: naturalValue(r.data, r.shape), label: r.source };
    case 'column': {
      const stream = getStream(env, r.stream);
      noteColumnRead(env, r.stream, r.field, r.part);
      return { value: columnArgument(selectColumn(stream, r.part, r.field), r.stream, r.field), label: r.source };
    }
    case 'external':
      throw externalArg(r.stream, r.field);
    default:
      return assertNever(r, 'resolved value');
  }
}
