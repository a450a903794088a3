import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import { createAjv } from './ajv-factory.js';
import { diagnostic, NxlError } from '../errors.js';
import { joinPointer } from '../json-pointer.js';
import type { Diagnostic, Location } from '../errors.js';
import { loadEventModelSchema, SCHEMA_FILES } from './event-model-schemas.js';
import { usableSchema } from './document-policy.js';
import { loadPrecompiled } from './precompiled.js';
import { DOC_NAMES } from './models.js';
import type { DocName, DocumentSource, NamedDocument } from './models.js';

// The seed schemas carry no $schema and mix draft-07 with $defs and keywords
// beside $ref; Ajv 8's default dialect evaluates both. strict: false because
// strict mode rejects them as written: properties that also match the
// patternProperties "^([^./]+)$" (descriptor, stop) and additionalProperties
// without "type": "object" in the recursive DataType (start).
/** @public (scripts/build-validators.mjs) */
export const EVENT_MODEL_AJV_OPTIONS: Options = { strict: false, allErrors: false };

/**
 * Three validators per document type: the schema as published (`exact`); the
 * same with every `additionalProperties: false` lifted and only the essential
 * top-level fields required (`usable`: what nxlayout needs to use the
 * document, see documentPolicy.ts); and `exact` again with all errors listed,
 * used only when a document fails `exact` but passes `usable`. Each is
 * precompiled at build time (scripts/build-validators.mjs: `exact_NAME` and
 * `usable_NAME` in dist/validators/event-model.cjs, `all_NAME` in
 * event-model-all.cjs), else compiled with ajv on first use.
 */
export type ValidatorMode = 'exact' | 'usable' | 'all';
const compiled = new Map<string, ValidateFunction>();

/** The schema each validator checks, by export name (`exact_start`, `usable_start`, `all_start`…). */
export function eventModelSchemas(modes: readonly ValidatorMode[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const mode of modes) {
    for (const name of DOC_NAMES) {
      const schema = loadEventModelSchema(name);
      out[`${mode}_${name}`] = mode === 'usable' ? usableSchema(name, schema) : schema;
    }
  }
  return out;
}

/** The generated modules: exact and usable (stops at the first error), all (lists every error). */
export const EVENT_MODEL_MODULES = [
  { name: 'event-model', modes: ['exact', 'usable'], options: EVENT_MODEL_AJV_OPTIONS },
  { name: 'event-model-all', modes: ['all'], options: { ...EVENT_MODEL_AJV_OPTIONS, allErrors: true } },
] as const satisfies readonly { name: string; modes: readonly ValidatorMode[]; options: Options }[];

/** What a generated module must have been generated from (its hash is recorded in the module). */
export function eventModelSource(module: (typeof EVENT_MODEL_MODULES)[number]): unknown {
  return { schemas: eventModelSchemas(module.modes), options: module.options };
}

/** ajv set up for the event-model schemas; `extra` adds options (the build script's code generation). */
export function createEventModelAjv(options: Options, extra: Options = {}): Ajv {
  return createAjv({ ...options, ...extra });
}

const precompiled = new Map<string, Record<string, ValidateFunction> | null>();
const runtimeAjv = new Map<string, Ajv>();

function validatorFor(name: DocName, mode: ValidatorMode = 'exact'): ValidateFunction {
  const key = `${mode}_${name}`;
  let validate = compiled.get(key);
  if (validate === undefined) {
    try {
      const module = EVENT_MODEL_MODULES.find((m) => (m.modes as readonly ValidatorMode[]).includes(mode))!;
      let generated = precompiled.get(module.name);
      if (generated === undefined) {
        generated =
          loadPrecompiled<Record<string, ValidateFunction>>(module.name, () => eventModelSource(module)) ?? null;
        precompiled.set(module.name, generated);
      }
      validate = generated?.[key];
      if (validate === undefined) {
        let ajv = runtimeAjv.get(module.name);
        if (ajv === undefined) runtimeAjv.set(module.name, (ajv = createEventModelAjv(module.options)));
        const schema = loadEventModelSchema(name);
        validate = ajv.compile(mode === 'usable' ? usableSchema(name, schema) : schema);
      }
    } catch (e) {
      throw new NxlError(
        'INTERNAL',
        `cannot load the event-model schema for ${name} documents: ${e instanceof Error ? e.message : String(e)}`,
        { file: `schemas/event-model/${SCHEMA_FILES[name]}` },
        { hint: 'reinstall nxlayout or regenerate the schemas with scripts/extract-event-model-schemas.mjs', cause: e },
      );
    }
    compiled.set(key, validate);
  }
  return validate;
}

/** The hint of a usable document outside the schema; the router rewrites it under --strict. */
export const KEPT = 'written by another event-model version? the document is usable and was kept (--strict drops it)';

function documentId(named: NamedDocument): string | undefined {
  const doc = named.doc as unknown as Record<string, unknown>;
  const id = named.name === 'datum' ? doc.datum_id : doc.uid;
  return typeof id === 'string' ? id : undefined;
}

function describeError(e: ErrorObject): { pointer: string; what: string; hint?: string } {
  const where = e.instancePath === '' ? 'the document' : e.instancePath;
  switch (e.keyword) {
    case 'required':
      return {
        pointer: e.instancePath,
        what: `${where} lacks the required field "${String(e.params.missingProperty)}"`,
        hint: 'the producer must write this field',
      };
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      return {
        pointer: joinPointer(e.instancePath, key),
        what: `${where} has a field "${key}" that the schema does not allow here`,
        hint: /[./]/.test(key)
          ? 'event-model metadata keys must not contain "." or "/"'
          : 'event-model allows no other field here',
      };
    }
    case 'enum':
      return {
        pointer: e.instancePath,
        what: `${where} must be one of ${JSON.stringify(e.params.allowedValues)}`,
        hint: 'use one of the allowed values',
      };
    default:
      return { pointer: e.instancePath, what: `${where} ${e.message ?? 'is invalid'}` };
  }
}

/**
 * Check a document against its event-model schema (seeds/002), located by
 * JSON Pointer into the document and, when given, by its place in the log.
 *
 * A document the schema refuses only for fields it does not know or for
 * non-essential fields it lacks (older and newer event-model versions) is
 * still usable: one DOC_SCHEMA *warning* per such problem, and the document
 * is kept. Otherwise one DOC_SCHEMA *error* (Ajv stops at the first): the
 * document cannot be used. The router turns the warnings into errors under
 * --strict (event-model's schema, exactly).
 */
export function validateDocument(named: NamedDocument, at?: DocumentSource): Diagnostic[] {
  if (validatorFor(named.name)(named.doc)) return [];
  const usable = validatorFor(named.name, 'usable');
  if (!usable(named.doc)) return diagnosticsOf(named, at, usable.errors ?? [], 'error');
  const all = validatorFor(named.name, 'all');
  all(named.doc);
  return diagnosticsOf(named, at, all.errors ?? [], 'warning');
}

function diagnosticsOf(
  named: NamedDocument,
  at: DocumentSource | undefined,
  errors: ErrorObject[],
  severity: 'error' | 'warning',
): Diagnostic[] {
  const uid = documentId(named);
  const document = uid === undefined ? { name: named.name } : { name: named.name, uid };
  return errors.map((e) => {
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
    if (severity === 'error')
      return diagnostic('DOC_SCHEMA', 'error', `invalid ${named.name} document: ${what}`, location, fullHint);
    return diagnostic(
      'DOC_SCHEMA',
      'warning',
      `${named.name} document outside the event-model schema: ${what}`,
      location,
      `${KEPT}; ${fullHint}`,
    );
  });
}
