/**
 * A projection that did not come from a template file: the start document's
 * own `projections` (seeds/002), merged over the template by evaluate/. Same
 * rules and messages as a template's projections.
 */
import type { Diagnostic } from '../../errors.js';
import { schemaProblems } from '../schema-errors.js';
import { projectionSchemaErrors } from '../schema.js';

/**
 * Diagnostics for one projection object; `pointer` is where it sits (e.g.
 * `/projections/0/projection/~1entry~1title` in the start document) and prefixes every pointer.
 */
export function checkProjection(value: unknown, pointer = ''): Diagnostic[] {
  return schemaProblems(projectionSchemaErrors(value)).map((p) => ({
    code: 'LAYOUT_SCHEMA',
    severity: 'error',
    message: p.message,
    location: { pointer: pointer + p.pointer },
    hint: p.hint,
  }));
}
