/**
 * Where ajv comes from when a schema must be compiled at run time (no
 * precompiled validator: a tree built without the build step, a stale one).
 * Validation itself runs the plain functions generated at build time
 * (precompiled.ts), so a process need not load ajv at all (~50–90 ms): the
 * Node shell installs a factory that loads it on first use
 * (precompiled-node.ts); the core's entry (src/index.ts) installs one with
 * ajv imported, for bundles.
 */
import type { Ajv, Options } from 'ajv';

export type AjvFactory = (options: Options) => Ajv;

let factory: AjvFactory | undefined;

/** Installs how an Ajv is made (the last installed wins). */
export function setAjvFactory(next: AjvFactory): void {
  factory = next;
}

/** A new Ajv with `options`, from the installed factory. */
export function createAjv(options: Options): Ajv {
  if (factory === undefined) {
    throw new Error(
      'no ajv factory installed: import nxlayout (src/index.ts) or nxlayout/node (src/node.ts), which install one',
    );
  }
  return factory(options);
}
