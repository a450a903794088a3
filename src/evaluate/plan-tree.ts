/**
 * The template tree → the planned tree. Each node is evaluated on its own:
 * a problem in one is reported (with its pointer and HDF5 path) and the
 * others carry on; optional nodes with missing data become warnings and are
 * left out. While planning (`env.planning`), a field whose value the header
 * cannot give becomes a DeferredNode and a node with such an attribute
 * keeps its template attributes (deferred.ts); resolve-values.ts evaluates
 * them at the stop with `planField` and `planAttributes`, as here.
 */
import { isNxlError, toDiagnostic, type Diagnostic, type Location } from '../errors.js';
import type { LayoutField, LayoutGroup, LayoutLink, LayoutNode, Optionality } from '../layout/models.js';
import { assertNever } from './assert-never.js';
import { planAttributes } from './attributes.js';
import { isDeferredAttribute, isDeferredSpec, noteDeferredReads, repeatReadsLater } from './deferred.js';
import { at, bind, report, withDocument, type EvalEnv } from './env.js';
import { normaliseDType, DTYPE_NAMES } from './dtype.js';
import { planExternal } from './externals.js';
import type {
  DeferredAttributes,
  DeferredNode,
  DeferredScope,
  DType,
  PlanGroup,
  PlanNode,
  PlannedAttribute,
  PlannedLink,
  PlannedNode,
} from './models.js';
import { childPath, safeNodeName } from './names.js';
import { expandRepeat } from './repeat.js';
import { isTemplateText, renderText } from './text.js';
import { isOptionalSpec, missingSeverity, resolveValueSpec } from './value-spec.js';

export const NAME_HINT = 'give repeated nodes names that use the bound names ({{stream}}, {{field}}, {{key}})';

export function planGroup(node: LayoutGroup, path: string, env: EvalEnv): PlanGroup {
  const children: PlanNode[] = [];
  for (const child of node.children) {
    for (const planned of planChild(child, path, env)) {
      if (children.some((c) => c.path === planned.path)) {
        report(
          env,
          'EVAL_NAME',
          'error',
          `two nodes are named ${planned.path}: the second is left out`,
          { pointer: child.pointer, nexusPath: planned.path },
          NAME_HINT,
        );
        continue;
      }
      children.push(planned);
    }
  }
  const group: PlanGroup = {
    kind: 'group',
    path,
    children,
    pointer: node.pointer,
    source: 'template',
    ...attributesOf(node.attributes, at(env, { pointer: node.pointer, nexusPath: path })),
  };
  return node.nxClass === undefined ? group : { ...group, nxClass: node.nxClass };
}

/** Every instance of `child` (several under `$repeat`), each planned under `parent`. */
export function planChild(child: LayoutNode, parent: string, env: EvalEnv): PlanNode[] {
  const here = at(env, { pointer: child.pointer });
  if (env.planning && repeatReadsLater(child.repeat)) {
    // Its instances are known at the stop only: the node is planned whole there (resolve-values.ts).
    const path = `${parent === '/' ? '' : parent}/${child.name}`;
    const scope = scopeOf(here);
    return [{ kind: 'deferred', deferred: 'structure', path, parent, pointer: child.pointer, node: child, scope }];
  }
  let instances: ReturnType<typeof expandRepeat>;
  try {
    instances = expandRepeat(child.repeat, here);
  } catch (e) {
    fail(here, e, isOptional(child));
    return [];
  }
  const out: PlanNode[] = [];
  for (const bindings of instances) {
    const inst = bind(here, bindings);
    let path: string;
    try {
      const name = safeNodeName(isTemplateText(child.name) ? renderText(child.name, inst.context) : child.name);
      path = childPath(parent, name);
    } catch (e) {
      fail(inst, e, false);
      continue;
    }
    const planned = planNode(child, path, at(inst, { nexusPath: path }));
    // A group whose every child was left out (all optional, none in this run) is left out too: an empty NXsample says nothing.
    if (
      planned?.kind === 'group' &&
      planned.children.length === 0 &&
      child.kind === 'group' &&
      child.children.length > 0
    )
      continue;
    if (planned !== undefined) out.push(planned);
  }
  return out;
}

function planNode(node: LayoutNode, path: string, env: EvalEnv): PlanNode | undefined {
  switch (node.kind) {
    case 'group':
      return planGroup(node, path, env);
    case 'field':
      return planField(node, path, env);
    case 'link':
      return planLink(node, path, env);
    default:
      return assertNever(node, 'layout node');
  }
}

function isOptional(node: LayoutNode): Optionality {
  if (node.kind === 'group') return false;
  if (node.kind === 'link') return node.optional;
  if (node.optional !== false) return node.optional;
  return node.value.kind === 'projection' && isOptionalSpec(node.value)
    ? (node.value.projection.optional ?? false)
    : false;
}

function fail(env: EvalEnv, e: unknown, optional: Optionality): void {
  const d: Diagnostic = toDiagnostic(e);
  const severity = optional && d.code !== 'INTERNAL' ? missingSeverity(optional) : d.severity;
  const message = optional && d.code !== 'INTERNAL' ? `${d.message} (optional: left out)` : d.message;
  env.diagnostics.push({ ...d, severity, message, location: withDocument({ ...env.at, ...d.location }) });
}

