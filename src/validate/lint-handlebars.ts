/**
 * Handlebars text may call only nxlayout's helpers (and handlebars' own
 * block helpers): `{{pda start.scan_id 5}}` compiles, but fails on every run.
 * Syntax errors are layout/'s (LAYOUT_HANDLEBARS at parse time).
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import { TEXT_HELPERS } from '../evaluate/text-helpers.js';
import { closestKey } from '../layout/did-you-mean.js';
import { handlebars } from '../layout/handlebars.js';
import type { Layout } from '../layout/models.js';
import { stringsOf } from './json-strings.js';

const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log'];
const KNOWN_HELPERS: readonly string[] = [...Object.keys(TEXT_HELPERS), ...BUILTIN_HELPERS].sort();

type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;

/** Helper names a template calls, and partials it uses (`{{> name}}`, never available). */
function helperCalls(text: string): { helpers: string[]; partials: string[] } {
  let program: hbs.AST.Program;
  try {
    program = handlebars.parse(text);
  } catch {
    return { helpers: [], partials: [] }; // a syntax error is reported by layout/
  }
  const helpers: string[] = [];
  const partials: string[] = [];
  const call = (node: Call): void => {
    const path = node.path as hbs.AST.PathExpression;
    const args = node.params.length + (node.hash?.pairs.length ?? 0);
    if (path.type === 'PathExpression' && (args > 0 || KNOWN_HELPERS.includes(path.original)) && !path.data)
      helpers.push(path.original);
    for (const p of node.params) expression(p);
    for (const pair of node.hash?.pairs ?? []) expression(pair.value);
  };
  const expression = (node: hbs.AST.Expression): void => {
    if (node.type === 'SubExpression') call(node as hbs.AST.SubExpression);
  };
  const statements = (body: hbs.AST.Statement[]): void => {
    for (const s of body) {
      if (s.type === 'MustacheStatement') call(s as hbs.AST.MustacheStatement);
      else if (s.type === 'BlockStatement') {
        const block = s as hbs.AST.BlockStatement;
        call(block);
        if (block.program) statements(block.program.body);
        if (block.inverse) statements(block.inverse.body);
      } else if (s.type === 'PartialStatement' || s.type === 'PartialBlockStatement') {
        const name = (s as hbs.AST.PartialStatement).name;
        partials.push(name.type === 'PathExpression' ? (name as hbs.AST.PathExpression).original : '(dynamic)');
      }
    }
  };
  statements(program.body);
  return { helpers, partials };
}

export function lintHandlebars(layout: Layout): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of stringsOf(JSON.parse(layout.text) as unknown)) {
    if (!s.text.includes('{{')) continue;
    const { helpers, partials } = helperCalls(s.text);
    for (const name of helpers) {
      if (KNOWN_HELPERS.includes(name)) continue;
      const meant = closestKey(name, KNOWN_HELPERS);
      out.push(
        diagnostic(
          'LAYOUT_HANDLEBARS',
          'error',
          `unknown handlebars helper "${name}" in ${JSON.stringify(s.text)}` +
            (meant === undefined ? '' : `: did you mean "${meant}"?`),
          { pointer: s.pointer },
          `helpers: ${KNOWN_HELPERS.join(', ')}`,
        ),
      );
    }
    for (const name of partials) {
      out.push(
        diagnostic(
          'LAYOUT_HANDLEBARS',
          'error',
          `handlebars partial "${name}" in ${JSON.stringify(s.text)}: templates have no partials`,
          { pointer: s.pointer },
          'write the text out, or use a helper',
        ),
      );
    }
  }
  return out;
}
