/**
 * A layout template, parsed: the tree of the file it describes.
 * The JSON form is specified by schemas/layout.schema.json and docs/templates.md;
 * `parseLayout` turns the JSON into these nodes, each remembering its JSON
 * pointer so every later diagnostic can point back into the template.
 */
import type { Calculation } from '../documents/models.js';
import type { Diagnostic } from '../errors.js';

/** A value as the template writes it. */
export type ValueSpec =
  /** A JSON literal (number, boolean, array, or a string without `{{`). */
  | { kind: 'literal'; value: unknown }
  /** A handlebars string rendered against the run context. */
  | { kind: 'text'; template: string }
  /** An event-model projection (with nxlayout's extensions). */
  | { kind: 'projection'; projection: Projection };

/** `optional` of a node: `true` (missing → warning), `"quiet"` (missing → info, expected), `false`. */
export type Optionality = boolean | 'quiet';

/** `index` picks one reading of an event column: a row number (negative counts from the end) or first/last. */
export type ReadingIndex = number | 'first' | 'last';

/** Which column of a stream a `linked`/`event` projection reads. */
export type ColumnPart = 'values' | 'timestamps' | 'time' | 'seq_num';

interface ProjectionBase {
  /**
   * Missing data is a warning and the node is omitted, instead of an error;
   * `"quiet"`: missing data is expected (units a data key may lack, optional
   * metadata), the node is omitted with an `info` diagnostic only.
   */
  optional?: Optionality;
  /** Requested dtype, numpy style (`<f8`, `int32`, `float64`, `bool`, `str`…). */
  dtype?: string;
}

export interface LinkedStart extends ProjectionBase {
  type: 'linked';
  location: 'start' | 'stop';
  /** A key, a dotted key, or a JSONPath (`$.sample.name`) into the document. */
  field: string;
}

export interface LinkedDescriptor extends ProjectionBase {
  type: 'linked';
  location: 'descriptor';
  stream: string;
  /** Key or JSONPath into the stream's descriptor; `config_index` picks the descriptor (default 0). */
  field: string;
  config_index?: number;
}

export interface LinkedEvent extends ProjectionBase {
  type: 'linked';
  location: 'event';
  stream: string;
  field: string;
  /** Default `values`. `time`/`seq_num` ignore `field`'s value but keep it for messages. */
  part?: ColumnPart;
  /** Absent: the whole column (a dataset of shape [n_events, ...]). */
  index?: ReadingIndex;
}

export interface LinkedConfiguration extends ProjectionBase {
  type: 'linked';
  location: 'configuration';
  stream: string;
  config_device: string;
  /** Which descriptor of the stream (0 = first). */
  config_index: number;
  field: string;
}

export type LinkedProjection = LinkedStart | LinkedDescriptor | LinkedEvent | LinkedConfiguration;

export interface StaticProjection extends ProjectionBase {
  type: 'static';
  value: unknown;
}

export interface CalculatedProjection extends ProjectionBase {
  type: 'calculated';
  calculation: Calculation;
  /** seeds/002 allows calculated projections over an event field: the column is the first argument. */
  location?: 'event';
  stream?: string;
  field?: string;
}

export type Projection = LinkedProjection | StaticProjection | CalculatedProjection;

/** Dataset storage options. */
export interface StorageOptions {
  /** gzip level 1–9 (true = 4). */
  compression?: number;
  /** Chunk shape; default chosen by the writer. */
  chunks?: number[];
}

export interface LayoutAttribute {
  readonly name: string;
  readonly value: ValueSpec;
  /** JSON pointer of the attribute in the template. */
  readonly pointer: string;
}

/**
 * Repetition of a node (`"$repeat"` in the template):
 * - `streams`: once per stream of the run, binding `stream` (its name);
 * - `fields`: once per data key of `stream` (may be `{{stream}}`), binding `field` and `data_key`;
 * - `keys`: once per key of the object at JSONPath `path` (e.g. `$.start`), binding `key` and `value`.
 * Names, projection strings and text under a repeat may use the bound names (`{{stream}}`…).
 */
export type Repeat = { over: 'streams' } | { over: 'fields'; stream: string } | { over: 'keys'; path: string };

interface NodeBase {
  /** The name as written (may contain `{{stream}}`/`{{field}}` under a repeat). */
  readonly name: string;
  readonly pointer: string;
  readonly attributes: LayoutAttribute[];
  readonly repeat?: Repeat;
}

export interface LayoutGroup extends NodeBase {
  readonly kind: 'group';
  /** `NXentry` etc.; undefined only for the root (whose name is `''` and pointer `/tree`). */
  readonly nxClass?: string;
  readonly children: LayoutNode[];
}

export interface LayoutField extends NodeBase {
  readonly kind: 'field';
  readonly value: ValueSpec;
  readonly storage: StorageOptions;
  readonly optional: Optionality;
  readonly dtype?: string;
}

export interface LayoutLink extends NodeBase {
  readonly kind: 'link';
  /** Absolute HDF5 path (in this file, or in `file` when external). */
  readonly target: string;
  /** soft (default), hard, or external (when `file` is set). */
  readonly linkType: 'soft' | 'hard' | 'external';
  /** External file, a handlebars string relative to the output file. */
  readonly file?: string;
  readonly optional: Optionality;
}

export type LayoutNode = LayoutGroup | LayoutField | LayoutLink;

/** What `parseLayout`/`loadLayout` return: a layout only when there is no error-severity diagnostic. */
export interface LayoutResult {
  layout?: Layout;
  diagnostics: Diagnostic[];
}

/**
 * `match`: every key (a dotted path into the run context, e.g. `start.beamline_id`) must satisfy its
 * condition: a scalar (must equal), a list (one of), `{exists: bool}` or `{pattern: regex}` (tested
 * against the value as text).
 */
export type MatchRule = Record<string, unknown>;

export interface Layout {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly match?: MatchRule;
  /** Higher wins when several templates match. */
  readonly priority: number;
  /** Handlebars string: the output path relative to the output root. */
  readonly file: string;
  readonly root: LayoutGroup;
  /** Where the template came from, for messages. */
  readonly sourcePath?: string;
  /** sha256 of the template text. */
  readonly sha256: string;
  /** The template text (for provenance and positions). */
  readonly text: string;
  /**
   * `fallback` as written: the template a run gets when this one fails for it
   * (a template name, or a .json file relative to this template). Absent: the shipped default.
   */
  readonly fallback?: string;
  /** `start_projections`: how the start document's own projections are taken. */
  readonly startProjections?: StartProjectionRules;
  /**
   * The fallback template itself, resolved when the templates are loaded
   * (cli/templates.ts); absent when there is none to fall back to.
   */
  readonly fallbackLayout?: Layout;
}

/** A template's rules for the start document's `projections` (seeds/002). */
export interface StartProjectionRules {
  /** Projection names applied (default DEFAULT_PROJECTION_NAMES). */
  readonly names?: readonly string[];
  /** Python callables (`module:function`) → the registry calculation that stands in for each. */
  readonly callables?: Readonly<Record<string, string>>;
}

/** Projection names applied when neither the command line nor the template says. */
export const DEFAULT_PROJECTION_NAMES: readonly string[] = ['nexus', 'nxlayout', 'nxsas'];

/** The keys of a projection object (seeds/002's, then nxlayout's extensions): a template field's and a start document's. */
export const PROJECTION_KEYS = [
  'type',
  'location',
  'stream',
  'field',
  'config_device',
  'config_index',
  'calculation',
  'value',
  'index',
  'part',
  'optional',
  'dtype',
] as const;
