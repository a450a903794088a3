/** Which templates a command uses: `--template FILE`, `--templates DIR`, or the shipped ones. */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { diagnostic, NxlError, type Diagnostic } from '../errors.js';
import type { Layout, LayoutResult } from '../layout/models.js';
import { cachedShippedTemplates, templateTexts, type ShippedTemplates } from './templates-cache.js';

/** The templates/ folder shipped with nxlayout. */
const SHIPPED_TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
const DEFAULT_TEMPLATE = path.join(SHIPPED_TEMPLATES, 'default.json');

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
    throw new NxlError(
      'CLI_USAGE',
      '--template and --templates cannot be used together',
      {},
      { hint: 'use --template FILE for one template, or --templates DIR to choose by `match`' },
    );
  }
  if (choice.template === undefined && choice.templates === undefined) {
    const cached = cachedShippedTemplates(SHIPPED_TEMPLATES);
    if (cached !== undefined) return cached;
  }
  return parseTemplates(choice);
}

/** The shipped templates chosen now, parsed (not from the cache), with their texts: what scripts/build-caches.mjs stores. */
/** @public (scripts/build-caches.mjs) */
export async function shippedTemplatesNow(): Promise<ShippedTemplates> {
  const files = templateTexts(SHIPPED_TEMPLATES);
  const chosen = await parseTemplates({});
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(chosen)), chosen))
    throw new Error('the chosen shipped templates are not plain JSON data: they cannot be cached as JSON');
  return { dir: SHIPPED_TEMPLATES, files, chosen };
}

async function parseTemplates(choice: TemplateChoice): Promise<ChosenTemplates> {
  // The template parser (jsonc-parser, the layout schema, the lint checks) loads only when a template is parsed.
  const { loadLayout, loadLayouts } = await import('../layout/index.js');
  if (choice.template !== undefined) {
    const fallbackResult = await loadLayout(DEFAULT_TEMPLATE);
    const diagnostics: Diagnostic[] = [...fallbackResult.diagnostics];
    const one = await loadLayout(choice.template);
    diagnostics.push(...one.diagnostics);
    failOnErrors(diagnostics);
    const chosen =
      one.layout === undefined
        ? undefined
        : await withFallback(loadLayout, one.layout, [], fallbackResult.layout, diagnostics);
    failOnErrors(diagnostics);
    return { layouts: [], ...(chosen === undefined ? {} : { fallback: chosen }), diagnostics };
  }
  const dir = choice.templates ?? SHIPPED_TEMPLATES;
  const loaded = await loadLayouts(dir);
  const defaultPath = path.resolve(DEFAULT_TEMPLATE);
  // The shipped folder holds the default: parsed once, not again as the fallback.
  const shippedDefault = loaded.layouts.find(
    (l) => l.sourcePath !== undefined && path.resolve(l.sourcePath) === defaultPath,
  );
  const fallbackResult =
    shippedDefault === undefined ? await loadLayout(DEFAULT_TEMPLATE) : { layout: shippedDefault, diagnostics: [] };
  const diagnostics: Diagnostic[] = [...fallbackResult.diagnostics, ...loaded.diagnostics];
  failOnErrors(diagnostics);
  const candidates = loaded.layouts.filter(
    (l) => l.sourcePath === undefined || path.resolve(l.sourcePath) !== defaultPath,
  );
  const layouts: Layout[] = [];
  for (const l of candidates)
    layouts.push(await withFallback(loadLayout, l, candidates, fallbackResult.layout, diagnostics));
  failOnErrors(diagnostics);
  return { layouts, ...(fallbackResult.layout === undefined ? {} : { fallback: fallbackResult.layout }), diagnostics };
}

function failOnErrors(diagnostics: Diagnostic[]): void {
  const first = diagnostics.find((d) => d.severity === 'error');
  if (first !== undefined) {
    throw new NxlError(first.code, first.message, first.location, {
      hint: first.hint ?? 'run `nxlayout validate` on the template for every finding',
    });
  }
}

/**
 * The template a run gets when `layout` fails for it, attached as
 * `fallbackLayout`: its `fallback` (a template name among `siblings`,
 * "default" for the shipped one, or a .json file relative to it), else the
 * shipped default. One level only: a fallback's own `fallback` is not followed.
 */
async function withFallback(
  loadLayout: (file: string) => Promise<LayoutResult>,
  layout: Layout,
  siblings: readonly Layout[],
  shippedDefault: Layout | undefined,
  diagnostics: Diagnostic[],
): Promise<Layout> {
  const named = layout.fallback;
  let fallback: Layout | undefined = shippedDefault;
  if (named !== undefined && named !== 'default') {
    if (named.endsWith('.json')) {
      const file = path.resolve(path.dirname(layout.sourcePath ?? '.'), named);
      const loaded = await loadLayout(file);
      diagnostics.push(...loaded.diagnostics);
      fallback = loaded.layout;
    } else {
      fallback = siblings.find((l) => l.name === named);
      if (fallback === undefined) {
        diagnostics.push(
          diagnostic(
            'LAYOUT_FALLBACK',
            'error',
            `fallback ${JSON.stringify(named)} of template ${layout.name} is not a template here`,
            { file: layout.sourcePath ?? layout.name, pointer: '/fallback' },
            `name one of the templates loaded with it (${siblings.map((l) => l.name).join(', ') || 'none'}), "default", or a .json file relative to the template`,
          ),
        );
      }
    }
  }
  if (fallback === undefined || fallback.sha256 === layout.sha256) return layout;
  return { ...layout, fallbackLayout: fallback };
}

/**
 * The templates of a long-running command (`watch`, `serve`): how to load them
 * again on a change, and the paths to watch for one (the file or folder named;
 * none for the shipped templates).
 */
export function reloadableTemplates(choice: TemplateChoice): {
  loadTemplates: () => Promise<ChosenTemplates>;
  templatePaths: string[];
} {
  const resolved: TemplateChoice = {
    ...(choice.template === undefined ? {} : { template: path.resolve(choice.template) }),
    ...(choice.templates === undefined ? {} : { templates: path.resolve(choice.templates) }),
  };
  const named = resolved.template ?? resolved.templates;
  return { loadTemplates: () => chooseTemplates(resolved), templatePaths: named === undefined ? [] : [named] };
}
