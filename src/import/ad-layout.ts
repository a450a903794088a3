/**
 * An NDFileHDF5 layout (ADCore's hdf5_xml_layout_schema.xsd) as typed data,
 * checked against the schema's element set: `hdf5_layout` holds `global` and
 * `group`; a group holds `group`, `dataset`, `attribute`, `hardlink`; a
 * dataset holds `attribute`. Unknown elements, missing required attributes
 * and values outside the schema's enumerations are IMPORT_LAYOUT errors.
 */
import { NxlError } from '../errors.js';
import type {
  AdAttribute,
  AdDataset,
  AdGroup,
  AdHardlink,
  AdLayout,
  AdValueType,
  AdWhen,
  XmlElement,
} from './models.js';

const VALUE_TYPES: readonly AdValueType[] = ['int', 'float', 'string'];

function fail(file: string, at: XmlElement, message: string, hint: string): never {
  throw new NxlError('IMPORT_LAYOUT', message, { file, line: at.line, column: at.column }, { hint });
}

function required(file: string, el: XmlElement, name: string): string {
  const v = el.attributes[name];
  if (v === undefined)
    fail(file, el, `<${el.name}> needs a "${name}" attribute`, 'see ADCore/XML_schema/hdf5_xml_layout_schema.xsd');
  return v;
}

function oneOf<T extends string>(file: string, el: XmlElement, name: string, allowed: readonly T[], fallback?: T): T {
  const v = el.attributes[name];
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    fail(
      file,
      el,
      `<${el.name}> needs a "${name}" attribute (${allowed.join(', ')})`,
      'see ADCore/XML_schema/hdf5_xml_layout_schema.xsd',
    );
  }
  if (!(allowed as readonly string[]).includes(v)) {
    fail(
      file,
      el,
      `${name}="${v}" of <${el.name}> is not one of ${allowed.join(', ')}`,
      'see ADCore/XML_schema/hdf5_xml_layout_schema.xsd',
    );
  }
  return v as T;
}

function bool(el: XmlElement, name: string): boolean {
  const v = el.attributes[name];
  return v === 'true' || v === '1';
}

function when<T extends AdWhen>(file: string, el: XmlElement, allowed: readonly T[]): { when?: T } {
  return el.attributes.when === undefined ? {} : { when: oneOf(file, el, 'when', allowed) };
}

function attribute(file: string, el: XmlElement): AdAttribute {
  return {
    name: required(file, el, 'name'),
    source: oneOf(file, el, 'source', ['constant', 'ndattribute'] as const),
    value: el.attributes.value ?? '',
    type: oneOf(file, el, 'type', VALUE_TYPES, 'string'),
    ndattribute: el.attributes.ndattribute ?? '',
    ...when(file, el, ['OnFileOpen', 'OnFileClose'] as const),
    line: el.line,
  };
}

function unexpected(file: string, el: XmlElement, parent: string, allowed: string): never {
  fail(file, el, `<${el.name}> is not allowed in <${parent}>`, `<${parent}> may hold ${allowed}`);
}

function dataset(file: string, el: XmlElement): AdDataset {
  const attributes: AdAttribute[] = [];
  for (const child of el.children) {
    if (child.name !== 'attribute') unexpected(file, child, 'dataset', '<attribute> only');
    attributes.push(attribute(file, child));
  }
  return {
    kind: 'dataset',
    name: required(file, el, 'name'),
    source: oneOf(file, el, 'source', ['detector', 'constant', 'ndattribute'] as const),
    type: oneOf(file, el, 'type', VALUE_TYPES, 'string'),
    value: el.attributes.value ?? '',
    ndattribute: el.attributes.ndattribute ?? '',
    detDefault: bool(el, 'det_default'),
    ...when(file, el, ['OnFileOpen', 'OnFileClose', 'OnFileWrite'] as const),
    attributes,
    line: el.line,
  };
}

function hardlink(file: string, el: XmlElement): AdHardlink {
  const target = required(file, el, 'target');
  if (!target.startsWith('/'))
    fail(
      file,
      el,
      `hardlink target "${target}" is not an absolute HDF5 path`,
      'write the target from the root: /entry/instrument/detector/data',
    );
  return { kind: 'hardlink', name: required(file, el, 'name'), target, line: el.line };
}

function group(file: string, el: XmlElement): AdGroup {
  const attributes: AdAttribute[] = [];
  const children: AdGroup['children'] = [];
  for (const child of el.children) {
    switch (child.name) {
      case 'attribute':
        attributes.push(attribute(file, child));
        break;
      case 'dataset':
        children.push(dataset(file, child));
        break;
      case 'hardlink':
        children.push(hardlink(file, child));
        break;
      case 'group':
        children.push(group(file, child));
        break;
      default:
        unexpected(file, child, 'group', '<group>, <dataset>, <attribute> and <hardlink>');
    }
  }
  return {
    kind: 'group',
    name: required(file, el, 'name'),
    ndattrDefault: bool(el, 'ndattr_default'),
    attributes,
    children,
    line: el.line,
  };
}

/** The layout of a parsed `hdf5_layout` document. */
export function readAdLayout(root: XmlElement, file = '<layout>'): AdLayout {
  if (root.name !== 'hdf5_layout') {
    fail(
      file,
      root,
      `the root element is <${root.name}>, not <hdf5_layout>`,
      'give an areaDetector NDFileHDF5 XML layout (the attributes file goes to --attributes)',
    );
  }
  const groups: AdGroup[] = [];
  let dataDestination: string | undefined;
  for (const child of root.children) {
    if (child.name === 'group') groups.push(group(file, child));
    else if (child.name === 'global') {
      oneOf(file, child, 'name', ['detector_data_destination'] as const);
      dataDestination = required(file, child, 'ndattribute');
    } else unexpected(file, child, 'hdf5_layout', '<group> and <global>');
  }
  return { ...(dataDestination === undefined ? {} : { dataDestination }), groups };
}
