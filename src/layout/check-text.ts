/**
 * Handlebars syntax of every `{{…}}` string of a template (names included),
 * checked at load time so a typo fails in CI, not halfway through a run.
 * Only syntax: whether the names it uses exist depends on the run.
 */
import * as HandlebarsModule from 'handlebars';
import { diagnostic, type Diagnostic } from '../errors.js';
import { joinPointer } from './json-pointer.js';

// handlebars is CommonJS: under ESM its API is the default export; tsconfig has no esModuleInterop.
const Handlebars = (HandlebarsModule as unknown as { default: typeof HandlebarsModule }).default;

function syntaxError(text: string): string | undefined {
  try {
    Handlebars.parse(text);
    return undefined;
  } catch (e) {
    // handlebars puts the position on the first line and what it expected on the last
    const lines = (e instanceof Error ? e.message : String(e)).split('\n').filter((l) => l.trim() !== '');
    return lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : lines[0];
  }
}

function check(text: string, pointer: string, out: Diagnostic[]): void {
  if (!text.includes('{{')) return;
  const error = syntaxError(text);
  if (error !== undefined) {
    out.push(diagnostic('LAYOUT_HANDLEBARS', 'error', `bad handlebars text ${JSON.stringify(text)}: ${error}`, { pointer },
      'handlebars text looks like "{{start.sample_name}}" or "{{pad start.scan_id 5}}": check the braces and quotes'));
  }
}

export function checkTemplateText(value: unknown, pointer: string, out: Diagnostic[] = []): Diagnostic[] {
  if (typeof value === 'string') check(value, pointer, out);
  else if (Array.isArray(value)) value.forEach((item, i) => checkTemplateText(item, joinPointer(pointer, i), out));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const childPointer = joinPointer(pointer, key);
      check(key, childPointer, out);
      checkTemplateText(child, childPointer, out);
    }
  }
  return out;
}
