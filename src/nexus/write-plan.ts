/**
 * Walks a NexusPlan into a NexusSink: the root's NX_class and attributes, groups and
 * inline fields in tree order, columns streamed from a ColumnSource, then links
 * (last, because a hard link needs its target to exist).
 */
import { NxlError } from '../errors.js';
import type {
  NexusPlan,
  PlannedAttribute,
  PlannedField,
  PlannedGroup,
  PlannedLink,
  PlannedNode,
} from '../evaluate/models.js';
import type { ColumnSource, NexusSink, WritePlanOptions } from './models.js';

function classAttribute(nxClass: string): PlannedAttribute {
  return { name: 'NX_class', dtype: 'string', shape: [], data: [nxClass] };
}

/** The group's attributes with its NX_class first (the planned class wins over an `@NX_class`). */
function groupAttributes(group: PlannedGroup, isRoot: boolean): PlannedAttribute[] {
  const own = group.attributes.find((a) => a.name === 'NX_class');
  const nxClass =
    group.nxClass ?? (typeof own?.data[0] === 'string' ? own.data[0] : undefined) ?? (isRoot ? 'NXroot' : undefined);
  if (nxClass === undefined) {
    throw new NxlError(
      'NEXUS_WRITE',
      `group ${group.path} has no NX_class`,
      { nexusPath: group.path, ...(group.pointer === undefined ? {} : { pointer: group.pointer }) },
      {
        hint: 'every NeXus group needs a class: name it `name:NXclass` in the template',
      },
    );
  }
  return [classAttribute(nxClass), ...group.attributes.filter((a) => a.name !== 'NX_class')];
}

/** Re-throw with the template pointer of the node, so the message leads back to the template. */
function atNode<T>(node: PlannedNode, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof NxlError && node.pointer !== undefined && e.location.pointer === undefined) {
      throw new NxlError(
        e.code,
        e.message,
        { ...e.location, pointer: node.pointer },
        { ...(e.hint === undefined ? {} : { hint: e.hint }), cause: e },
      );
    }
    throw e;
  }
}

function writeField(field: PlannedField, sink: NexusSink, columns: ColumnSource): void {
  const value = field.value;
  if (value.kind === 'inline') {
    sink.writeField(field.path, field.dtype, field.shape, value.data, field.attributes, field.storage);
    return;
  }
  const expected = field.shape[0];
  const blocks = [...columns.rows(value.stream, value.field, value.part, value.encoding)];
  const all = blocks.length === 1 ? blocks[0] : ([] as unknown[]).concat(...blocks);
  const offset = value.offset;
  const rows = offset === undefined ? all : all.map((r) => (typeof r === 'number' ? r - offset : r));
  if (expected !== undefined && expected > 0 && rows.length === expected) {
    // Every row is in hand (a run small enough never to be streamed): one dataset of exactly its size,
    // written in one go — cheaper to make than a resizable chunked column, and as read by any tool.
    sink.writeField(field.path, field.dtype, field.shape, rows, field.attributes, field.storage);
    return;
  }
  const handle = sink.createColumn(
    field.path,
    field.dtype,
    field.shape.slice(1),
    field.attributes,
    field.storage,
    expected !== undefined && expected > 0 ? expected : undefined,
  );
  if (rows.length > 0) sink.appendRows(handle, rows);
}

function writeLink(link: PlannedLink, sink: NexusSink): void {
  if (link.linkType !== 'external') {
    sink.createLink(link.path, link.linkType, link.target);
    return;
  }
  if (link.file === undefined) {
    throw new NxlError(
      'NEXUS_WRITE',
      `external link ${link.path} names no file`,
      { nexusPath: link.path },
      { hint: 'give the link a `file`' },
    );
  }
  sink.createExternalLink(link.path, link.file, link.target);
}

/** Write every node of `plan` into `sink`. The sink is neither flushed nor closed: the caller owns it. */
export function writePlan(
  plan: NexusPlan,
  sink: NexusSink,
  columns: ColumnSource,
  options: WritePlanOptions = {},
): void {
  const skip = options.skip ?? new Set<string>();
  const existing = options.existingGroups ?? new Set<string>();
  const links: PlannedLink[] = [];
  sink.setAttributes('/', groupAttributes(plan.root, true));
  const visit = (node: PlannedNode): void => {
    if (skip.has(node.path)) return;
    switch (node.kind) {
      case 'group':
        atNode(node, () => {
          if (existing.has(node.path)) sink.setAttributes(node.path, groupAttributes(node, false));
          else sink.createGroup(node.path, groupAttributes(node, false));
        });
        node.children.forEach(visit);
        return;
      case 'field':
        atNode(node, () => writeField(node, sink, columns));
        return;
      case 'link':
        links.push(node);
        return;
    }
  };
  plan.root.children.forEach(visit);
  for (const link of links) atNode(link, () => writeLink(link, sink));
}

/** A ColumnSource with no columns, for plans that have only inline values. */
export const NO_COLUMNS: ColumnSource = {
  rows(stream, field) {
    throw new NxlError(
      'NEXUS_WRITE',
      `no column source for ${stream}/${field}`,
      { stream, field },
      { hint: "pass the run's columns to writePlan" },
    );
  },
};
