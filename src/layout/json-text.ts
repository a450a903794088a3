/**
 * Template text → JSON value, with syntax errors and duplicate keys reported
 * at their line and column (JSON.parse would silently keep the last duplicate).
 */
import { parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { diagnostic, type Diagnostic } from '../errors.js';
import { joinPointer } from '../json-pointer.js';
import { offsetToPosition } from './json-pointer.js';

export interface ParsedJson {
  value?: unknown;
  tree?: Node;
  diagnostics: Diagnostic[];
}

const SYNTAX_HINT =
  'templates are strict JSON: double-quoted keys and strings, no comments (use "$comment"), no trailing commas';

function syntaxMessage(error: ParseError): string {
  // 'CommaExpected' → 'comma expected'
  const words = printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `JSON syntax error: ${words}`;
}

export function parseJsonText(text: string, file?: string): ParsedJson {
  const errors: ParseError[] = [];
  const options = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };
  const value: unknown = parse(text, errors, options);
  const at = (offset: number) => ({ ...(file === undefined ? {} : { file }), ...offsetToPosition(text, offset) });
  if (errors.length > 0) {
    // after the first syntax error the parser resynchronises by guessing: later errors are mostly echoes of it
    const first = errors[0];
    return { diagnostics: [diagnostic('LAYOUT_JSON', 'error', syntaxMessage(first), at(first.offset), SYNTAX_HINT)] };
  }
  const tree = parseTree(text, undefined, options);
  const diagnostics: Diagnostic[] = [];
  if (tree !== undefined)
    findDuplicateKeys(tree, '', (pointer, key, offset) => {
      diagnostics.push(
        diagnostic(
          'LAYOUT_JSON',
          'error',
          `duplicate key "${key}"`,
          { ...at(offset), pointer },
          'JSON keeps only the last of duplicate keys: rename or merge them',
        ),
      );
    });
  return { value, tree, diagnostics };
}

function findDuplicateKeys(
  node: Node,
  pointer: string,
  report: (pointer: string, key: string, offset: number) => void,
): void {
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (keyNode === undefined) continue;
      const key = String(keyNode.value);
      const childPointer = joinPointer(pointer, key);
      if (seen.has(key)) report(childPointer, key, property.offset);
      seen.add(key);
      if (valueNode !== undefined) findDuplicateKeys(valueNode, childPointer, report);
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((child, i) => {
      findDuplicateKeys(child, joinPointer(pointer, i), report);
    });
  }
}
