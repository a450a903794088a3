/** Numeric calculations. Reductions accept a list of rows or a ColumnSummary (rows drained by the writer). */
import { NxlError } from '../errors.js';
import type { CalculationSpec, ColumnSummary } from './models.js';

function isColumnSummary(v: unknown): v is ColumnSummary {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'column-summary';
}

function fail(message: string): never {
  throw new NxlError('EVAL_CALCULATION', message);
}

function num(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return fail(`${what} must be a number, got ${JSON.stringify(v)}`);
}

/** Apply `fn` to every number of a scalar or nested array, keeping the nesting. */
function elementwise(v: unknown, fn: (x: number) => number): unknown {
  return Array.isArray(v) ? v.map((x) => elementwise(x, fn)) : fn(num(v, 'value'));
}

function numbers(v: unknown, name: string): number[] {
  const flat = Array.isArray(v) ? (v.flat(Infinity) as unknown[]) : [v];
  if (flat.length === 0) fail(`${name} of an empty list`);
  return flat.map((x) => num(x, `${name} element`));
}

function stats(s: ColumnSummary, name: string): NonNullable<ColumnSummary['stats']> {
  if (s.stats === undefined || s.stats.count === 0) {
    fail(`${name} of ${s.stream}/${s.field}: its rows were streamed out and no running summary was kept`);
  }
  return s.stats;
}

function reduce(
  name: string,
  onList: (xs: number[]) => number,
  onStats: (st: NonNullable<ColumnSummary['stats']>) => number,
): CalculationSpec {
  return {
    minArgs: 1,
    maxArgs: 1,
    description: `${name} of all values (of a list, nested list or event column)`,
    fn: ([v]) => (isColumnSummary(v) ? onStats(stats(v, name)) : onList(numbers(v, name))),
  };
}

function pick(name: 'first' | 'last'): CalculationSpec {
  return {
    minArgs: 1,
    maxArgs: 1,
    description: `the ${name} element of a list (the ${name} reading of an event column)`,
    fn: ([v]) => {
      if (isColumnSummary(v)) return v.length === 0 ? fail(`${name} of an empty column`) : v[name];
      if (!Array.isArray(v)) return v;
      if (v.length === 0) fail(`${name} of an empty list`);
      return name === 'first' ? v[0] : v[v.length - 1];
    },
  };
}

export const MATH_CALCULATIONS: Record<string, CalculationSpec> = {
  scale: {
    minArgs: 2,
    maxArgs: 3,
    kwargs: ['offset'],
    description: 'scale(value, factor, offset=0) = value * factor + offset, elementwise',
    fn: ([v, factor, positionalOffset], { offset: keywordOffset }) => {
      if (positionalOffset !== undefined && keywordOffset !== undefined)
        fail('scale: offset given both by position and by keyword');
      const offset = positionalOffset ?? keywordOffset;
      const f = num(factor, 'factor');
      const o = offset === undefined ? 0 : num(offset, 'offset');
      return elementwise(v, (x) => x * f + o);
    },
  },
  offset: {
    minArgs: 2,
    maxArgs: 2,
    description: 'offset(value, offset) = value + offset, elementwise',
    fn: ([v, offset]) => {
      const o = num(offset, 'offset');
      return elementwise(v, (x) => x + o);
    },
  },
  mean: reduce(
    'mean',
    (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
    (st) => st.sum / st.count,
  ),
  min: reduce(
    'min',
    // biome-ignore lint/complexity/useMathMinMax: a NaN reading is passed over; Math.min would return NaN
    (xs) => xs.reduce((a, b) => (b < a ? b : a)),
    (st) => st.min,
  ),
  max: reduce(
    'max',
    // biome-ignore lint/complexity/useMathMinMax: a NaN reading is passed over; Math.max would return NaN
    (xs) => xs.reduce((a, b) => (b > a ? b : a)),
    (st) => st.max,
  ),
  count: {
    minArgs: 1,
    maxArgs: 1,
    description: 'number of elements of a list (events of an event column)',
    fn: ([v]) => (isColumnSummary(v) ? v.length : Array.isArray(v) ? v.length : 1),
  },
  first: pick('first'),
  last: pick('last'),
  add: {
    minArgs: 2,
    maxArgs: 2,
    description: 'add(a, b) = a + b, elementwise over a',
    fn: ([a, b]) => {
      const y = num(b, 'b');
      return elementwise(a, (x) => x + y);
    },
  },
  subtract: {
    minArgs: 2,
    maxArgs: 2,
    description: 'subtract(a, b) = a - b, elementwise over a',
    fn: ([a, b]) => {
      const y = num(b, 'b');
      return elementwise(a, (x) => x - y);
    },
  },
  duration: {
    minArgs: 2,
    maxArgs: 2,
    description: 'duration(start, stop) = stop - start, in seconds (epoch seconds in)',
    fn: ([a, b]) => num(b, 'stop') - num(a, 'start'),
  },
};
