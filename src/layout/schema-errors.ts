/**
 * ajv's errors → one Diagnostic per mistake: the wrappers that only say "a
 * branch failed" (if, propertyNames) are dropped, missing keys of one object
 * are listed together, a misspelt key is reported once with its fix (not also
 * as the key it was meant to be), and each message comes from the schema's
 * `x-message` when it has one.
 */
import type { ErrorObject } from 'ajv';
import { diagnostic, type Diagnostic } from '../errors.js';
import { closestKey } from './did-you-mean.js';
import { joinPointer, splitPointer } from '../json-pointer.js';
import { MESSAGE_KEYWORD } from './schema.js';

const WRAPPERS = new Set(['if', 'propertyNames', 'anyOf', 'oneOf']);
const DEFAULT_HINT = 'see docs/templates.md for the template format';

export interface SchemaProblem {
  pointer: string;
  message: string;
  hint: string;
}

function schemaMessage(error: ErrorObject): string | undefined {
  const message = (error.parentSchema as Record<string, unknown> | undefined)?.[MESSAGE_KEYWORD];
  return typeof message === 'string' ? message : undefined;
}

function describe(value: unknown): string {
  return value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'object'
        ? 'an object'
        : JSON.stringify(value);
}

/** The pointer a person should look at: the offending key when ajv reports on its parent object. */
function pointerOf(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    return joinPointer(error.instancePath, String((error.params as { additionalProperty: string }).additionalProperty));
  }
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  return propertyName === undefined ? error.instancePath : joinPointer(error.instancePath, propertyName);
}

/** `chunks[0]`, `location`, `(template)`: how a message names the value. */
function label(pointer: string): string {
  const segments = splitPointer(pointer);
  const last = segments.at(-1);
  if (last === undefined) return '(template)';
  if (/^\d+$/.test(last) && segments.length > 1) return `${segments.at(-2)}[${last}]`;
  return last;
}

function allowedKeys(error: ErrorObject): string[] {
  return Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
}

function generic(error: ErrorObject, pointer: string): string {
  const params = error.params as Record<string, unknown>;
  const name = label(pointer);
  switch (error.keyword) {
    case 'type':
      return `${name} must be ${String(params.type).replace(/,/g, ', ')}, not ${describe(error.data)}`;
    case 'enum':
      return `${name} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${name} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${name} ${error.message ?? 'is invalid'}`;
  }
}

function unknownKey(error: ErrorObject, pointer: string): SchemaProblem & { meant?: string } {
  const key = label(pointer);
  const allowed = allowedKeys(error);
  const meant = closestKey(key, allowed);
  const message =
    meant !== undefined
      ? `unknown key "${key}": did you mean "${meant}"?`
      : `unknown key "${key}"` + (allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : '');
  return { pointer, message, hint: schemaMessage(error) ?? DEFAULT_HINT, ...(meant === undefined ? {} : { meant }) };
}

export function schemaProblems(errors: ErrorObject[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const missing = new Map<string, { problem: SchemaProblem; object: string; keys: string[]; specific?: string }>();
  const misspelt = new Set<string>();
  for (const error of errors) {
    if (WRAPPERS.has(error.keyword)) continue;
    const pointer = pointerOf(error);
    if (error.keyword === 'additionalProperties') {
      const problem = unknownKey(error, pointer);
      if (problem.meant !== undefined) misspelt.add(joinPointer(error.instancePath, problem.meant));
      problems.push({ pointer: problem.pointer, message: problem.message, hint: problem.hint });
      continue;
    }
    const specific = schemaMessage(error);
    if (error.keyword === 'required') {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      const group = `${pointer}\u0000${error.schemaPath}`;
      const seen = missing.get(group);
      if (seen !== undefined) seen.keys.push(key);
      else {
        const problem: SchemaProblem = { pointer, message: '', hint: DEFAULT_HINT };
        missing.set(group, { problem, object: pointer, keys: [key], ...(specific === undefined ? {} : { specific }) });
        problems.push(problem);
      }
      continue;
    }
    const message = specific ?? generic(error, pointer);
    if (!problems.some((p) => p.pointer === pointer && p.message === message))
      problems.push({ pointer, message, hint: DEFAULT_HINT });
  }
  const dropped = new Set<SchemaProblem>();
  for (const { problem, object, keys, specific } of missing.values()) {
    // a key reported as misspelt is not also reported as missing
    const left = keys.filter((k) => !misspelt.has(joinPointer(object, k)));
    if (left.length === 0) dropped.add(problem);
    const list = `missing ${left.length === 1 ? 'key' : 'keys'} ${left.map((k) => `"${k}"`).join(', ')}`;
    problem.message = specific === undefined ? list : `${list}: ${specific}`;
  }
  return problems.filter((p) => !dropped.has(p));
}

export function schemaDiagnostics(errors: ErrorObject[]): Diagnostic[] {
  return schemaProblems(errors).map((p) =>
    diagnostic('LAYOUT_SCHEMA', 'error', p.message, { pointer: p.pointer }, p.hint),
  );
}
