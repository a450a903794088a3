/**
 * The human view of an InspectedNode tree:
 *
 *     /
 *     │  @NX_class = "NXroot"
 *     └── entry:NXentry
 *         ├── title  utf-8 string scalar  = "scan 12"
 *         ├── x  float64 [100]  chunks [8192]  gzip 4  = [0, 0.5, 1, 1.5, 2, …]
 *         │      @units = "mm"
 *         ├── y -> /entry/x
 *         └── image -> raw/scan_12.h5:/entry/data/data
 *
 * A group's NX_class is shown after its name (the template's `name:NXclass`) instead of as an attribute.
 */
import { product } from './dtypes.js';
import type { FormatTreeOptions, InspectedAttribute, InspectedNode } from './models.js';

const DEFAULT_WIDTH = 120;

/** Integers beyond 2^53 arrive as decimal strings: shown bare, like the numbers they are. */
function formatScalar(v: unknown, integer: boolean): string {
  if (typeof v === 'string') return integer && /^-?\d+$/.test(v) ? v : JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map((x) => formatScalar(x, integer)).join(', ')}]`;
  return String(v);
}

/** `[a, b, c, …]` when the array has more elements than shown. */
function formatValue(value: unknown, total: number, dtype: string): string {
  const integer = /^u?int/.test(dtype);
  if (!Array.isArray(value)) return formatScalar(value, integer);
  const more = total > value.length ? ', …' : '';
  return `[${value.map((x) => formatScalar(x, integer)).join(', ')}${more}]`;
}

function formatShape(shape: number[]): string {
  return shape.length === 0 ? 'scalar' : `[${shape.join(', ')}]`;
}

function nameOf(path: string): string {
  return path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
}

function nxClassOf(node: InspectedNode & { kind: 'group' }): string | undefined {
  const a = node.attributes.find((x) => x.name === 'NX_class');
  return a !== undefined && typeof a.value === 'string' ? a.value : undefined;
}

function header(node: InspectedNode): string {
  switch (node.kind) {
    case 'group': {
      const nxClass = node.path === '/' ? undefined : nxClassOf(node);
      return nxClass === undefined ? nameOf(node.path) : `${nameOf(node.path)}:${nxClass}`;
    }
    case 'dataset': {
      const parts = [`${nameOf(node.path)}  ${node.dtype} ${formatShape(node.shape)}`];
      if (node.chunks !== undefined) parts.push(`chunks ${formatShape(node.chunks)}`);
      if (node.compression !== undefined) parts.push(node.compression);
      parts.push(`= ${formatValue(node.preview, product(node.shape), node.dtype)}`);
      return parts.join('  ');
    }
    case 'soft-link':
      return `${nameOf(node.path)} -> ${node.target}`;
    case 'external-link':
      return `${nameOf(node.path)} -> ${node.file}:${node.target}`;
  }
}

function shownAttributes(node: InspectedNode): InspectedAttribute[] {
  if (node.kind === 'dataset') return node.attributes;
  if (node.kind !== 'group') return [];
  const hideClass = node.path !== '/' && nxClassOf(node) !== undefined;
  return node.attributes.filter((a) => !(hideClass && a.name === 'NX_class'));
}

function render(node: InspectedNode, lead: string, body: string, out: string[]): void {
  out.push(lead + header(node));
  const children = node.kind === 'group' ? node.children : [];
  const attrLead = body + (children.length > 0 ? '│  ' : '   ');
  for (const a of shownAttributes(node))
    out.push(`${attrLead}@${a.name} = ${formatValue(a.value, product(a.shape), a.dtype)}`);
  children.forEach((c, i) => {
    const last = i === children.length - 1;
    render(c, body + (last ? '└── ' : '├── '), body + (last ? '    ' : '│   '), out);
  });
}

function cut(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : chars.slice(0, Math.max(1, width - 1)).join('') + '…';
}

/** The tree as text, one node per line, attributes under their node; lines cut at `width`. */
export function formatTree(node: InspectedNode, options: FormatTreeOptions = {}): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  render(node, '', '', out);
  return out.map((l) => cut(l, width)).join('\n') + '\n';
}
