/**
 * An areaDetector NDAttributes file (`<Attributes><Attribute name type source
 * datatype|dbrtype description/>…`): the NDAttributes a layout's `ndattribute`
 * sources name, with their data type and description.
 */
import { NxlError } from '../errors.js';
import type { NdAttribute, XmlElement } from './models.js';

export function readNdAttributes(root: XmlElement, file = '<attributes>'): NdAttribute[] {
  if (root.name !== 'Attributes') {
    throw new NxlError(
      'IMPORT_LAYOUT',
      `the root element is <${root.name}>, not <Attributes>`,
      { file, line: root.line, column: root.column },
      {
        hint: 'give an areaDetector NDAttributes file (the layout goes first, the attributes file to --attributes)',
      },
    );
  }
  const out: NdAttribute[] = [];
  for (const el of root.children) {
    if (el.name !== 'Attribute') continue;
    const name = el.attributes.name;
    if (name === undefined || name === '') {
      throw new NxlError(
        'IMPORT_LAYOUT',
        '<Attribute> has no "name"',
        { file, line: el.line, column: el.column },
        { hint: 'every NDAttribute needs a name' },
      );
    }
    const datatype = el.attributes.datatype ?? el.attributes.dbrtype;
    out.push({
      name,
      type: el.attributes.type ?? 'EPICS_PV',
      source: el.attributes.source ?? '',
      ...(datatype === undefined ? {} : { datatype }),
      ...(el.attributes.description === undefined ? {} : { description: el.attributes.description }),
    });
  }
  return out;
}

/** The numpy-style dtype an NDAttribute's declared type gives, when it says one. */
export function ndAttributeDtype(attr: NdAttribute): string | undefined {
  switch ((attr.datatype ?? '').toUpperCase()) {
    case 'INT':
    case 'DBR_LONG':
    case 'DBR_INT':
      return 'int32';
    case 'DBR_SHORT':
      return 'int16';
    case 'DBR_CHAR':
      return 'int8';
    case 'DOUBLE':
    case 'DBR_DOUBLE':
      return 'float64';
    case 'DBR_FLOAT':
      return 'float32';
    case 'STRING':
    case 'DBR_STRING':
    case 'DBR_ENUM':
      return 'str';
    default:
      // DBR_NATIVE: the PV's own type, known only from the run.
      return undefined;
  }
}
