/**
 * Templates from disk: the layout folder's only file-system code.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../errors.js';
import type { Layout, LayoutResult } from './models.js';
import { parseLayout } from './parse.js';

function ioDiagnostic(path: string, e: unknown, what: string): Diagnostic {
  const reason = e instanceof Error ? e.message : String(e);
  return diagnostic(
    'LAYOUT_IO',
    'error',
    `cannot read ${what}: ${reason}`,
    { file: path },
    'check the path and its permissions',
  );
}

/** Read and parse one template file. */
export async function loadLayout(path: string): Promise<LayoutResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { diagnostics: [ioDiagnostic(path, e, 'template')] };
  }
  return parseLayout(text, path);
}

export interface LoadedLayouts {
  /** The templates that parsed without error, in file-name order. */
  layouts: Layout[];
  diagnostics: Diagnostic[];
}

/** Every `*.json` template directly in `dir` (not recursive), in file-name order. */
export async function loadLayouts(dir: string): Promise<LoadedLayouts> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => e.name)
      .sort();
  } catch (e) {
    return { layouts: [], diagnostics: [ioDiagnostic(dir, e, 'template folder')] };
  }
  const layouts: Layout[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of names) {
    const result = await loadLayout(join(dir, name));
    if (result.layout !== undefined) layouts.push(result.layout);
    diagnostics.push(...result.diagnostics);
  }
  const seen = new Map<string, Layout>();
  for (const layout of layouts) {
    const previous = seen.get(layout.name);
    if (previous !== undefined) {
      diagnostics.push(
        diagnostic(
          'LAYOUT_NAME',
          'warning',
          `two templates are named "${layout.name}" (${previous.sourcePath} and ${layout.sourcePath})`,
          { file: layout.sourcePath ?? dir, pointer: '/name' },
          'give each template its own name: runs and provenance name templates by it',
        ),
      );
    }
    seen.set(layout.name, layout);
  }
  return { layouts, diagnostics };
}
