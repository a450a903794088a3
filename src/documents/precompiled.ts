/**
 * Validators precompiled at build time: scripts/build-validators.mjs writes
 * ajv's standalone code of every schema to dist/validators/NAME.cjs, so a
 * process loads plain functions (a few ms) instead of compiling schemas with
 * ajv (tens of ms per schema, in every process and every decode worker).
 *
 * Each module carries `sourceHash`, the hash of what it was generated from
 * (schemas and ajv options); a missing module (only `tsc` was run) or a stale
 * one (the schemas changed since) is not used: the caller compiles at run
 * time, as before, so validation never depends on the build step.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** From dist/src/documents/ (this module, compiled) to dist/validators/. */
const VALIDATORS_DIR = '../../validators/';

/** The hash recorded in a generated module: of the JSON of what it was generated from. */
export function sourceHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** The generated module NAME when it exists and was generated from what `hash` describes; else undefined. */
export function loadPrecompiled<T extends object>(name: string, hash: string): T | undefined {
  let module: { sourceHash?: unknown };
  try {
    module = require(`${VALIDATORS_DIR}${name}.cjs`) as { sourceHash?: unknown };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
  return module.sourceHash === hash ? (module as T) : undefined;
}
