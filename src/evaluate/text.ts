/**
 * Handlebars text rendered against the run context, in layout/handlebars' environment (no
 * global helpers leak in or out), strict off, no HTML escaping, each
 * template string compiled once.
 */
import { NxlError } from '../errors.js';
import { handlebars, type HelperDelegate, type TemplateDelegate } from '../layout/handlebars.js';
import { TEXT_HELPERS, TOLERANT_HELPERS } from './text-helpers.js';

const hbs = handlebars;
for (const [name, fn] of Object.entries(TEXT_HELPERS)) hbs.registerHelper(name, fn as HelperDelegate);

const compiled = new Map<string, TemplateDelegate>();
const parsed = new Map<string, hbs.AST.Program>();

export function isTemplateText(s: string): boolean {
  return s.includes('{{');
}

/** Render `template` against `context`; a syntax error or failing helper is EVAL_TEMPLATE_TEXT. */
export function renderText(template: string, context: object): string {
  let fn = compiled.get(template);
  try {
    if (fn === undefined) {
      fn = hbs.compile(template, { strict: false, noEscape: true });
      compiled.set(template, fn);
    }
    return fn(context);
  } catch (e) {
    if (e instanceof NxlError) throw e;
    throw new NxlError(
      'EVAL_TEMPLATE_TEXT',
      `cannot render ${JSON.stringify(template)}: ${(e as Error).message}`,
      {},
      {
        hint: `helpers: ${Object.keys(TEXT_HELPERS).join(', ')}`,
        cause: e,
      },
    );
  }
}

/**
 * The data paths a template reads that are missing (undefined or null) from
 * `context`, e.g. `start.user_dir`. Arguments of `default` and of block
 * helpers are allowed to be missing; paths inside blocks are not checked
 * (their context changes).
 */
export function missingPaths(template: string, context: object): string[] {
  let program = parsed.get(template);
  if (program === undefined) {
    try {
      program = hbs.parse(template);
    } catch {
      return []; // renderText reports the syntax error
    }
    parsed.set(template, program);
  }
  const body = program.body;
  const missing: string[] = [];
  const check = (node: hbs.AST.Expression): void => {
    if (node.type === 'SubExpression') {
      checkCall(node as hbs.AST.SubExpression);
      return;
    }
    if (node.type !== 'PathExpression') return;
    const path = node as hbs.AST.PathExpression;
    if (path.data || path.depth > 0 || path.parts.length === 0) return;
    if (!resolves(context, path.parts) && !missing.includes(path.original)) missing.push(path.original);
  };
  const checkCall = (call: hbs.AST.MustacheStatement | hbs.AST.SubExpression): void => {
    const head = call.path as hbs.AST.PathExpression;
    const name = head.original;
    const isHelper = call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0 || name in TEXT_HELPERS;
    if (!isHelper) {
      check(call.path);
      return;
    }
    if (TOLERANT_HELPERS.has(name)) return;
    call.params.forEach(check);
  };
  for (const stmt of body) {
    if (stmt.type === 'MustacheStatement') checkCall(stmt as hbs.AST.MustacheStatement);
  }
  return missing;
}

function resolves(context: object, parts: string[]): boolean {
  let at: unknown = context;
  for (const p of parts) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, p)) return false;
    at = (at as Record<string, unknown>)[p];
  }
  return at !== undefined && at !== null;
}
