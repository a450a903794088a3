/**
 * The reference of the built-in calculations, as Markdown, made from the
 * registry: each name with its positional and keyword arguments and its
 * description (docs/calculations.md is this text).
 */
import { createDefaultRegistry, type CalculationRegistry } from './registry.js';
import type { CalculationSpec } from './models.js';

function positional(spec: CalculationSpec): string {
  const { minArgs: min, maxArgs: max } = spec;
  if (max === undefined) return `${min} or more`;
  return min === max ? String(min) : `${min} to ${max}`;
}

function keywords(spec: CalculationSpec): string {
  if (spec.anyKwargs === true) return 'any';
  return spec.kwargs?.length ? spec.kwargs.map((k) => `\`${k}\``).join(', ') : '—';
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

export function calculationsReference(registry: CalculationRegistry = createDefaultRegistry()): string {
  const rows = registry.names().map((name) => {
    const spec = registry.require(name);
    return `| \`${name}\` | ${positional(spec)} | ${keywords(spec)} | ${cell(spec.description)} |`;
  });
  return [
    '# Calculations',
    '',
    "Every calculation a template or a start document's projection can name in",
    '`{"type": "calculated", "calculation": {"callable": NAME, "args": [...], "kwargs": {...}}}`.',
    'They are pure functions registered in code; nothing read from a document is run as code.',
    'This page is generated from the registry by `node scripts/build-calculations-doc.mjs`',
    '(the test suite fails when it is out of date).',
    '',
    'Arguments: a string starting with `$` is a JSONPath into the run (`"$.start.time"`); a projection',
    'object is resolved first; anything else is a literal. With `location: "event"`, `stream` and',
    '`field`, the event column is passed as the first argument (statistics such as `mean` then use',
    'the whole column, even when its rows were streamed to the file).',
    '',
    '| name | positional arguments | keyword arguments | what it gives |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
