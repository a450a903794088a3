/**
 * The template's `file` renders, for a made-up run, to a relative path that
 * stays under the output root. The made-up run gives every name the text
 * uses a plain value (numbers for times, ids and the arguments of `pad` and
 * `iso8601`), so what can leave the root is the template's own text: a
 * leading `/`, a `..`. Run values that reach the path unfiltered are warned
 * about: a sample name with `/` or `..` would move the file.
 */
import { diagnostic, toDiagnostic, type Diagnostic } from '../../errors.js';
import { isAbsolute, normalize } from '../../paths.js';
import { handlebars } from '../handlebars.js';
import type { Layout } from '../models.js';
import type { LintVocabulary } from './models.js';

/** Helpers whose output cannot hold "/" or "..". */
const FILTERING = new Set(['safe', 'pad', 'shortuid', 'iso8601']);
const NUMERIC_ARGS = new Set(['pad', 'iso8601']);
const NUMERIC_NAME = /(^|\.)(time|scan_id|[a-z_]*_id|[a-z_]*number|index|length)$/;

interface PathUse {
  name: string;
  numeric: boolean;
  /** Printed as is by a top-level `{{…}}`. */
  raw: boolean;
}

function uses(program: hbs.AST.Program): PathUse[] {
  const out: PathUse[] = [];
  const expression = (node: hbs.AST.Expression, helper: string | undefined, top: boolean): void => {
    if (node.type === 'SubExpression') {
      call(node as hbs.AST.SubExpression, false);
      return;
    }
    if (node.type !== 'PathExpression') return;
    const p = node as hbs.AST.PathExpression;
    if (p.data || p.parts.length === 0) return;
    const numeric = (helper !== undefined && NUMERIC_ARGS.has(helper)) || NUMERIC_NAME.test(p.original);
    out.push({ name: p.original, numeric, raw: top && (helper === undefined || !FILTERING.has(helper)) });
  };
  const call = (
    node: hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement,
    top: boolean,
  ): void => {
    const head = node.path as hbs.AST.PathExpression;
    if (node.params.length === 0 && (node.hash?.pairs.length ?? 0) === 0) {
      expression(head, undefined, top && node.type === 'MustacheStatement');
      return;
    }
    for (const param of node.params) expression(param, head.original, top && node.type === 'MustacheStatement');
  };
  const statements = (body: hbs.AST.Statement[]): void => {
    for (const s of body) {
      if (s.type === 'MustacheStatement') call(s as hbs.AST.MustacheStatement, true);
      else if (s.type === 'BlockStatement') {
        const b = s as hbs.AST.BlockStatement;
        call(b, false);
        if (b.program) statements(b.program.body);
        if (b.inverse) statements(b.inverse.body);
      }
    }
  };
  statements(program.body);
  return out;
}

function set(root: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let at = root;
  for (const p of parts.slice(0, -1)) {
    if (typeof at[p] !== 'object' || at[p] === null) at[p] = {};
    at = at[p] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]] = value;
}

/** A run context with a plain value for every name `file` uses. */
function sampleContext(template: string): { context: Record<string, unknown>; uses: PathUse[] } {
  const found = uses(handlebars.parse(template));
  const context: Record<string, unknown> = {
    run: { uid: '0123456789abcdef0123456789abcdef', short_uid: '01234567', scan_id: 1 },
  };
  for (const u of found) set(context, u.name, u.numeric ? 1 : 'sample');
  return { context, uses: found };
}

/** Why a rendered output path would be refused, if it would. */
export function outputPathProblem(rendered: string): string | undefined {
  if (rendered.trim() === '') return 'renders to nothing';
  if (isAbsolute(rendered) || /^[A-Za-z]:[\\/]/.test(rendered) || rendered.startsWith('\\')) return 'is absolute';
  const normal = normalize(rendered.replace(/\\/g, '/'));
  if (normal === '..' || normal.startsWith('../')) return 'leaves the output root';
  if (normal === '.' || normal.endsWith('/')) return 'names a folder, not a file';
  return undefined;
}

export function lintFilePath(layout: Layout, render: LintVocabulary['render']): Diagnostic[] {
  const where = { pointer: '/file' };
  let sample: ReturnType<typeof sampleContext>;
  let rendered: string;
  try {
    sample = sampleContext(layout.file);
    rendered = render(layout.file, sample.context).trim();
  } catch (e) {
    return [{ ...toDiagnostic(e), location: where }];
  }
  const out: Diagnostic[] = [];
  const problem = outputPathProblem(rendered);
  if (problem !== undefined) {
    out.push(
      diagnostic(
        'LAYOUT_FILE_PATH',
        'error',
        `file ${JSON.stringify(layout.file)} ${problem} (for a sample run: ${JSON.stringify(rendered)})`,
        where,
        'the output path is relative to the output root: no leading "/", no "..", and a file name at the end',
      ),
    );
  }
  for (const u of sample.uses.filter((x) => x.raw)) {
    out.push(
      diagnostic(
        'LAYOUT_FILE_PATH',
        'warning',
        `file ${JSON.stringify(layout.file)} puts ${u.name} into the path unfiltered: ` +
          'a value with "/" or ".." would move or refuse the file',
        where,
        `use {{safe ${u.name}}} (or {{pad …}} for numbers) unless the value is meant to name a sub-folder`,
      ),
    );
  }
  return out;
}
