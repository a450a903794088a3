/**
 * Whether a JSONPath is well formed. jsonpath-plus is lenient (it reads
 * `$.a[` as `$.a`), so brackets and quotes are checked here, and each filter
 * or script expression is tried in jsonpath-plus's safe evaluator, which
 * reports its syntax errors.
 */
import { JSONPath } from 'jsonpath-plus';

/** A syntax problem of `path`, or undefined when it is well formed. */
export function jsonPathProblem(path: string): string | undefined {
  if (!path.startsWith('$')) return 'a JSONPath starts with "$"';
  const structure = bracketProblem(path);
  if (structure !== undefined) return structure;
  for (const segment of JSONPath.toPathArray(path)) {
    const expression = /^\?\((.*)\)$/s.exec(segment) ?? /^\((.*)\)$/s.exec(segment);
    if (expression === null) continue;
    const problem = expressionProblem(segment.startsWith('?') ? `$[?(${expression[1]})]` : `$[(${expression[1]})]`);
    if (problem !== undefined) return `in ${segment}: ${problem}`;
  }
  return undefined;
}

function bracketProblem(path: string): string | undefined {
  let depth = 0;
  let quote: string | undefined;
  let parens = 0;
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (depth > 0 && (c === "'" || c === '"')) quote = c;
    else if (c === '(') parens++;
    else if (c === ')') {
      if (--parens < 0) return `unmatched ")" at character ${i + 1}`;
    } else if (c === '[') {
      if (depth === 0 && path[i + 1] === ']') return `empty "[]" at character ${i + 1}`;
      if (depth === 0 && path[i - 1] === '.' && path[i - 2] !== '.')
        return `".[" at character ${i}: write "[" or "..["`;
      if (parens === 0) depth++;
    } else if (c === ']' && parens === 0) {
      if (--depth < 0) return `unmatched "]" at character ${i + 1}`;
    } else if (c === '.' && depth === 0 && i === path.length - 1) {
      return 'the path ends with "."';
    }
  }
  if (quote !== undefined) return `unclosed ${quote} quote`;
  if (parens > 0) return 'unclosed "("';
  if (depth > 0) return 'unclosed "["';
  return undefined;
}

function expressionProblem(path: string): string | undefined {
  try {
    JSONPath({ path, json: [{}], eval: 'safe', wrap: true });
    return undefined;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // reading a member of a missing value depends on the data, not on the syntax
    if (/Cannot read propert/.test(message)) return undefined;
    return message.replace(/^jsonPath: /, '');
  }
}
