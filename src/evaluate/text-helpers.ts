/** The handlebars helpers of template text and `file`. All pure; none reaches outside its arguments. */
import type { HelperOptions } from '../layout/handlebars.js';
import { iso8601 } from './iso-time.js';

type Helper = (...args: unknown[]) => unknown;

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Handlebars passes its options object last; helpers see only the template's arguments. */
function params(args: unknown[]): { values: unknown[]; options: HelperOptions } {
  return { values: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

/** File-name-safe: anything but letters, digits, `.`, `_`, `-` becomes `_`; no `..` tricks. */
function safeText(v: unknown): string {
  const s = text(v).replace(/[^A-Za-z0-9._-]+/g, '_');
  return /^\.+$/.test(s) ? s.replace(/\./g, '_') : s;
}

function padText(v: unknown, width: unknown): string {
  const w = typeof width === 'number' ? width : Number(width);
  const s = text(v);
  if (!Number.isInteger(w) || w <= 0) return s;
  const negative = s.startsWith('-');
  const digits = negative ? s.slice(1) : s;
  return (negative ? '-' : '') + digits.padStart(negative ? w - 1 : w, '0');
}

export const TEXT_HELPERS: Record<string, Helper> = {
  safe: (...a) => safeText(params(a).values[0]),
  pad: (...a) => {
    const { values } = params(a);
    return padText(values[0], values[1] ?? 5);
  },
  default: (...a) => {
    const { values } = params(a);
    return isEmpty(values[0]) ? values[1] : values[0];
  },
  shortuid: (...a) => {
    const { values, options } = params(a);
    const root = options.data?.root as { run?: { uid?: string } } | undefined;
    const uid = values.length > 0 ? values[0] : root?.run?.uid;
    return text(uid).slice(0, 8);
  },
  iso8601: (...a) => {
    const { values } = params(a);
    return isEmpty(values[0]) ? '' : iso8601(values[0], values[1]);
  },
  lower: (...a) => text(params(a).values[0]).toLowerCase(),
  upper: (...a) => text(params(a).values[0]).toUpperCase(),
  json: (...a) => JSON.stringify(params(a).values[0] ?? null),
};

/** Helpers whose first argument may be missing on purpose. */
export const TOLERANT_HELPERS: ReadonlySet<string> = new Set(['default', 'if', 'unless', 'with', 'each', 'lookup']);
