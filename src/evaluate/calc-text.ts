/** Text calculations: times, printf-like formatting, joining, JSON. */
import { NxlError } from '../errors.js';
import { iso8601 } from './iso-time.js';
import type { CalculationSpec } from './models.js';

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** `{0}`, `{name}`, `{0:.3f}`, `{0:05d}`, `{0:.2e}`; `{{` and `}}` are literal braces. */
function formatText(
  template: string,
  positional: readonly unknown[],
  named: Readonly<Record<string, unknown>>,
): string {
  return template.replace(
    /\{\{|\}\}|\{([A-Za-z0-9_]+)(?::([^{}]*))?\}/g,
    (whole, key: string | undefined, spec: string | undefined) => {
      if (whole === '{{') return '{';
      if (whole === '}}') return '}';
      const k = key as string;
      const has = /^\d+$/.test(k) ? Number(k) < positional.length : Object.hasOwn(named, k);
      if (!has) {
        throw new NxlError(
          'EVAL_CALCULATION',
          `format: no value for {${k}}`,
          {},
          {
            hint: `${positional.length} positional value(s); names: ${Object.keys(named).join(', ') || 'none'}`,
          },
        );
      }
      const value = /^\d+$/.test(k) ? positional[Number(k)] : named[k];
      return spec === undefined || spec === '' ? text(value) : applySpec(value, spec);
    },
  );
}

function applySpec(value: unknown, spec: string): string {
  const m = /^(0?)(\d*)(?:\.(\d+))?([dfesx]?)$/.exec(spec);
  if (m === null)
    throw new NxlError(
      'EVAL_CALCULATION',
      `format: spec ":${spec}" is not understood`,
      {},
      { hint: 'use :.Nf, :.Ne, :0Nd, :Nd, :x or :s' },
    );
  const [, zero, width, precision, kind] = m;
  const n = typeof value === 'number' ? value : Number(value);
  let out: string;
  switch (kind) {
    case 'f':
      out = n.toFixed(precision === undefined ? 6 : Number(precision));
      break;
    case 'e':
      out = n.toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([+-])(\d)$/, 'e$10$2');
      break;
    case 'd':
      out = String(Math.trunc(n));
      break;
    case 'x':
      out = Math.trunc(n).toString(16);
      break;
    default:
      out = precision !== undefined && typeof value === 'number' ? value.toFixed(Number(precision)) : text(value);
  }
  const w = width === '' ? 0 : Number(width);
  if (out.length >= w) return out;
  if (zero === '0') return out.startsWith('-') ? '-' + out.slice(1).padStart(w - 1, '0') : out.padStart(w, '0');
  return out.padStart(w, ' ');
}

export const TEXT_CALCULATIONS: Record<string, CalculationSpec> = {
  iso8601: {
    minArgs: 1,
    maxArgs: 1,
    kwargs: ['tz'],
    description:
      'iso8601(epoch_seconds, tz=UTC): ISO 8601 text with its time zone; tz in minutes east of UTC or "+HH:MM"',
    fn: ([t], { tz }) => iso8601(t, tz),
  },
  format: {
    minArgs: 1,
    description: 'format(template, *values, **names): `{0}`, `{name}`, `{0:.3f}` substitution',
    fn: ([template, ...values], named) => {
      if (typeof template !== 'string')
        throw new NxlError('EVAL_CALCULATION', 'format: the first argument must be the template text');
      return formatText(template, values, named);
    },
    anyKwargs: true,
  },
  join: {
    minArgs: 1,
    maxArgs: 2,
    description: 'join(list, separator=", ")',
    fn: ([list, sep]) => {
      const items = Array.isArray(list) ? list : [list];
      return items.map(text).join(sep === undefined ? ', ' : text(sep));
    },
  },
  coalesce: {
    minArgs: 1,
    mayBeMissing: 'all',
    description: 'coalesce(a, b, …): the first argument the run has (not missing, null or empty text)',
    fn: (values) => values.find((v) => v !== undefined && v !== null && v !== ''),
  },
  json: {
    minArgs: 1,
    maxArgs: 1,
    description: 'json(value): the value as JSON text',
    fn: ([v]) => JSON.stringify(v ?? null),
  },
};
