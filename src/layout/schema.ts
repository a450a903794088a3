/**
 * schemas/layout.schema.json as validators: the ones ajv's standalone code
 * generated at build time (scripts/build-validators.mjs, see
 * documents/precompiled.ts), else compiled with ajv on first use.
 */
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import { createAjv } from '../documents/ajv-factory.js';
import { loadPrecompiled } from '../documents/precompiled.js';
import { LAYOUT_SCHEMA } from './layout-schema.generated.js';

/** `x-message` is an annotation the schema puts on its nodes: the sentence a person should read when that node fails. */
export const MESSAGE_KEYWORD = 'x-message';

/** schemas/layout.schema.json (embedded by scripts/embed-schemas.mjs). */
export const layoutSchema: Record<string, unknown> = LAYOUT_SCHEMA;

/** The `regex` format: a pattern JavaScript can compile (the build script copies this function into the generated code). */
/** @public (scripts/build-validators.mjs) */
export function isRegex(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

/** @public (scripts/build-validators.mjs) */
export const LAYOUT_AJV_OPTIONS: Options = {
  allErrors: true,
  verbose: true,
  strict: true,
  strictTypes: false,
  strictRequired: false,
  strictTuples: false,
  logger: false,
};

/** The schema of one projection object, inside the layout schema. */
export const PROJECTION_SCHEMA = { $ref: `${String(layoutSchema.$id)}#/definitions/Projection` };

/** ajv set up for the layout schema; `extra` adds options (the build script's code generation). */
export function createLayoutAjv(extra: Options = {}): Ajv {
  const ajv = createAjv({ ...LAYOUT_AJV_OPTIONS, ...extra });
  ajv.addKeyword({ keyword: MESSAGE_KEYWORD, schemaType: 'string' });
  ajv.addFormat('regex', isRegex);
  return ajv;
}

/** What the generated validators must have been generated from. */
/** @public (scripts/build-validators.mjs) */
export const layoutValidatorsSource = (): unknown => ({
  schema: layoutSchema,
  projection: PROJECTION_SCHEMA,
  options: LAYOUT_AJV_OPTIONS,
  formats: [isRegex.toString()],
});

export interface LayoutValidators {
  layout: ValidateFunction;
  projection: ValidateFunction;
}

let validators: LayoutValidators | undefined;

/** The layout validators: precompiled when the build generated them, else compiled now (once). */
export function layoutValidators(): LayoutValidators {
  if (validators === undefined) {
    const pre = loadPrecompiled<LayoutValidators>('layout', layoutValidatorsSource);
    if (pre !== undefined) validators = { layout: pre.layout, projection: pre.projection };
    else {
      const ajv = createLayoutAjv();
      validators = { layout: ajv.compile(layoutSchema), projection: ajv.compile(PROJECTION_SCHEMA) };
    }
  }
  return validators;
}

/** Every schema violation of a template's JSON value (empty when valid). */
export function schemaErrors(value: unknown): ErrorObject[] {
  const { layout } = layoutValidators();
  return layout(value) ? [] : [...(layout.errors ?? [])];
}

/** Schema violations of one projection object (a start document's `projections[].projection` value). */
export function projectionSchemaErrors(value: unknown): ErrorObject[] {
  const { projection } = layoutValidators();
  return projection(value) ? [] : [...(projection.errors ?? [])];
}
