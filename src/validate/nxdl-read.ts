/**
 * One NXDL file (its XML element tree) → NxdlDefinition: names, types,
 * requiredness, enumerations and nesting. Documentation is not read.
 *
 * Requiredness follows nxdl.xsd: groups, fields and links are required by
 * default in an application definition (minOccurs 1) and optional in a base
 * class; `optional="true"`, `recommended="true"` or `minOccurs="0"` make them
 * optional; attributes are optional unless `optional="false"` (or the older
 * `required="true"`). Deprecated items are never required.
 */
import type {
  NameType,
  NxdlAttribute,
  NxdlCategory,
  NxdlDefinition,
  NxdlField,
  NxdlGroup,
  NxdlLink,
  Requirement,
} from './models.js';
import type { XmlElement } from '../import/models.js';

type Attrs = Readonly<Record<string, string>>;

function requirementOf(a: Attrs, byDefault: Requirement): Requirement {
  if (a.deprecated !== undefined) return 'optional';
  if (a.recommended === 'true') return 'recommended';
  if (a.optional === 'true') return 'optional';
  if (a.optional === 'false' || a.required === 'true') return 'required';
  if (a.minOccurs !== undefined) return a.minOccurs === '0' ? 'optional' : 'required';
  return byDefault;
}

/** nameType as written; else the older convention: no name or an ALL-UPPERCASE name stands for any name. */
function nameTypeOf(name: string | undefined, written: string | undefined): NameType {
  if (written === 'any' || written === 'partial' || written === 'specified') return written;
  if (name === undefined || name === '') return 'any';
  return /[A-Z]/.test(name) && !/[a-z]/.test(name) ? 'any' : 'specified';
}

function named<T extends object>(node: T, name: string | undefined, written: string | undefined): T {
  const nameType = nameTypeOf(name, written);
  return nameType === 'specified' ? node : { ...node, nameType };
}

function enumerationOf(element: XmlElement): string[] | undefined {
  const e = element.children.find((c) => c.name === 'enumeration');
  // an open enumeration lists suggestions, not the allowed values
  if (e === undefined || e.attributes.open === 'true') return undefined;
  const items = e.children
    .filter((c) => c.name === 'item' && c.attributes.value !== undefined)
    .map((c) => c.attributes.value);
  return items.length > 0 ? items : undefined;
}

function common(a: Attrs, element: XmlElement): { type?: string; enumeration?: string[]; deprecated?: boolean } {
  const enumeration = enumerationOf(element);
  return {
    ...(a.type === undefined ? {} : { type: a.type }),
    ...(enumeration === undefined ? {} : { enumeration }),
    ...(a.deprecated === undefined ? {} : { deprecated: true }),
  };
}

function readAttribute(element: XmlElement): NxdlAttribute {
  const a = element.attributes;
  return named(
    { name: a.name ?? '', requirement: requirementOf(a, 'optional'), ...common(a, element) },
    a.name,
    a.nameType,
  );
}

function readField(element: XmlElement, byDefault: Requirement): NxdlField {
  const a = element.attributes;
  const attributes = element.children.filter((c) => c.name === 'attribute').map(readAttribute);
  const field = {
    name: a.name ?? '',
    requirement: requirementOf(a, byDefault),
    ...common(a, element),
    ...(a.units === undefined ? {} : { units: a.units }),
    attributes,
  };
  return named(field, a.name, a.nameType);
}

function readLink(element: XmlElement, byDefault: Requirement): NxdlLink {
  const a = element.attributes;
  return {
    name: a.name ?? '',
    requirement: requirementOf(a, byDefault),
    ...(a.target === undefined ? {} : { target: a.target }),
  };
}

function readBody(element: XmlElement, byDefault: Requirement): Omit<NxdlGroup, 'type' | 'requirement'> {
  const groups: NxdlGroup[] = [];
  const fields: NxdlField[] = [];
  const attributes: NxdlAttribute[] = [];
  const links: NxdlLink[] = [];
  const choices: { name: string; requirement: Requirement; types: string[] }[] = [];
  for (const child of element.children) {
    switch (child.name) {
      case 'group':
        groups.push(readGroup(child, byDefault));
        break;
      case 'field':
        fields.push(readField(child, byDefault));
        break;
      case 'attribute':
        attributes.push(readAttribute(child));
        break;
      case 'link':
        links.push(readLink(child, byDefault));
        break;
      case 'choice': {
        const types = child.children
          .filter((c) => c.name === 'group' && c.attributes.type !== undefined)
          .map((c) => c.attributes.type);
        choices.push({
          name: child.attributes.name ?? '',
          requirement: requirementOf(child.attributes, byDefault),
          types,
        });
        break;
      }
      default:
        break; // doc, symbols, dimensions: not rules nxlayout checks
    }
  }
  return { groups, fields, attributes, links, ...(choices.length > 0 ? { choices } : {}) };
}

function readGroup(element: XmlElement, byDefault: Requirement): NxdlGroup {
  const a = element.attributes;
  const group: NxdlGroup = {
    type: a.type ?? 'NXcollection',
    ...(a.name === undefined ? {} : { name: a.name }),
    requirement: requirementOf(a, byDefault),
    ...(a.deprecated === undefined ? {} : { deprecated: true }),
    ...readBody(element, byDefault),
  };
  return named(group, a.name, a.nameType);
}

/** The definition held by an NXDL root element; `folder` says where the file was found. */
export function readDefinition(root: XmlElement, folder: NxdlCategory): NxdlDefinition {
  if (root.name !== 'definition') throw new Error(`not an NXDL definition: root element <${root.name}>`);
  const a = root.attributes;
  if (a.name === undefined) throw new Error('NXDL definition without a name');
  const isApplication = a.category === 'application';
  return {
    type: a.name,
    category: folder,
    isApplication,
    ...(a.extends === undefined ? {} : { extends: a.extends }),
    requirement: 'required',
    ...readBody(root, isApplication ? 'required' : 'optional'),
  };
}
