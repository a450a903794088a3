/**
 * A small XML reader for NXDL files: elements, attributes and nesting only.
 * Text, comments, processing instructions, CDATA and DOCTYPE are skipped:
 * nxlayout reads names, types and rules from NXDL, never documentation.
 * Namespace prefixes are dropped from element names (`nx:group` → `group`).
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** 1-based line of the start tag, for messages. */
  readonly line: number;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

export class XmlSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(`${message} (line ${line})`);
    this.name = 'XmlSyntaxError';
    this.line = line;
  }
}

const SKIPPED: [string, string][] = [['<!--', '-->'], ['<![CDATA[', ']]>'], ['<?', '?>'], ['<!', '>']];
const ATTRIBUTE = /\s*([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/y;

/** The root element of `text`; throws XmlSyntaxError on malformed markup. */
export function parseXml(text: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  let line = 1;
  const advance = (to: number): void => {
    for (let k = i; k < to; k++) if (text.charCodeAt(k) === 10) line++;
    i = to;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    advance(lt);
    const skip = SKIPPED.find(([open]) => text.startsWith(open, i));
    if (skip !== undefined) {
      const end = text.indexOf(skip[1], i + skip[0].length);
      if (end < 0) throw new XmlSyntaxError(`unterminated ${skip[0]}`, line);
      advance(end + skip[1].length);
      continue;
    }
    if (text.startsWith('</', i)) {
      const end = text.indexOf('>', i);
      const name = localName(text.slice(i + 2, end).trim());
      const open = stack.pop();
      if (open === undefined || open.name !== name) throw new XmlSyntaxError(`unexpected </${name}>`, line);
      advance(end + 1);
      continue;
    }
    const nameMatch = /^<([^\s/>]+)/.exec(text.slice(i, i + 200));
    if (nameMatch === null) throw new XmlSyntaxError('bad tag', line);
    const element: XmlElement = { name: localName(nameMatch[1]), attributes: {}, children: [], line };
    const attributes = element.attributes as Record<string, string>;
    let at = i + nameMatch[0].length;
    for (;;) {
      ATTRIBUTE.lastIndex = at;
      const m = ATTRIBUTE.exec(text);
      if (m === null) break;
      attributes[m[1]] = decode(m[3] ?? m[4] ?? '');
      at = ATTRIBUTE.lastIndex;
    }
    const close = /^\s*(\/?)>/.exec(text.slice(at, at + 50));
    if (close === null) throw new XmlSyntaxError(`bad start tag <${element.name}>`, line);
    const parent = stack.at(-1);
    if (parent !== undefined) parent.children.push(element);
    else if (root === undefined) root = element;
    else throw new XmlSyntaxError('more than one root element', line);
    if (close[1] !== '/') stack.push(element);
    advance(at + close[0].length);
  }
  if (stack.length > 0) throw new XmlSyntaxError(`<${stack[stack.length - 1].name}> is not closed`, line);
  if (root === undefined) throw new XmlSyntaxError('no element', line);
  return root;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}
