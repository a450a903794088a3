/** Which templates a command uses: `--template FILE`, `--templates DIR`, or the shipped ones. */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { NxlError, type Diagnostic } from '../errors.js';
import { loadLayout, loadLayouts } from '../layout/index.js';
import type { Layout } from '../layout/models.js';

/** The templates/ folder shipped with nxlayout. */
export const SHIPPED_TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
export const DEFAULT_TEMPLATE = path.join(SHIPPED_TEMPLATES, 'default.json');

export interface TemplateChoice {
  template?: string;
  templates?: string;
}

export interface ChosenTemplates {
  layouts: Layout[];
  fallback?: Layout;
  diagnostics: Diagnostic[];
}

/**
 * `--template FILE`: that template for every run. `--templates DIR`: the best
 * match among DIR's templates, else the shipped default. Neither: the shipped
 * templates, the default as the fallback. A template that does not parse stops
 * the command (a beamline must not get files from a half-read layout).
 */
export async function chooseTemplates(choice: TemplateChoice): Promise<ChosenTemplates> {
  if (choice.template !== undefined && choice.templates !== undefined) {
    throw new NxlError('CLI_USAGE', '--template and --templates cannot be used together', {}, { hint: 'use --template FILE for one template, or --templates DIR to choose by `match`' });
  }
  const fallbackResult = await loadLayout(DEFAULT_TEMPLATE);
  const diagnostics: Diagnostic[] = [...fallbackResult.diagnostics];
  if (choice.template !== undefined) {
    const one = await loadLayout(choice.template);
    diagnostics.push(...one.diagnostics);
    failOnErrors(diagnostics);
    return { layouts: [], ...(one.layout === undefined ? {} : { fallback: one.layout }), diagnostics };
  }
  const dir = choice.templates ?? SHIPPED_TEMPLATES;
  const loaded = await loadLayouts(dir);
  diagnostics.push(...loaded.diagnostics);
  failOnErrors(diagnostics);
  const defaultPath = path.resolve(DEFAULT_TEMPLATE);
  const layouts = loaded.layouts.filter((l) => l.sourcePath === undefined || path.resolve(l.sourcePath) !== defaultPath);
  return { layouts, ...(fallbackResult.layout === undefined ? {} : { fallback: fallbackResult.layout }), diagnostics };
}

function failOnErrors(diagnostics: Diagnostic[]): void {
  const first = diagnostics.find((d) => d.severity === 'error');
  if (first !== undefined) {
    throw new NxlError(first.code, first.message, first.location, { hint: first.hint ?? 'run `nxlayout validate` on the template for every finding' });
  }
}
