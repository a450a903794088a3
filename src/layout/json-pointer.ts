/**
 * The positions of JSON Pointers (escaped by ../json-pointer.ts) in the template text, so a
 * diagnostic found on the parsed value can name the line a person edits.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { splitPointer } from '../json-pointer.js';

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (what editors count for the BMP). */
  column: number;
}

/** 1-based line/column of a 0-based offset. */
export function offsetToPosition(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * The node a pointer designates, or its deepest existing ancestor (a missing
 * key is reported where it should be added).
 */
function nodeAtPointer(root: Node, pointer: string): Node {
  let node = root;
  for (const segment of splitPointer(pointer)) {
    const key: string | number = node.type === 'array' && /^\d+$/.test(segment) ? Number(segment) : segment;
    const child = findNodeAtLocation(node, [key]);
    if (child === undefined) break;
    node = child;
  }
  return node;
}

/**
 * Where `pointer` is in `text`: the start of its `"key": value` line for an
 * object member (the key is what a person looks for), else the value itself.
 * Falls back to the nearest existing ancestor; {1,1} when the text is not JSON.
 */
export function positionOf(text: string, pointer: string): TextPosition {
  const root = parseTree(text);
  if (root === undefined) return { line: 1, column: 1 };
  return positionInTree(text, root, pointer);
}

export function positionInTree(text: string, root: Node, pointer: string): TextPosition {
  const node = nodeAtPointer(root, pointer);
  const anchor = node.parent?.type === 'property' ? node.parent : node;
  return offsetToPosition(text, anchor.offset);
}
