/**
 * A small, purpose-built XML reader for areaDetector's layout and attribute
 * files: elements, attributes, nesting and text. Comments, processing
 * instructions and DOCTYPE are skipped; CDATA is text; the five predefined
 * entities and numeric character references are decoded. Anything malformed
 * is an IMPORT_XML error with its line and column.
 */
import { NxlError } from '../errors.js';
import type { XmlElement } from './models.js';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const SPACE = /\s*/y;

interface Cursor {
  readonly text: string;
  readonly file: string;
  pos: number;
}

function position(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: pos - start + 1 };
}

function fail(c: Cursor, message: string, at = c.pos): never {
  throw new NxlError('IMPORT_XML', message, { file: c.file, ...position(c.text, at) }, { hint: 'the file must be well-formed XML (every tag closed, attribute values quoted)' });
}

function decode(c: Cursor, raw: string, at: number): string {
  return raw.replace(/&([^;\s&]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) fail(c, `"&" must start an entity such as &amp; (found ${JSON.stringify(whole)})`, at);
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const value = ENTITIES[ref];
    if (value === undefined) fail(c, `unknown entity &${ref};`, at);
    return value;
  });
}

function skipSpace(c: Cursor): void {
  SPACE.lastIndex = c.pos;
  SPACE.exec(c.text);
  c.pos = SPACE.lastIndex;
}

function readName(c: Cursor, what: string): string {
  NAME.lastIndex = c.pos;
  const m = NAME.exec(c.text);
  if (m === null) fail(c, `expected ${what}`);
  c.pos = NAME.lastIndex;
  return m[0];
}

/** Skips `<!-- -->`, `<? ?>`, `<!DOCTYPE >`; returns CDATA text; undefined when not at one of them. */
function skipMarkup(c: Cursor): { text?: string } | undefined {
  const forms: [string, string][] = [['<!--', '-->'], ['<![CDATA[', ']]>'], ['<?', '?>'], ['<!', '>']];
  for (const [open, close] of forms) {
    if (!c.text.startsWith(open, c.pos)) continue;
    const end = c.text.indexOf(close, c.pos + open.length);
    if (end < 0) fail(c, `${open} is never closed with ${close}`);
    const body = c.text.slice(c.pos + open.length, end);
    c.pos = end + close.length;
    return open === '<![CDATA[' ? { text: body } : {};
  }
  return undefined;
}

function readAttributes(c: Cursor, element: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (;;) {
    skipSpace(c);
    const ch = c.text[c.pos];
    if (ch === '>' || ch === '/' || ch === undefined) return attributes;
    const at = c.pos;
    const name = readName(c, `an attribute name or the end of <${element}>`);
    skipSpace(c);
    if (c.text[c.pos] !== '=') fail(c, `attribute ${name} of <${element}> has no value (expected =)`);
    c.pos++;
    skipSpace(c);
    const quote = c.text[c.pos];
    if (quote !== '"' && quote !== "'") fail(c, `the value of attribute ${name} must be quoted`);
    const end = c.text.indexOf(quote, c.pos + 1);
    if (end < 0) fail(c, `the value of attribute ${name} is never closed`);
    if (Object.hasOwn(attributes, name)) fail(c, `attribute ${name} appears twice in <${element}>`, at);
    const raw = c.text.slice(c.pos + 1, end);
    if (raw.includes('<')) fail(c, `"<" is not allowed in the value of attribute ${name} (write &lt;)`);
    attributes[name] = decode(c, raw, c.pos);
    c.pos = end + 1;
  }
}

function readElement(c: Cursor): XmlElement {
  const start = c.pos;
  c.pos++; // '<'
  const name = readName(c, 'an element name after "<"');
  const attributes = readAttributes(c, name);
  const { line, column } = position(c.text, start);
  const element: XmlElement = { name, attributes, children: [], text: '', line, column };
  if (c.text.startsWith('/>', c.pos)) {
    c.pos += 2;
    return element;
  }
  if (c.text[c.pos] !== '>') fail(c, `<${name}> is not closed with ">"`);
  c.pos++;
  let text = '';
  for (;;) {
    const lt = c.text.indexOf('<', c.pos);
    if (lt < 0) fail(c, `<${name}> (line ${line}) is never closed`, start);
    text += decode(c, c.text.slice(c.pos, lt), c.pos);
    c.pos = lt;
    if (c.text.startsWith('</', c.pos)) {
      c.pos += 2;
      const closing = readName(c, 'an element name after "</"');
      if (closing !== name) fail(c, `</${closing}> closes <${name}> opened at line ${line}`);
      skipSpace(c);
      if (c.text[c.pos] !== '>') fail(c, `</${closing}> is not closed with ">"`);
      c.pos++;
      return { ...element, text: text.trim() };
    }
    const markup = skipMarkup(c);
    if (markup !== undefined) {
      text += markup.text ?? '';
      continue;
    }
    element.children.push(readElement(c));
  }
}

/** The root element of an XML document. */
export function parseXml(text: string, file = '<xml>'): XmlElement {
  const c: Cursor = { text: text.replace(/^\uFEFF/, ''), file, pos: 0 };
  let root: XmlElement | undefined;
  for (;;) {
    skipSpace(c);
    if (c.pos >= c.text.length) break;
    if (c.text[c.pos] !== '<') fail(c, root === undefined ? 'text before the root element' : 'text after the root element');
    if (skipMarkup(c) !== undefined) continue;
    if (root !== undefined) fail(c, 'a second root element (an XML file has exactly one)');
    root = readElement(c);
  }
  if (root === undefined) fail(c, 'no root element: the file is empty');
  return root;
}
