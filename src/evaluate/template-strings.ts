/**
 * Strings under a projection may use handlebars (`"stream": "{{stream}}"` under
 * a repeat): they are rendered against the run context before the projection
 * is resolved. Strings without `{{` are left exactly as written.
 */
import { isTemplateText, renderText } from './text.js';

export function renderStrings<T>(value: T, context: object): T {
  return walk(value, context) as T;
}

function walk(v: unknown, context: object): unknown {
  if (typeof v === 'string') return isTemplateText(v) ? renderText(v, context) : v;
  if (Array.isArray(v)) {
    const out = v.map((x) => walk(x, context));
    return out.every((x, i) => x === v[i]) ? v : out;
  }
  if (typeof v === 'object' && v !== null) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const y = walk(x, context);
      if (y !== x) changed = true;
      out[k] = y;
    }
    return changed ? out : v;
  }
  return v;
}
