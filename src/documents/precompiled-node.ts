/**
 * Node shell: finds the validators scripts/build-validators.mjs generated in
 * dist/validators/ (see precompiled.ts). Importing this module installs the
 * loader; the barrels of documents/ and layout/, the decode worker and
 * src/node.ts import it.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass } from 'ajv';
import { setAjvFactory } from './ajv-factory.js';
import { setPrecompiledLoader } from './precompiled.js';

const require = createRequire(import.meta.url);
/** From dist/src/documents/ (this module, compiled) to dist/validators/. */
const VALIDATORS_DIR = '../../validators/';

/** The hash a generated module records: of the JSON of what it was generated from. */
/** @public (scripts/build-validators.mjs) */
export function sourceHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

setPrecompiledLoader((name, source) => {
  let module: { sourceHash?: unknown };
  try {
    module = require(`${VALIDATORS_DIR}${name}.cjs`) as { sourceHash?: unknown };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
  return module.sourceHash === sourceHash(source()) ? module : undefined;
});

// ajv itself only when a schema must be compiled here (a validator missing or stale): not at start-up.
setAjvFactory((options) => {
  const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
  return new Ajv(options);
});
