/**
 * Template text → Layout: JSON syntax (LAYOUT_JSON), schema (LAYOUT_SCHEMA),
 * the checks of lint/ that fail a template at load (handlebars syntax), then the node tree. Every diagnostic carries
 * the JSON pointer and its line/column in the text.
 */
import { sha256 as sha256Bytes } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { Node } from 'jsonc-parser';
import type { Diagnostic } from '../errors.js';
import { buildGroup } from './build-nodes.js';
import { positionInTree } from './json-pointer.js';
import { parseJsonText } from './json-text.js';
import { checkOnLoad } from './lint/lint-layout.js';
import type { Layout, LayoutResult, MatchRule, StartProjectionRules } from './models.js';
import { schemaErrors } from './schema.js';
import { schemaDiagnostics } from './schema-errors.js';

/** SHA-256 of the text's UTF-8 bytes, hex: @noble/hashes, not node:crypto, so the core runs in a browser too. */
export function sha256(text: string): string {
  return bytesToHex(sha256Bytes(utf8ToBytes(text)));
}

function located(
  diagnostics: Diagnostic[],
  text: string,
  tree: Node | undefined,
  sourcePath: string | undefined,
): Diagnostic[] {
  return diagnostics.map((d) => {
    const position =
      tree !== undefined && d.location.pointer !== undefined && d.location.line === undefined
        ? positionInTree(text, tree, d.location.pointer)
        : {};
    return {
      ...d,
      location: { ...(sourcePath === undefined ? {} : { file: sourcePath }), ...d.location, ...position },
    };
  });
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0);
}

function hasError(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Parse and validate a template. `layout` is set only when no error was found. */
export function parseLayout(text: string, sourcePath?: string): LayoutResult {
  const json = parseJsonText(text, sourcePath);
  const finish = (diagnostics: Diagnostic[], layout?: Layout): LayoutResult => {
    const all = located(diagnostics, text, json.tree, sourcePath).sort(byPosition);
    return layout === undefined || hasError(all) ? { diagnostics: all } : { layout, diagnostics: all };
  };
  if (hasError(json.diagnostics)) return finish(json.diagnostics);

  const errors = schemaErrors(json.value);
  if (errors.length > 0) return finish([...json.diagnostics, ...schemaDiagnostics(errors)]);

  const doc = json.value as Record<string, unknown>;
  const diagnostics = [...json.diagnostics];
  checkOnLoad(doc, diagnostics);
  const root = buildGroup(doc.tree as Record<string, unknown>, '', undefined, '/tree', diagnostics);
  const layout: Layout = {
    name: doc.name as string,
    version: doc.version as string,
    ...(typeof doc.description === 'string' ? { description: doc.description } : {}),
    ...(doc.match === undefined ? {} : { match: doc.match as MatchRule }),
    priority: typeof doc.priority === 'number' ? doc.priority : 0,
    file: doc.file as string,
    root,
    ...(sourcePath === undefined ? {} : { sourcePath }),
    sha256: sha256(text),
    text,
    ...(typeof doc.fallback === 'string' ? { fallback: doc.fallback } : {}),
    ...(doc.start_projections === undefined ? {} : { startProjections: doc.start_projections as StartProjectionRules }),
  };
  return finish(diagnostics, layout);
}
