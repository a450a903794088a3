/**
 * One template, every check: JSON and schema (layout/), the checks that need
 * no run (layout/lint/), the NeXus definitions it claims, and, given runs, the plan of each
 * run it is for. Findings are located in the template (file, line, column,
 * pointer) wherever they have a pointer into it.
 */
import type { Diagnostic } from '../errors.js';
import type { CalculationRegistry } from '../evaluate/registry.js';
import { TEXT_HELPERS } from '../evaluate/text-helpers.js';
import { renderText } from '../evaluate/text.js';
import { positionOf } from '../layout/json-pointer.js';
import type { Layout } from '../layout/models.js';
import { lintLayout } from '../layout/lint/lint-layout.js';
import type { LintVocabulary } from '../layout/lint/models.js';
import { parseLayout } from '../layout/parse.js';
import type { Run } from '../run/models.js';
import { checkAgainstRuns } from './against-runs.js';
import { checkDefinitions } from './check-definitions.js';
import type { Finding, NxdlDigest } from './models.js';
import { shapeOfLayout } from './shape-tree.js';

export interface ValidateOptions {
  registry: CalculationRegistry;
  digest: NxdlDigest;
  /** `--definition NXname`: applied to every entry, besides those the template names. */
  definitions?: readonly string[];
  /** `--against`: runs to plan; undefined = no run check. */
  runs?: readonly Run[];
  /** nxlayout's version, as the plan records it. */
  version?: string;
  /** Report names the base classes do not define (info findings; `--verbose`). */
  unknownNames?: boolean;
}

/** Add file, line and column from the template text to findings that point into it. */
function locate(diagnostics: readonly Diagnostic[], text: string, file: string | undefined): Finding[] {
  return diagnostics.map((d) => {
    const pointer = d.location.pointer;
    // pointers under /projections/ are into the run's start document (its own projections), not the template
    const intoTemplate = pointer !== undefined && !pointer.startsWith('/projections/');
    const position = intoTemplate && d.location.line === undefined ? positionOf(text, pointer) : {};
    const fileOf = d.location.file ?? (intoTemplate || pointer === undefined ? file : undefined);
    return { ...d, location: { ...d.location, ...(fileOf === undefined ? {} : { file: fileOf }), ...position } };
  });
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

function order(a: Finding, b: Finding): number {
  // template findings by position; run findings after them, run by run
  const runA = a.location.run ?? '';
  const runB = b.location.run ?? '';
  if (runA !== runB) return runA === '' ? -1 : runB === '' ? 1 : 0;
  return (
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    (a.location.column ?? 0) - (b.location.column ?? 0) ||
    RANK[a.severity] - RANK[b.severity]
  );
}

/** What the template checks of layout/lint/ need from evaluate/ and the NeXus definitions. */
function vocabulary(options: ValidateOptions): LintVocabulary {
  return {
    helpers: Object.keys(TEXT_HELPERS),
    calculations: options.registry,
    nxClasses: { names: Object.keys(options.digest.definitions), version: options.digest.version },
    render: renderText,
  };
}

function validateLayout(layout: Layout, options: ValidateOptions): Finding[] {
  const definitions = options.definitions ?? [];
  const found: Diagnostic[] = [...lintLayout(layout, vocabulary(options))];
  const runs = options.runs ?? [];
  const against =
    runs.length > 0
      ? checkAgainstRuns(layout, runs, {
          registry: options.registry,
          digest: options.digest,
          definitions,
          version: options.version ?? 'unknown',
          unknownNames: options.unknownNames === true,
        })
      : undefined;
  if (against !== undefined) found.push(...against.diagnostics);
  // without a planned run, the template's own tree is what the definitions are checked against
  if (against === undefined || against.planned === 0)
    found.push(
      ...checkDefinitions(shapeOfLayout(layout.root), options.digest, definitions, {
        unknownNames: options.unknownNames === true,
      }).diagnostics,
    );
  return locate(found, layout.text, layout.sourcePath);
}

/** Validate template text; `file` names it in findings. */
export function validateTemplate(text: string, file: string | undefined, options: ValidateOptions): Finding[] {
  const parsed = parseLayout(text, file);
  if (parsed.layout === undefined) return parsed.diagnostics;
  const stable = [...parsed.diagnostics, ...validateLayout(parsed.layout, options)];
  return stable.sort(order);
}
