/** The planned tree of a dry run: paths, dtypes, shapes and where each value comes from. */
import type { NexusPlan, PlannedAttribute, PlannedNode } from '../../evaluate/models.js';

function preview(data: readonly unknown[], max = 60): string {
  const text =
    data.length === 1 ? JSON.stringify(data[0]) : JSON.stringify(data.slice(0, 4)) + (data.length > 4 ? '…' : '');
  return text === undefined ? '' : text.length > max ? text.slice(0, max - 1) + '…' : text;
}

function attributeLine(a: PlannedAttribute): string {
  return `@${a.name} = ${preview(a.data)}`;
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : `[${shape.join(', ')}]`;
}

export function formatPlan(plan: NexusPlan): string[] {
  const lines: string[] = [];
  const visit = (node: PlannedNode, depth: number): void => {
    const pad = '  '.repeat(depth);
    const name = node.path === '/' ? '/' : node.path.slice(node.path.lastIndexOf('/') + 1);
    switch (node.kind) {
      case 'group':
        lines.push(`${pad}${name}${node.nxClass ? ':' + node.nxClass : ''}`);
        break;
      case 'field': {
        const value = node.value.kind === 'inline' ? ` = ${preview(node.value.data)}` : '';
        lines.push(`${pad}${name}  ${node.dtype} ${shapeText(node.shape)}  <- ${node.source}${value}`);
        break;
      }
      case 'link':
        lines.push(
          `${pad}${name}  -> ${node.linkType === 'external' ? `${node.file}:` : ''}${node.target} (${node.linkType} link)`,
        );
        break;
    }
    for (const a of node.attributes) lines.push(`${pad}  ${attributeLine(a)}`);
    if (node.kind === 'group') for (const child of node.children) visit(child, depth + 1);
  };
  visit(plan.root, 0);
  return lines;
}
