/**
 * The one XML reader of nxlayout, on saxes: NXDL definitions (validate/) and areaDetector's layout
 * and attribute files (import-layout). saxes checks well-formedness as the XML specification says
 * and gives the position of every tag and error; this module turns its events into a tree of
 * elements (attributes, children, text with entities decoded and CDATA included, the line and
 * column of each start tag) and its first error into an IMPORT_XML NxlError with line and column.
 * Namespace prefixes are dropped from element names (`nx:group` → `group`).
 */
import { SaxesParser } from 'saxes';
import { NxlError } from '../errors.js';
import type { XmlElement } from './models.js';

const HINT = 'the file must be well-formed XML (every tag closed, attribute values quoted)';

type Building = { -readonly [K in keyof XmlElement]: XmlElement[K] } & { attributes: Record<string, string> };

interface Open {
  element: Building;
  text: string;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * 1-based line and column of 0-based offsets asked in increasing order (start tags, as saxes meets
 * them): each call scans on from where the last one stopped, so a file costs one pass, not one per tag.
 */
function positions(text: string): (offset: number) => { line: number; column: number } {
  let line = 1;
  let start = 0; // offset of the first character of `line`
  let next = text.indexOf('\n'); // the newline ending `line`
  return (offset) => {
    if (offset < start) {
      line = 1;
      start = 0;
      next = text.indexOf('\n');
    }
    while (next >= 0 && next < offset) {
      line++;
      start = next + 1;
      next = text.indexOf('\n', start);
    }
    return { line, column: offset - start + 1 };
  };
}

/** saxes' message, made to name what is wrong in the words of the file. */
function closingName(text: string, offset: number): string {
  return /^<\/([^\s>]*)/.exec(text.slice(text.lastIndexOf('</', offset)))?.[1] ?? '?';
}

function explain(message: string, text: string, offset: number, stack: readonly Open[], leftOpen?: Building): string {
  const top = leftOpen ?? stack.at(-1)?.element;
  if (/unexpected close tag/.test(message) && top !== undefined) {
    return `</${closingName(text, offset)}> closes <${top.name}> opened at line ${top.line}`;
  }
  if (/unquoted attribute value/.test(message)) return 'the value of an attribute must be quoted';
  if (/undefined entity/.test(message)) {
    const entity = /^&[^;\s]*;?/.exec(text.slice(text.lastIndexOf('&', offset)))?.[0] ?? '&…;';
    return `unknown entity ${entity}`;
  }
  const duplicate = /duplicate attribute: (.*)\.$/.exec(message);
  if (duplicate !== null) return `attribute ${duplicate[1]} appears twice in <${top?.name ?? '?'}>`;
  if (/only one root/.test(message)) return 'a second root element (an XML file has exactly one)';
  const neverClosed = /unclosed tag: (.*)$/.exec(message);
  if (neverClosed !== null) return `<${neverClosed[1]}> is never closed`;
  if (/must contain a root element/.test(message)) {
    return text.trim() === ''
      ? 'no root element: the file is empty'
      : 'no root element: a comment or tag is never closed';
  }
  if (/text data outside of root node/.test(message)) return 'text outside the root element';
  return message.replace(/^[^:]*:\d+:\d+: /, '').replace(/\.$/, '');
}

/** The root element of an XML document; IMPORT_XML (with line and column) when it is not well-formed. */
export function parseXml(source: string, file = '<xml>'): XmlElement {
  const text = source.replace(/^\uFEFF/, '');
  const parser = new SaxesParser({ position: true });
  const position = positions(text);
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  // The element a mismatched end tag leaves open: saxes closes the inner elements before it reports.
  let unclosed: Building | undefined;
  parser.on('error', (e) => {
    const where = { line: parser.line, column: parser.column };
    throw new NxlError(
      'IMPORT_XML',
      explain(e.message, text, parser.position, stack, unclosed),
      { file, ...where },
      {
        hint: HINT,
        cause: e,
      },
    );
  });
  parser.on('opentagstart', (tag) => {
    const start = text.lastIndexOf('<', parser.position - tag.name.length - 1);
    const element: Building = {
      name: localName(tag.name),
      attributes: {},
      children: [],
      text: '',
      ...position(start),
    };
    const parent = stack.at(-1);
    if (parent !== undefined) parent.element.children.push(element);
    else root ??= element;
    stack.push({ element, text: '' });
  });
  parser.on('opentag', (tag) => {
    const open = stack.at(-1);
    if (open !== undefined) Object.assign(open.element.attributes, tag.attributes);
    if (tag.isSelfClosing) stack.pop();
  });
  const addText = (t: string): void => {
    const open = stack.at(-1);
    if (open !== undefined) open.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', (tag) => {
    if (tag.isSelfClosing) return;
    const open = stack.pop();
    if (
      open !== undefined &&
      unclosed === undefined &&
      localName(closingName(text, parser.position)) !== open.element.name
    ) {
      unclosed = open.element;
    }
    if (open !== undefined) open.element.text = open.text.trim();
  });
  parser.write(text).close();
  if (root === undefined) {
    throw new NxlError(
      'IMPORT_XML',
      'no root element: the file is empty',
      { file, line: 1, column: 1 },
      { hint: HINT },
    );
  }
  return root;
}
