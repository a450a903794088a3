/**
 * The output path: the template's `file` rendered against the run. A key the
 * run lacks is an error naming it (`start.user_dir`), as is an empty result.
 * Whether the path stays under the output root is nexus/'s check, not this one.
 */
import { diagnostic, toDiagnostic, type Diagnostic, type ErrorCode } from '../errors.js';
import type { Layout } from '../layout/models.js';
import type { Run } from '../run/models.js';
import { buildContext } from './context.js';
import { listHint } from './env.js';
import { missingPaths, renderText } from './text.js';

export function renderFilePath(
  layout: Layout,
  run: Run,
  version?: string,
): { path?: string; diagnostics: Diagnostic[] } {
  const context = buildContext(run, {}, version);
  const where = {
    pointer: '/file',
    run: run.uid,
    ...(layout.sourcePath === undefined ? {} : { file: layout.sourcePath }),
  };
  const diagnostics: Diagnostic[] = [];
  for (const path of missingPaths(layout.file, context)) {
    const [doc] = path.split('.');
    const code: ErrorCode =
      doc === 'start'
        ? 'EVAL_START_MISSING'
        : doc === 'stop' && run.stop === undefined
          ? 'EVAL_DOCUMENT_MISSING'
          : 'EVAL_TEMPLATE_TEXT';
    const keys =
      doc === 'start'
        ? listHint('start keys', Object.keys(run.start))
        : listHint('run context keys', Object.keys(context));
    diagnostics.push(
      diagnostic(
        code,
        'error',
        `the file name ${JSON.stringify(layout.file)} uses ${path}, which the run does not have`,
        where,
        `give it in the run's metadata, or use {{default ${path} "fallback"}}; ${keys}`,
      ),
    );
  }
  let path: string | undefined;
  try {
    path = renderText(layout.file, context).trim();
  } catch (e) {
    diagnostics.push({ ...toDiagnostic(e), location: where });
  }
  if (path === '') {
    diagnostics.push(
      diagnostic(
        'EVAL_TEMPLATE_TEXT',
        'error',
        `the file name ${JSON.stringify(layout.file)} renders to nothing`,
        where,
        'the file name needs at least one character',
      ),
    );
  }
  if (diagnostics.some((d) => d.severity === 'error') || path === undefined) return { diagnostics };
  return { path, diagnostics };
}
