/**
 * Which template values the header (start, descriptors, first rows) cannot
 * give, decided from the template alone, without evaluating anything:
 *
 * - a single reading (`index`: first, last, a row), the stop document, a
 *   calculation (its arguments may be any of these, or whole columns);
 * - text reading anything but the start document, the descriptors, the
 *   run's uid and scan id, nxlayout's version or the repeat bindings (the
 *   stop document, a stream's length, the main stream…; a block or partial
 *   is taken as reading anything);
 * - an attribute holding a whole column (its rows are only all there at the stop);
 * - a `$repeat` over the keys of anything but the start document, the
 *   descriptors or a stream's data keys and configuration (the stop
 *   document's `num_events`…): the node is planned whole at the stop.
 *
 * Constants, start-document and descriptor values and whole columns are
 * final in the plan. `noteDeferredReads` records, for a deferred value, the
 * columns whose rows it will read at the stop, so the plan can tell the
 * writer to retain them before any row is let go.
 */
import type { Projection, Repeat, ValueSpec } from '../layout/models.js';
import { handlebars as hbs } from '../layout/handlebars.js';
import { noteColumnRead, type EvalEnv } from './env.js';
import { isProjectionObject } from './projection.js';
import { renderStrings } from './template-strings.js';
import { TEXT_HELPERS } from './text-helpers.js';

/** Context heads a plan's text may read: the header's documents and the repeat bindings. */
const HEADER_HEADS = new Set(['start', 'descriptors', 'nxlayout', 'stream', 'field', 'data_key', 'key', 'value']);
/** What of `streams.NAME` the header gives (not `length`). */
const HEADER_STREAM_PARTS = new Set(['name', 'data_keys', 'descriptors', 'configuration']);
const textCache = new Map<string, boolean>();

export function isDeferredSpec(spec: ValueSpec): boolean {
  switch (spec.kind) {
    case 'literal':
      return false;
    case 'text':
      return textReadsLater(spec.template);
    case 'projection':
      return projectionReadsLater(spec.projection);
  }
}

/** An attribute's value is deferred like a field's, and so is a whole column or an unknown name. */
export function isDeferredAttribute(name: string, spec: ValueSpec): boolean {
  if (name.includes('{{') && textReadsLater(name)) return true;
  if (spec.kind === 'projection' && spec.projection.type === 'linked' && spec.projection.location === 'event')
    return true;
  return isDeferredSpec(spec);
}

/** A `$repeat` whose instances the header cannot give (see the module comment). */
export function repeatReadsLater(repeat: Repeat | undefined): boolean {
  if (repeat?.over !== 'keys') return false; // streams and their fields: a later header plans again
  if (repeat.path.includes('{{') && textReadsLater(repeat.path)) return true;
  const parts: string[] = [];
  for (const m of repeat.path.replace(/^\$/, '').matchAll(/\.([^.[\]]+)|\[['"]?([^'"\]]+)['"]?\]/g))
    parts.push(m[1] ?? m[2] ?? '');
  return readsLater(parts);
}

/** Whether a context path (its parts) reads anything the header does not give. */
function readsLater(parts: readonly string[]): boolean {
  const [head, second, part] = parts;
  if (head === undefined) return true;
  if (head === 'run') return second === 'main_stream' || second === undefined;
  if (head === 'streams') return part === undefined || !HEADER_STREAM_PARTS.has(part);
  return !HEADER_HEADS.has(head);
}

function projectionReadsLater(p: Projection): boolean {
  switch (p.type) {
    case 'static':
      return false;
    case 'calculated':
      return true;
    case 'linked':
      return p.location === 'stop' || (p.location === 'event' && p.index !== undefined);
  }
}

/** True when handlebars `template` reads anything the header does not give (see the module comment). */
function textReadsLater(template: string): boolean {
  let later = textCache.get(template);
  if (later === undefined) {
    try {
      later = walk(hbs.parse(template));
    } catch {
      later = true; // a syntax error is reported when it is rendered, at the stop
    }
    textCache.set(template, later);
  }
  return later;
}

type Node = { type: string } & Record<string, unknown>;

function walk(node: unknown): boolean {
  if (typeof node !== 'object' || node === null) return false;
  const n = node as Node;
  switch (n.type) {
    case 'Program':
      return (n.body as unknown[]).some(walk);
    case 'BlockStatement':
    case 'PartialStatement':
    case 'PartialBlockStatement':
    case 'DecoratorBlock':
      return true;
    case 'MustacheStatement':
    case 'SubExpression': {
      const params = n.params as unknown[];
      const pairs = ((n.hash as { pairs?: { value: unknown }[] } | undefined)?.pairs ?? []).map((p) => p.value);
      const head = n.path as { original?: unknown };
      const helper = params.length > 0 || pairs.length > 0 || String(head.original) in TEXT_HELPERS;
      return (!helper && walk(n.path)) || params.some(walk) || pairs.some(walk);
    }
    case 'PathExpression': {
      const path = n as unknown as hbs.AST.PathExpression;
      return path.data || path.depth > 0 || readsLater(path.parts);
    }
    default:
      return false;
  }
}

/** Notes the columns whose rows `spec` reads when resolved (`whole`: an event column read whole, not streamed). */
export function noteDeferredReads(spec: ValueSpec, env: EvalEnv, whole: boolean): void {
  if (spec.kind !== 'projection') return;
  let p: Projection;
  try {
    p = renderStrings(spec.projection, env.context);
  } catch {
    return; // reported when it is resolved
  }
  noteProjection(p, env, whole);
}

function noteProjection(p: Projection, env: EvalEnv, whole: boolean): void {
  if (p.type === 'linked' && p.location === 'event') {
    const part = p.part ?? 'values';
    const i = p.index;
    if (i === undefined ? whole : i !== 'first' && i !== 'last' && i !== 0 && i !== -1)
      noteColumnRead(env, p.stream, p.field, part);
  } else if (p.type === 'calculated') {
    if (p.stream !== undefined && p.field !== undefined) noteColumnRead(env, p.stream, p.field, 'values');
    for (const a of [...(p.calculation.args ?? []), ...Object.values(p.calculation.kwargs ?? {})]) noteArg(a, env);
  }
}

function noteArg(a: unknown, env: EvalEnv): void {
  if (Array.isArray(a)) for (const x of a) noteArg(x, env);
  else if (isProjectionObject(a)) noteProjection(a, env, true);
}
