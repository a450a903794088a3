/**
 * The template checks that need no run, in one place, at their two moments:
 * - at load (parseLayout, for every command and the API): what must fail a template before any run
 *   reads it — the handlebars syntax of the strings a run renders (`file` and `tree`);
 * - `validate` (lintLayout): those again with the helper names, then JSONPaths, calculations,
 *   links, NeXus classes, NXdata, the root's groups and the output path.
 * JSON syntax and the schema are parseLayout's own (json-text.ts, schema-errors.ts); runs planned
 * against a template and the NeXus application definitions are validate/'s. Pure: diagnostics carry
 * pointers, not positions.
 */
import type { Diagnostic } from '../../errors.js';
import type { Layout } from '../models.js';
import { lintCalculations } from './calculations.js';
import { lintFilePath } from './file-path.js';
import { lintTemplateText } from './handlebars.js';
import { lintJsonPaths } from './jsonpath.js';
import { lintLinks } from './links.js';
import type { LintVocabulary } from './models.js';
import { lintNxClasses, lintNxdata, lintRootGroups } from './nx.js';

/** The strings a run renders: the output path and the tree (node names included). */
function renderedTexts(doc: Record<string, unknown>, helpers: readonly string[] | undefined, out: Diagnostic[]): void {
  lintTemplateText(doc.file, '/file', helpers, out);
  lintTemplateText(doc.tree, '/tree', helpers, out);
}

/** At load: the checks whose failure refuses the template (`doc` passed the schema). */
export function checkOnLoad(doc: Record<string, unknown>, out: Diagnostic[]): void {
  renderedTexts(doc, undefined, out);
}

/** Every check that needs no run (a loaded template, so the load checks passed). */
export function lintLayout(layout: Layout, vocabulary: LintVocabulary): Diagnostic[] {
  const out: Diagnostic[] = [];
  renderedTexts(JSON.parse(layout.text) as Record<string, unknown>, vocabulary.helpers, out);
  return [
    ...out,
    ...lintJsonPaths(layout),
    ...lintCalculations(layout, vocabulary.calculations),
    ...lintLinks(layout),
    ...lintNxClasses(layout, vocabulary.nxClasses),
    ...lintNxdata(layout),
    ...lintRootGroups(layout),
    ...lintFilePath(layout, vocabulary.render),
  ];
}
