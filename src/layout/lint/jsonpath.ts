/**
 * JSONPaths of a template parse: projection `field`s starting with `$`,
 * calculation arguments starting with `$` (`$$` is a literal `$`), and
 * `$repeat` paths. `{{…}}` inside a path (under a repeat) is replaced by a
 * plain name before checking.
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import { joinPointer } from '../../json-pointer.js';
import type { Layout } from '../models.js';
import { jsonPathProblem } from './jsonpath-syntax.js';
import { walkNodes, walkProjections } from './walk.js';

const HINT =
  "JSONPaths look like $.start.sample.name or $.data_keys['det'].units; filters may use only comparisons and member access";

function check(path: string, pointer: string, out: Diagnostic[]): void {
  const problem = jsonPathProblem(path.replace(/\{\{[^}]*\}\}/g, 'x'));
  if (problem !== undefined)
    out.push(
      diagnostic('LAYOUT_JSONPATH', 'error', `bad JSONPath ${JSON.stringify(path)}: ${problem}`, { pointer }, HINT),
    );
}

function checkArgument(value: unknown, pointer: string, out: Diagnostic[]): void {
  if (typeof value === 'string' && value.startsWith('$') && !value.startsWith('$$')) check(value, pointer, out);
  else if (Array.isArray(value))
    value.forEach((v, i) => {
      checkArgument(v, joinPointer(pointer, i), out);
    });
}

export function lintJsonPaths(layout: Layout): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { projection, pointer } of walkProjections(layout.root)) {
    if ('field' in projection && typeof projection.field === 'string' && projection.field.startsWith('$')) {
      check(projection.field, `${pointer}/field`, out);
    }
    if (projection.type === 'calculated') {
      (projection.calculation.args ?? []).forEach((a, i) => {
        checkArgument(a, `${pointer}/calculation/args/${i}`, out);
      });
      for (const [k, v] of Object.entries(projection.calculation.kwargs ?? {}))
        checkArgument(v, joinPointer(`${pointer}/calculation/kwargs`, k), out);
    }
  }
  for (const { node } of walkNodes(layout.root)) {
    if (node.repeat?.over === 'keys') check(node.repeat.path, `${node.pointer}/$repeat/path`, out);
  }
  return out;
}
