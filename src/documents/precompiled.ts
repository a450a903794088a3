/**
 * Validators precompiled at build time: scripts/build-validators.mjs writes
 * ajv's standalone code of every schema to dist/validators/NAME.cjs, so a
 * process loads plain functions (a few ms) instead of compiling schemas with
 * ajv (tens of ms per schema, in every process and every decode worker).
 *
 * The core only asks; finding the modules is the Node shell's job
 * (precompiled-node.ts installs the loader). Without a loader (a browser
 * bundle), or when a module is missing or stale, the caller compiles with ajv
 * at run time, as before: validation never depends on the build step.
 */

/**
 * Returns generated module NAME when it exists and was generated from
 * `source()` (the schemas and options it compiles), else undefined.
 */
export type PrecompiledLoader = (name: string, source: () => unknown) => object | undefined;

let loader: PrecompiledLoader = () => undefined;

/** Installs where generated validators are found (the Node shell does, on import of precompiled-node.ts). */
export function setPrecompiledLoader(next: PrecompiledLoader): void {
  loader = next;
}

/** The generated module NAME when the loader finds a current one; else undefined. */
export function loadPrecompiled<T extends object>(name: string, source: () => unknown): T | undefined {
  return loader(name, source) as T | undefined;
}
