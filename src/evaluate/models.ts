/**
 * The plan: the file's tree with every node's value, dtype, shape and source,
 * produced by the pure evaluator from (layout, run) and written by nexus/.
 */
import type { Diagnostic, Location } from '../errors.js';
import type { ColumnPart, LayoutAttribute, LayoutNode, StorageOptions } from '../layout/models.js';

/** Canonical element types of the file. Objects are written as JSON text (`string`). */
export type DType =
  | 'float64'
  | 'float32'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint64'
  | 'uint32'
  | 'uint16'
  | 'uint8'
  | 'bool'
  | 'string';

/** A value known now: a scalar (shape []) or an n-d array given as nested JS arrays or a flat list. */
interface InlineValue {
  readonly kind: 'inline';
  /** Flat, row-major values (numbers, bigints, booleans or strings) of `shape`. */
  readonly data: readonly unknown[];
}

/** A whole event column, appended row by row as events arrive. */
export interface ColumnValue {
  readonly kind: 'column';
  readonly stream: string;
  readonly field: string;
  readonly part: ColumnPart;
  /** `json`: each row is written as JSON text (rows that do not share one shape, e.g. ragged arrays). */
  readonly encoding?: 'json';
  /** Subtracted from every numeric row (NXlog `time` relative to its `@start`). */
  readonly offset?: number;
}

type PlannedValue = InlineValue | ColumnValue;

export interface PlannedAttribute {
  readonly name: string;
  readonly dtype: DType;
  /** [] for a scalar, [n] for a list. */
  readonly shape: number[];
  readonly data: readonly unknown[];
}

interface PlannedBase {
  /** Absolute HDF5 path. */
  readonly path: string;
  readonly attributes: PlannedAttribute[];
  /** Human-readable source (`start.scan_id`, `event primary/I0`, `static`…) for dry runs. */
  readonly source: string;
  /** JSON pointer of the template node it came from. */
  readonly pointer?: string;
  /** In a plan only: the attributes are evaluated at the stop (resolveValues), `attributes` is empty until then. */
  readonly deferredAttributes?: DeferredAttributes;
}

/** A group; `Leaf` is PlannedField in a resolved tree, PlanLeaf (maybe deferred) in a plan's. */
export interface PlannedGroup<Leaf = PlannedField> extends PlannedBase {
  readonly kind: 'group';
  readonly nxClass?: string;
  readonly children: (PlannedGroup<Leaf> | Leaf | PlannedLink)[];
}

export interface PlannedField extends PlannedBase {
  readonly kind: 'field';
  readonly dtype: DType;
  /** For columns: [n_events, ...row shape] with n_events as known when planned. */
  readonly shape: number[];
  readonly value: PlannedValue;
  readonly storage: StorageOptions;
}

export interface PlannedLink extends PlannedBase {
  readonly kind: 'link';
  readonly linkType: 'soft' | 'hard' | 'external';
  /** Absolute HDF5 path of the target (in `file` when external). */
  readonly target: string;
  /** External links: the target file as the run names it (absolute, or relative to the output file); the writer stores it relative to the output file's directory. */
  readonly file?: string;
  /** External data links: the stream and field whose readings the target holds, and the target's shape as the documents give it (never read from the file). */
  readonly external?: { readonly stream: string; readonly field: string; readonly shape?: number[] };
}

export type PlannedNode = PlannedGroup | PlannedField | PlannedLink;

/**
 * Where a deferred value is evaluated at the stop: the repeat bindings in
 * force and the location (template pointer, HDF5 path) its problems name;
 * `diagnosticAt`: how many problems the plan had reported before it, so its
 * own take their place in tree order.
 */
export interface DeferredScope {
  readonly bindings: Readonly<Record<string, unknown>>;
  readonly at: Location;
  readonly diagnosticAt: number;
}

/**
 * What the header cannot give, kept as the template's node and its scope and
 * evaluated by resolveValues; it holds no value. `field`: a field whose value
 * is a single reading, a calculation, the stop document, text reading them
 * or external data (`path` is its path). `structure`: a node whose `$repeat`
 * reads beyond the header (keys of the stop document…), planned whole at
 * the stop under `parent` (`path` is its name as written, never in the file).
 */
export interface DeferredNode {
  readonly kind: 'deferred';
  readonly deferred: 'field' | 'structure';
  readonly path: string;
  readonly parent: string;
  readonly pointer: string;
  readonly node: LayoutNode;
  readonly scope: DeferredScope;
}

/** A node's template attributes when one of them is deferred: all are evaluated at the stop, in their order. */
export interface DeferredAttributes {
  readonly attributes: readonly LayoutAttribute[];
  readonly scope: DeferredScope;
}

/** A plan's leaf: a final field, or one deferred to the stop. */
export type PlanLeaf = PlannedField | DeferredNode;
export type PlanGroup = PlannedGroup<PlanLeaf>;
export type PlanNode = PlanGroup | PlanLeaf | PlannedLink;

export interface NexusPlan {
  /** Output path relative to the output root (rendered `file`). */
  readonly file: string;
  readonly root: PlannedGroup;
  readonly diagnostics: Diagnostic[];
  /**
   * Event columns whose rows (not only first/last/stats) the plan read: a
   * reading at an index, a whole column as a calculation argument. A writer
   * that streams columns must keep these; any other column's rows may go.
   */
  readonly readColumns: readonly ColumnRef[];
}

export interface ColumnRef {
  readonly stream: string;
  readonly field: string;
  readonly part: ColumnPart;
}

/** A named, side-effect-free calculation. Receives resolved args and kwargs. */
export type CalculationFn = (args: unknown[], kwargs: Record<string, unknown>) => unknown;

export interface CalculationSpec {
  readonly fn: CalculationFn;
  /** Minimum and maximum number of positional args (max undefined = any). */
  readonly minArgs: number;
  readonly maxArgs?: number;
  readonly kwargs?: readonly string[];
  /** Accept any keyword argument (e.g. `format`'s substitution names). */
  readonly anyKwargs?: boolean;
  /**
   * Which positional args may name data the run lacks (passed as undefined):
   * 'all', or the index from which on. Otherwise a missing `$` path is a
   * missing-data error before the function runs.
   */
  readonly mayBeMissing?: 'all' | number;
  readonly description: string;
}

/** What the plan records about the program that wrote it (template info comes from the Layout). */
export interface Provenance {
  readonly nxlayoutVersion: string;
}

/**
 * A column whose rows are not all retained (drained by the writer): what a
 * reduction (mean, min, max, count, first, last) can still use.
 */
export interface ColumnSummary {
  readonly kind: 'column-summary';
  readonly stream: string;
  readonly field: string;
  readonly length: number;
  readonly first?: unknown;
  readonly last?: unknown;
  readonly stats?: { count: number; min: number; max: number; sum: number };
}
