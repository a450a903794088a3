/**
 * schemas/layout.schema.json, compiled once at module load (ajv's advice:
 * compile at start-up, validate many times).
 */
import { Ajv, type ErrorObject } from 'ajv';
import { LAYOUT_SCHEMA } from './layout-schema.generated.js';

/** `x-message` is an annotation the schema puts on its nodes: the sentence a person should read when that node fails. */
export const MESSAGE_KEYWORD = 'x-message';

/** schemas/layout.schema.json (embedded by scripts/embed-schemas.mjs). */
export const layoutSchema: Record<string, unknown> = LAYOUT_SCHEMA;

function isRegex(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

const ajv = new Ajv({
  allErrors: true,
  verbose: true,
  strict: true,
  strictTypes: false,
  strictRequired: false,
  strictTuples: false,
  logger: false,
});
ajv.addKeyword({ keyword: MESSAGE_KEYWORD, schemaType: 'string' });
ajv.addFormat('regex', isRegex);

const validate = ajv.compile(layoutSchema);
const validateProjection = ajv.compile({ $ref: `${String(layoutSchema.$id)}#/definitions/Projection` });

/** Every schema violation of a template's JSON value (empty when valid). */
export function schemaErrors(value: unknown): ErrorObject[] {
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** Schema violations of one projection object (a start document's `projections[].projection` value). */
export function projectionSchemaErrors(value: unknown): ErrorObject[] {
  return validateProjection(value) ? [] : [...(validateProjection.errors ?? [])];
}
