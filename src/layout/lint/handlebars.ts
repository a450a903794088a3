/**
 * Handlebars text: every `{{…}}` string of a template (node names included) is parsed once. A
 * syntax error fails the template at load time (parseLayout), so a typo fails in CI, not halfway
 * through a run. Given the helpers a run has (validate), the text may also call only those and
 * handlebars' own block helpers — `{{pda start.scan_id 5}}` parses, but fails on every run — and no
 * partial. Whether the names it reads exist depends on the run.
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import { joinPointer } from '../../json-pointer.js';
import { closestKey } from '../did-you-mean.js';
import { handlebars } from '../handlebars.js';

const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log'];

type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;

/** handlebars puts the position on the first line of its message and what it expected on the last. */
function syntaxMessage(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split('\n').filter((l) => l.trim() !== '');
  return lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : (lines[0] ?? '');
}

/** Helper names a program calls, and partials it uses (`{{> name}}`, never available). */
function helperCalls(program: hbs.AST.Program, known: readonly string[]): { helpers: string[]; partials: string[] } {
  const helpers: string[] = [];
  const partials: string[] = [];
  const call = (node: Call): void => {
    const path = node.path as hbs.AST.PathExpression;
    const args = node.params.length + (node.hash?.pairs.length ?? 0);
    if (path.type === 'PathExpression' && (args > 0 || known.includes(path.original)) && !path.data)
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

function checkText(text: string, pointer: string, helpers: readonly string[] | undefined, out: Diagnostic[]): void {
  if (!text.includes('{{')) return;
  let program: hbs.AST.Program;
  try {
    program = handlebars.parse(text);
  } catch (e) {
    out.push(
      diagnostic(
        'LAYOUT_HANDLEBARS',
        'error',
        `bad handlebars text ${JSON.stringify(text)}: ${syntaxMessage(e)}`,
        { pointer },
        'handlebars text looks like "{{start.sample_name}}" or "{{pad start.scan_id 5}}": check the braces and quotes',
      ),
    );
    return;
  }
  if (helpers === undefined) return;
  const known = [...helpers, ...BUILTIN_HELPERS].sort();
  const calls = helperCalls(program, known);
  for (const name of calls.helpers) {
    if (known.includes(name)) continue;
    const meant = closestKey(name, known);
    out.push(
      diagnostic(
        'LAYOUT_HANDLEBARS',
        'error',
        `unknown handlebars helper "${name}" in ${JSON.stringify(text)}` +
          (meant === undefined ? '' : `: did you mean "${meant}"?`),
        { pointer },
        `helpers: ${known.join(', ')}`,
      ),
    );
  }
  for (const name of calls.partials) {
    out.push(
      diagnostic(
        'LAYOUT_HANDLEBARS',
        'error',
        `handlebars partial "${name}" in ${JSON.stringify(text)}: templates have no partials`,
        { pointer },
        'write the text out, or use a helper',
      ),
    );
  }
}

/**
 * Every string of `value` (object keys included) at `pointer`: its handlebars syntax, and, given
 * `helpers`, the helpers and partials it calls.
 */
export function lintTemplateText(
  value: unknown,
  pointer: string,
  helpers: readonly string[] | undefined,
  out: Diagnostic[] = [],
): Diagnostic[] {
  if (typeof value === 'string') checkText(value, pointer, helpers, out);
  else if (Array.isArray(value))
    value.forEach((item, i) => {
      lintTemplateText(item, joinPointer(pointer, i), helpers, out);
    });
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const childPointer = joinPointer(pointer, key);
      checkText(key, childPointer, helpers, out);
      lintTemplateText(child, childPointer, helpers, out);
    }
  }
  return out;
}
