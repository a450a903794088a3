/**
 * Each calculated projection names a registered callable and gives it as
 * many positional arguments as it takes (the event column of seeds/002's
 * `stream`/`field` form counts as the first), and only keywords it knows.
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import { closestKey } from '../did-you-mean.js';
import { joinPointer } from '../../json-pointer.js';
import type { Layout } from '../models.js';
import type { CalculationCatalog } from './models.js';
import { walkProjections } from './walk.js';

function wanted(min: number, max: number | undefined): string {
  if (max === undefined) return `at least ${min}`;
  return min === max ? `${max}` : `${min} to ${max}`;
}

export function lintCalculations(layout: Layout, registry: CalculationCatalog): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { projection, pointer } of walkProjections(layout.root)) {
    if (projection.type !== 'calculated') continue;
    const { callable, args, kwargs } = projection.calculation;
    const spec = registry.get(callable);
    if (spec === undefined) {
      const meant = closestKey(callable, registry.names());
      out.push(
        diagnostic(
          'LAYOUT_CALCULATION',
          'error',
          `unknown calculation "${callable}"${meant === undefined ? '' : `: did you mean "${meant}"?`}`,
          { pointer: `${pointer}/calculation/callable` },
          `known calculations: ${registry.names().join(', ')}`,
        ),
      );
      continue;
    }
    const column = projection.stream !== undefined && projection.field !== undefined ? 1 : 0;
    const count = (args ?? []).length + column;
    if (count < spec.minArgs || (spec.maxArgs !== undefined && count > spec.maxArgs)) {
      const from = column === 1 ? ' (the event column of stream/field counts as the first)' : '';
      out.push(
        diagnostic(
          'LAYOUT_CALCULATION',
          'error',
          `${callable} takes ${wanted(spec.minArgs, spec.maxArgs)} argument(s), the template gives ${count}${from}`,
          { pointer: `${pointer}/calculation${args === undefined ? '' : '/args'}` },
          `${callable}: ${spec.description}`,
        ),
      );
    }
    if (spec.anyKwargs === true) continue;
    for (const k of Object.keys(kwargs ?? {})) {
      if ((spec.kwargs ?? []).includes(k)) continue;
      out.push(
        diagnostic(
          'LAYOUT_CALCULATION',
          'error',
          `${callable} has no keyword argument "${k}"`,
          { pointer: joinPointer(`${pointer}/calculation/kwargs`, k) },
          spec.kwargs?.length
            ? `keyword arguments of ${callable}: ${spec.kwargs.join(', ')}`
            : `${callable} takes no keyword arguments`,
        ),
      );
    }
  }
  out.push(...lintMappedCallables(layout, registry));
  return out;
}

/** `start_projections.callables` maps Python callables to registered calculations only. */
function lintMappedCallables(layout: Layout, registry: CalculationCatalog): Diagnostic[] {
  return Object.entries(layout.startProjections?.callables ?? {})
    .filter(([, name]) => !registry.has(name))
    .map(([python, name]) => {
      const meant = closestKey(name, registry.names());
      return diagnostic(
        'LAYOUT_CALCULATION',
        'error',
        `start_projections.callables maps ${python} to "${name}", which is not a calculation${meant === undefined ? '' : `: did you mean "${meant}"?`}`,
        { pointer: joinPointer('/start_projections/callables', python) },
        `known calculations: ${registry.names().join(', ')}`,
      );
    });
}
