/**
 * Named, side-effect-free calculations. Functions are registered in code
 * (never looked up from a `module:function` string in a document); a
 * template or start document can only name one of them.
 */
import { NxlError } from '../errors.js';
import { MATH_CALCULATIONS } from './calc-math.js';
import { NEXUS_CALCULATIONS } from './calc-nexus.js';
import { TEXT_CALCULATIONS } from './calc-text.js';
import type { CalculationSpec } from './models.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export class CalculationRegistry {
  readonly #specs = new Map<string, CalculationSpec>();

  /** Add a calculation; replacing an existing name needs `{ replace: true }`. */
  register(name: string, spec: CalculationSpec, options: { replace?: boolean } = {}): this {
    if (!NAME.test(name)) {
      throw new NxlError(
        'EVAL_CALCULATION',
        `calculation name ${JSON.stringify(name)} is not valid`,
        {},
        { hint: 'use letters, digits, `_`, `.` or `-`' },
      );
    }
    if (this.#specs.has(name) && options.replace !== true) {
      throw new NxlError(
        'EVAL_CALCULATION',
        `calculation ${name} is already registered`,
        {},
        { hint: 'pass { replace: true } to override it' },
      );
    }
    this.#specs.set(name, spec);
    return this;
  }

  has(name: string): boolean {
    return this.#specs.has(name);
  }

  get(name: string): CalculationSpec | undefined {
    return this.#specs.get(name);
  }

  names(): string[] {
    return [...this.#specs.keys()].sort();
  }

  /** The spec of `name`, or EVAL_UNKNOWN_CALCULATION naming it and listing the known ones. */
  require(name: string): CalculationSpec {
    const spec = this.#specs.get(name);
    if (spec === undefined) {
      throw new NxlError(
        'EVAL_UNKNOWN_CALCULATION',
        `unknown calculation ${JSON.stringify(name)}`,
        {},
        {
          hint: `known calculations: ${this.names().join(', ')}`,
        },
      );
    }
    return spec;
  }

  /** Run `name` on resolved arguments. Every failure is an NxlError (EVAL_UNKNOWN_CALCULATION or EVAL_CALCULATION). */
  call(name: string, args: unknown[], kwargs: Record<string, unknown> = {}): unknown {
    const spec = this.require(name);
    const max = spec.maxArgs;
    if (args.length < spec.minArgs || (max !== undefined && args.length > max)) {
      const want =
        max === undefined ? `at least ${spec.minArgs}` : spec.minArgs === max ? `${max}` : `${spec.minArgs} to ${max}`;
      throw new NxlError(
        'EVAL_CALCULATION',
        `${name} takes ${want} argument(s), got ${args.length}`,
        {},
        { hint: `${name}: ${spec.description}` },
      );
    }
    const unknown = spec.anyKwargs === true ? [] : Object.keys(kwargs).filter((k) => !(spec.kwargs ?? []).includes(k));
    if (unknown.length > 0) {
      throw new NxlError(
        'EVAL_CALCULATION',
        `${name} has no keyword argument ${unknown.join(', ')}`,
        {},
        {
          hint: spec.kwargs?.length
            ? `keyword arguments of ${name}: ${spec.kwargs.join(', ')}`
            : `${name} takes no keyword arguments`,
        },
      );
    }
    try {
      return spec.fn(args, kwargs);
    } catch (e) {
      if (e instanceof NxlError) throw e;
      throw new NxlError(
        'EVAL_CALCULATION',
        `${name} failed: ${(e as Error).message}`,
        {},
        { hint: `${name}: ${spec.description}`, cause: e },
      );
    }
  }
}

/** A registry holding nxlayout's built-in calculations. */
export function createDefaultRegistry(): CalculationRegistry {
  const registry = new CalculationRegistry();
  for (const table of [MATH_CALCULATIONS, TEXT_CALCULATIONS, NEXUS_CALCULATIONS]) {
    for (const [name, spec] of Object.entries(table)) registry.register(name, spec);
  }
  return registry;
}

let shared: CalculationRegistry | undefined;

/** The default registry, made once and shared by every evaluation that is given none. */
export function defaultRegistry(): CalculationRegistry {
  return (shared ??= createDefaultRegistry());
}
