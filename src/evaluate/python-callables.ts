/**
 * Calculated projections as event-model's and databroker's projectors write
 * them name a Python function (`module:function`). nxlayout runs no Python:
 * such a callable is replaced by the registry calculation the template maps
 * it to (`start_projections.callables`), or the node is left out with a warning.
 */
import type { Projection } from '../layout/models.js';
import { isRecord } from './lookup.js';

const PYTHON_PATH = /^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * A callable that names Python code: `module:function`, or a dotted path
 * (`numpy.sqrt`) that is not a registered calculation.
 */
function isPythonCallable(callable: string, registered: (name: string) => boolean): boolean {
  if (PYTHON_PATH.test(callable)) return true;
  return callable.includes('.') && !registered(callable);
}

export type MappedCallables =
  | { ok: true; projection: Projection; mapped: string[] }
  /** `callable`: the first Python callable the template does not map. */
  | { ok: false; callable: string };

/**
 * `projection` with every Python callable (its own, and those of projections
 * nested in its arguments) replaced by the calculation `callables` maps it to.
 */
export function mapPythonCallables(
  projection: Projection,
  callables: Readonly<Record<string, string>>,
  registered: (name: string) => boolean,
): MappedCallables {
  const mapped: string[] = [];
  let unmapped: string | undefined;
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = visit(v);
    if (value.type !== 'calculated' || !isRecord(value.calculation) || typeof value.calculation.callable !== 'string')
      return out;
    const callable = value.calculation.callable;
    if (!isPythonCallable(callable, registered)) return out;
    const replacement = callables[callable];
    if (replacement === undefined) {
      unmapped ??= callable;
      return out;
    }
    mapped.push(`${callable} → ${replacement}`);
    return { ...out, calculation: { ...(out.calculation as Record<string, unknown>), callable: replacement } };
  };
  const result = visit(projection) as Projection;
  return unmapped === undefined ? { ok: true, projection: result, mapped } : { ok: false, callable: unmapped };
}
