import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { diagnostic, NxlError } from '../errors.js';
import type { Diagnostic, Location } from '../errors.js';
import { loadEventModelSchema, SCHEMA_FILES } from './event-model-schemas.js';
import { DOC_NAMES } from './models.js';
import type { DocName, DocumentSource, NamedDocument } from './models.js';

// The seed schemas carry no $schema and mix draft-07 with $defs and keywords
// beside $ref; Ajv 8's default dialect evaluates both. strict: false because
// strict mode rejects them as written: properties that also match the
// patternProperties "^([^./]+)$" (descriptor, stop) and additionalProperties
// without "type": "object" in the recursive DataType (start).
const ajv = new Ajv({ strict: false, allErrors: false });
const compiled = new Map<DocName, ValidateFunction>();

function validatorFor(name: DocName): ValidateFunction {
  let validate = compiled.get(name);
  if (validate === undefined) {
    try {
      validate = ajv.compile(loadEventModelSchema(name));
    } catch (e) {
      throw new NxlError('INTERNAL', `cannot load the event-model schema for ${name} documents: ${e instanceof Error ? e.message : String(e)}`,
        { file: `schemas/event-model/${SCHEMA_FILES[name]}` }, { hint: 'reinstall nxlayout or regenerate the schemas with scripts/extract-event-model-schemas.mjs', cause: e });
    }
    compiled.set(name, validate);
  }
  return validate;
}

/** Compile every schema now (e.g. at daemon start) instead of on first use. */
export function compileEventModelSchemas(): void {
  for (const name of DOC_NAMES) validatorFor(name);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function documentId(named: NamedDocument): string | undefined {
  const doc = named.doc as unknown as Record<string, unknown>;
  const id = named.name === 'datum' ? doc.datum_id : doc.uid;
  return typeof id === 'string' ? id : undefined;
}

function describeError(e: ErrorObject): { pointer: string; what: string; hint?: string } {
  const where = e.instancePath === '' ? 'the document' : e.instancePath;
  switch (e.keyword) {
    case 'required':
      return { pointer: e.instancePath, what: `${where} lacks the required field "${String(e.params.missingProperty)}"`, hint: 'the producer must write this field' };
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      return {
        pointer: `${e.instancePath}/${escapePointer(key)}`,
        what: `${where} has a field "${key}" that the schema does not allow here`,
        hint: /[./]/.test(key) ? 'event-model metadata keys must not contain "." or "/"' : 'event-model allows no other field here',
      };
    }
    case 'enum':
      return { pointer: e.instancePath, what: `${where} must be one of ${JSON.stringify(e.params.allowedValues)}`, hint: 'use one of the allowed values' };
    default:
      return { pointer: e.instancePath, what: `${where} ${e.message ?? 'is invalid'}` };
  }
}

/**
 * Check a document against its event-model schema (seeds/002). Returns one
 * DOC_SCHEMA diagnostic per problem found (Ajv stops at the first), located
 * by JSON Pointer into the document and, when given, by its place in the log.
 */
export function validateDocument(named: NamedDocument, at?: DocumentSource): Diagnostic[] {
  const validate = validatorFor(named.name);
  if (validate(named.doc)) return [];
  const uid = documentId(named);
  const document = uid === undefined ? { name: named.name } : { name: named.name, uid };
  return (validate.errors ?? []).map((e) => {
    const { pointer, what, hint } = describeError(e);
    const location: Location = { pointer, document };
    if (at !== undefined) {
      location.file = at.log;
      location.item = at.item;
      location.offset = at.offset;
      if (at.line !== undefined) location.line = at.line;
    }
    const schema = `the ${named.name} schema is schemas/event-model/${SCHEMA_FILES[named.name]}`;
    const fullHint = hint === undefined ? schema : `${hint}; ${schema}`;
    return diagnostic('DOC_SCHEMA', 'error', `invalid ${named.name} document: ${what}`, location, fullHint);
  });
}
