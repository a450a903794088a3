/**
 * What `import-layout` reads (an areaDetector NDFileHDF5 XML layout and,
 * optionally, its NDAttributes file) and what it gives (a JSON template).
 */
import type { Diagnostic } from '../errors.js';

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Text content (entities decoded, CDATA included), trimmed. */
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** `int`, `float` or `string` (the XSD's attrSourceTypeEnum; default string). */
export type AdValueType = 'int' | 'float' | 'string';
export type AdWhen = 'OnFileOpen' | 'OnFileClose' | 'OnFileWrite';

/** `<attribute>` of a group or dataset. */
export interface AdAttribute {
  readonly name: string;
  readonly source: 'constant' | 'ndattribute';
  readonly value: string;
  readonly type: AdValueType;
  readonly ndattribute: string;
  readonly when?: AdWhen;
  readonly line: number;
}

export interface AdDataset {
  readonly kind: 'dataset';
  readonly name: string;
  readonly source: 'detector' | 'constant' | 'ndattribute';
  readonly type: AdValueType;
  readonly value: string;
  readonly ndattribute: string;
  readonly detDefault: boolean;
  readonly when?: AdWhen;
  readonly attributes: AdAttribute[];
  readonly line: number;
}

export interface AdHardlink {
  readonly kind: 'hardlink';
  readonly name: string;
  readonly target: string;
  readonly line: number;
}

export interface AdGroup {
  readonly kind: 'group';
  readonly name: string;
  /** The group that receives every NDAttribute the layout does not place elsewhere. */
  readonly ndattrDefault: boolean;
  readonly attributes: AdAttribute[];
  readonly children: (AdGroup | AdDataset | AdHardlink)[];
  readonly line: number;
}

export interface AdLayout {
  /** `<global name="detector_data_destination" ndattribute="…">`, when present. */
  readonly dataDestination?: string;
  readonly groups: AdGroup[];
}

/** One `<Attribute>` of an NDAttributes file. */
export interface NdAttribute {
  readonly name: string;
  /** EPICS_PV, PARAM, FUNCTION… */
  readonly type: string;
  readonly source: string;
  /** PARAM datatype (INT, DOUBLE, STRING) or EPICS_PV dbrtype (DBR_NATIVE, DBR_STRING…). */
  readonly datatype?: string;
  readonly description?: string;
}

export interface ImportOptions {
  /** The stream whose events carry the detector's readings (default `primary`). */
  stream?: string;
  /** The data key of the detector's image (default `image`). */
  detectorField?: string;
  /** Prepended to an NDAttribute name to give its data key (e.g. `eiger4M_`); default none. */
  fieldPrefix?: string;
  /** The NDAttributes that `ndattribute` sources name. */
  ndAttributes?: NdAttribute[];
  /** Template name (default from the layout file name). */
  name?: string;
  /** The layout file, for messages and the description. */
  sourcePath?: string;
}

export interface ImportResult {
  /** The template as a JSON value, ready for JSON.stringify. */
  template: Record<string, unknown>;
  diagnostics: Diagnostic[];
}