function requestedDType(node: LayoutField, env: EvalEnv): DType | undefined {
  const name = node.dtype ?? (node.value.kind === 'projection' ? node.value.projection.dtype : undefined);
  if (name === undefined) return undefined;
  const d = normaliseDType(name);
  if (d === undefined) {
    report(
      env,
      'EVAL_TYPE_MISMATCH',
      'error',
      `dtype ${JSON.stringify(name)} is not understood: the type is inferred instead`,
      {},
      `dtypes: ${DTYPE_NAMES.join(', ')}`,
    );
  }
  return d;
}

/** Where a value deferred here is evaluated at the stop. */
function scopeOf(env: EvalEnv): DeferredScope {
  return { bindings: env.bindings, at: env.at, diagnosticAt: env.diagnostics.length };
}

/** A node's attributes: planned, or (while planning, when one is deferred) kept for the stop. */
function attributesOf(
  attrs: LayoutField['attributes'],
  env: EvalEnv,
): { attributes: PlannedAttribute[]; deferredAttributes?: DeferredAttributes } {
  if (!env.planning || !attrs.some((a) => isDeferredAttribute(a.name, a.value)))
    return { attributes: planAttributes(attrs, env) };
  for (const a of attrs) noteDeferredReads(a.value, env, true);
  return { attributes: [], deferredAttributes: { attributes: attrs, scope: scopeOf(env) } };
}

/** A field; while planning, a DeferredNode when the header cannot give its value (or it is external data). */
export function planField(node: LayoutField, path: string, env: EvalEnv): PlannedNode | DeferredNode | undefined {
  const deferred = (): DeferredNode => {
    const parent = path.slice(0, Math.max(path.lastIndexOf('/'), 1));
    return { kind: 'deferred', deferred: 'field', path, parent, pointer: node.pointer, node, scope: scopeOf(env) };
  };
  if (env.planning && isDeferredSpec(node.value)) {
    noteDeferredReads(node.value, env, false);
    return deferred();
  }
  const mark = env.diagnostics.length;
  try {
    const r = resolveValueSpec(node.value, env, requestedDType(node, env));
    if (env.planning && r.kind === 'external') {
      env.diagnostics.splice(mark); // where its data lives is known at the stop: evaluated there, reported once
      return deferred();
    }
    const attributes = attributesOf(node.attributes, env);
    const base = { path, ...attributes, source: r.source, pointer: node.pointer, storage: node.storage };
    switch (r.kind) {
      case 'inline':
        return { kind: 'field', ...base, dtype: r.dtype, shape: r.shape, value: { kind: 'inline', data: r.data } };
      case 'column':
        return {
          kind: 'field',
          ...base,
          dtype: r.dtype,
          shape: r.shape,
          value: {
            kind: 'column',
            stream: r.stream,
            field: r.field,
            part: r.part,
            ...(r.encoding === undefined ? {} : { encoding: r.encoding }),
          },
        };
      case 'external':
        return planExternal(
          r,
          path,
          node.pointer,
          base.attributes,
          env.run.streams.get(r.stream)?.length,
          (message, hint) =>
            report(env, 'EVAL_EXTERNAL', 'warning', message, { stream: r.stream, field: r.field }, hint),
        );
      default:
        return assertNever(r, 'resolved value');
    }
  } catch (e) {
    // A detector that took no frame (RUN_NO_FRAMES): nothing to link; the file is marked incomplete, not refused.
    fail(env, e, isOptional(node) || (isNxlError(e) && e.code === 'EVAL_EXTERNAL' && tookNoFrame(env, e.location)));
    return undefined;
  }
}

/** True when the run has no datum reference and no stream_datum for this external field. */
function tookNoFrame(env: EvalEnv, where: Location): boolean {
  const { stream, field } = where;
  if (stream === undefined || field === undefined) return false;
  const s = env.run.streams.get(stream);
  if (s === undefined) return false;
  if ((env.run.datumIds?.get(stream)?.get(field)?.length ?? 0) > 0) return false;
  const descriptors = new Set(s.descriptors.map((d) => d.uid));
  return !env.run.streamDatums.some((sd) => descriptors.has(sd.descriptor));
}

function planLink(node: LayoutLink, path: string, env: EvalEnv): PlannedLink | undefined {
  try {
    const target = isTemplateText(node.target) ? renderText(node.target, env.context) : node.target;
    const base = { path, target, ...attributesOf(node.attributes, env), pointer: node.pointer };
    if (node.file !== undefined || node.linkType === 'external') {
      const file =
        node.file === undefined ? '' : isTemplateText(node.file) ? renderText(node.file, env.context) : node.file;
      return { kind: 'link', ...base, linkType: 'external', file, source: `external link ${file}:${target}` };
    }
    if (node.optional) env.optionalLinks.add(path);
    return { kind: 'link', ...base, linkType: node.linkType, source: `${node.linkType} link ${target}` };
  } catch (e) {
    fail(env, e, node.optional);
    return undefined;
  }
}
