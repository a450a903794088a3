/**
 * Schema-valid template JSON → LayoutNodes. Runs only after the schema passed,
 * so shapes are trusted here; what the schema cannot see (sibling names that
 * collide once the NX class is stripped) is reported as diagnostics.
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import { joinPointer } from '../json-pointer.js';
import {
  PROJECTION_KEYS,
  type LayoutAttribute,
  type LayoutField,
  type LayoutGroup,
  type LayoutLink,
  type LayoutNode,
  type Optionality,
  type Projection,
  type Repeat,
  type StorageOptions,
  type ValueSpec,
} from './models.js';

type Json = Record<string, unknown>;

const GROUP_KEY = /^(.+):(NX[a-z0-9_]+)$/;

/** gzip level used for `"compression": true`. */
const DEFAULT_COMPRESSION = 4;

function isTemplateText(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function literalOrText(value: unknown): ValueSpec {
  return isTemplateText(value) ? { kind: 'text', template: value } : { kind: 'literal', value };
}

function attributeValue(value: unknown): ValueSpec {
  return isObject(value) ? { kind: 'projection', projection: value as unknown as Projection } : literalOrText(value);
}

/** `"optional": true | "quiet"`; anything else is not optional. */
function optionalityOf(value: unknown): Optionality {
  return value === true || value === 'quiet' ? value : false;
}

function pickProjection(object: Json): Projection {
  const projection: Json = {};
  for (const key of PROJECTION_KEYS) if (key in object) projection[key] = object[key];
  return projection as unknown as Projection;
}

function attributesOf(object: Json, pointer: string): LayoutAttribute[] {
  return Object.entries(object)
    .filter(([key]) => key.startsWith('@'))
    .map(([key, value]) => ({ name: key.slice(1), value: attributeValue(value), pointer: joinPointer(pointer, key) }));
}

function storageOf(object: Json): StorageOptions {
  const storage: { compression?: number; chunks?: number[] } = {};
  const compression = object.compression;
  if (compression === true) storage.compression = DEFAULT_COMPRESSION;
  else if (typeof compression === 'number') storage.compression = compression;
  if (Array.isArray(object.chunks)) storage.chunks = object.chunks as number[];
  return storage;
}

function withRepeat<T extends object>(node: T, object: Json): T {
  return isObject(object.$repeat) ? { ...node, repeat: object.$repeat as unknown as Repeat } : node;
}

function buildLink(name: string, object: Json, pointer: string): LayoutLink {
  const file = typeof object.file === 'string' ? object.file : undefined;
  const linkType = file !== undefined ? 'external' : object.link_type === 'hard' ? 'hard' : 'soft';
  const link: LayoutLink = {
    kind: 'link',
    name,
    pointer,
    attributes: [],
    target: String(object.link),
    linkType,
    optional: optionalityOf(object.optional),
    ...(file === undefined ? {} : { file }),
  };
  return withRepeat(link, object);
}

function buildField(name: string, value: unknown, pointer: string): LayoutField | LayoutLink {
  if (!isObject(value)) {
    return { kind: 'field', name, pointer, attributes: [], value: literalOrText(value), storage: {}, optional: false };
  }
  if ('link' in value && !('type' in value)) return buildLink(name, value, pointer);
  // `{"value": …}` without `type` is a static projection written short.
  const projection = 'type' in value ? pickProjection(value) : pickProjection({ ...value, type: 'static' });
  const field: LayoutField = {
    kind: 'field',
    name,
    pointer,
    attributes: attributesOf(value, pointer),
    value: { kind: 'projection', projection },
    storage: storageOf(value),
    optional: optionalityOf(value.optional),
    ...(typeof value.dtype === 'string' ? { dtype: value.dtype } : {}),
  };
  return withRepeat(field, value);
}

export function buildGroup(
  body: Json,
  name: string,
  nxClass: string | undefined,
  pointer: string,
  diagnostics: Diagnostic[],
): LayoutGroup {
  const attributes: LayoutAttribute[] = [];
  const children: LayoutNode[] = [];
  const names = new Map<string, string>();
  for (const [key, value] of Object.entries(body)) {
    const childPointer = joinPointer(pointer, key);
    if (key === '$repeat' || key === '$comment') continue;
    if (key.startsWith('@')) {
      attributes.push({ name: key.slice(1), value: attributeValue(value), pointer: childPointer });
      continue;
    }
    const group = GROUP_KEY.exec(key);
    const child =
      group !== null
        ? buildGroup(value as Json, group[1], group[2], childPointer, diagnostics)
        : buildField(key, value, childPointer);
    const previous = names.get(child.name);
    if (previous !== undefined) {
      diagnostics.push(
        diagnostic(
          'LAYOUT_NAME',
          'error',
          `two children named "${child.name}" in one group (${previous} and ${key})`,
          { pointer: childPointer },
          'HDF5 names are unique within a group: rename one of them',
        ),
      );
    }
    names.set(child.name, key);
    children.push(child);
  }
  const node: LayoutGroup = {
    kind: 'group',
    name,
    pointer,
    attributes,
    children,
    ...(nxClass === undefined ? {} : { nxClass }),
  };
  return withRepeat(node, body);
}
