/**
 * Conventions of single fields, as NeXus writers at beamlines apply them:
 * - `units` of a whole event column from its data key; never an empty `units`;
 * - the rest of the data key kept as attributes: `source` (the EPICS PV),
 *   `precision`, limits, the declared `dtype`, `dtype_numpy` and `shape`;
 * - an NXlog's `time` relative to its `@start` (ISO 8601), per NXlog.
 */
import type { DataKey } from '../documents/models.js';
import type { Run } from '../run/models.js';
import { iso8601 } from './iso-time.js';
import type { ColumnValue, PlanGroup, PlanNode, PlannedAttribute, PlannedField } from './models.js';
import { baseName } from './names.js';

function text(name: string, value: string): PlannedAttribute {
  return { name, dtype: 'string', shape: [], data: [value] };
}

/** An empty or blank `units` says nothing and misleads readers: it is never written. */
export function withoutEmptyUnits(attrs: readonly PlannedAttribute[]): PlannedAttribute[] {
  return attrs.filter((a) => a.name !== 'units' || a.data.some((v) => typeof v !== 'string' || v.trim() !== ''));
}

/** Limits as the data key gives them: flat (`lower_ctrl_limit`) or grouped (`limits.control.low`). */
function limitAttributes(dk: DataKey): PlannedAttribute[] {
  const out: PlannedAttribute[] = [];
  const rec = dk as Record<string, unknown>;
  for (const key of [
    'lower_ctrl_limit',
    'upper_ctrl_limit',
    'lower_disp_limit',
    'upper_disp_limit',
    'lower_alarm_limit',
    'upper_alarm_limit',
    'lower_warning_limit',
    'upper_warning_limit',
  ]) {
    const v = rec[key];
    if (typeof v === 'number' && Number.isFinite(v)) out.push({ name: key, dtype: 'float64', shape: [], data: [v] });
  }
  const limits = rec.limits;
  if (typeof limits === 'object' && limits !== null && !Array.isArray(limits)) {
    for (const [kind, range] of Object.entries(limits as Record<string, unknown>)) {
      if (typeof range !== 'object' || range === null) continue;
      for (const [end, v] of Object.entries(range as Record<string, unknown>)) {
        const name = `limits_${kind}_${end}`.replace(/[^A-Za-z0-9_]/g, '_');
        if (typeof v === 'number' && Number.isFinite(v)) out.push({ name, dtype: 'float64', shape: [], data: [v] });
      }
    }
  }
  return out;
}

/** The data key's description of a field: what a reader needs to trust the numbers (where from, how precise, within which limits). */
function dataKeyAttributes(dk: DataKey): PlannedAttribute[] {
  const out: PlannedAttribute[] = [];
  if (typeof dk.units === 'string' && dk.units.trim() !== '') out.push(text('units', dk.units));
  if (typeof dk.source === 'string' && dk.source !== '') out.push(text('source', dk.source));
  const precision = (dk as Record<string, unknown>).precision;
  if (typeof precision === 'number' && Number.isInteger(precision))
    out.push({ name: 'precision', dtype: 'int64', shape: [], data: [precision] });
  out.push(...limitAttributes(dk));
  if (typeof dk.dtype === 'string') out.push(text('dtype', dk.dtype));
  const numpy = (dk as Record<string, unknown>).dtype_numpy;
  if (typeof numpy === 'string' && numpy !== '') out.push(text('dtype_numpy', numpy));
  const shape = Array.isArray(dk.shape)
    ? dk.shape.filter((d): d is number => typeof d === 'number' && Number.isInteger(d))
    : [];
  if (shape.length > 0) out.push({ name: 'shape', dtype: 'int64', shape: [shape.length], data: shape });
  return out;
}

function merge(attrs: readonly PlannedAttribute[], extra: readonly PlannedAttribute[]): PlannedAttribute[] {
  const have = new Set(attrs.map((a) => a.name));
  return [...attrs, ...extra.filter((a) => !have.has(a.name))];
}

/** A whole event column: its data key's attributes, the template's own attributes first; times in seconds. */
export function fieldConventions(field: PlannedField, run: Run): PlannedField {
  const attributes = withoutEmptyUnits(field.attributes);
  if (field.value.kind !== 'column')
    return attributes.length === field.attributes.length ? field : { ...field, attributes };
  const { stream, field: name, part } = field.value;
  if (part === 'time' || part === 'timestamps')
    return { ...field, attributes: merge(attributes, [text('units', 's')]) };
  const dk = part === 'values' ? run.streams.get(stream)?.dataKeys[name] : undefined;
  if (dk === undefined) return { ...field, attributes };
  return { ...field, attributes: merge(attributes, dataKeyAttributes(dk)) };
}

type TimeField = PlannedField & { readonly value: ColumnValue };

/**
 * NXlog: "times are relative to the start attribute". A `time` child that is
 * an event time column (absolute epoch seconds) becomes relative to the run's
 * start, with `@start`; one the template already gave `@start` is left alone,
 * and so is a column another dataset of the file writes absolute (both share
 * the rows as they are read).
 */
export function relativeLogTime(group: PlanGroup, run: Run, sharedColumns: ReadonlySet<string>): PlanGroup {
  const at = group.children.findIndex((c) => c.kind === 'field' && baseName(c.path) === 'time');
  if (at < 0) return group;
  const time = group.children[at] as PlannedField;
  if (time.value.kind !== 'column' || (time.value.part !== 'timestamps' && time.value.part !== 'time')) return group;
  const given = [...time.attributes, ...(time.deferredAttributes?.attributes ?? [])];
  if (time.value.offset !== undefined || given.some((a) => a.name === 'start')) return group;
  if (sharedColumns.has(timeColumnKey(time as TimeField))) return group;
  const start = run.start.time;
  const attributes = [...time.attributes.filter((a) => a.name !== 'start'), text('start', iso8601(start))];
  const relative: PlanNode = {
    ...time,
    value: { ...time.value, offset: start },
    attributes,
    source: `${time.source} − start.time`,
  };
  const children = [...group.children];
  children[at] = relative;
  return { ...group, children };
}

function timeColumnKey(field: TimeField): string {
  const v = field.value;
  return `${v.stream}\u0000${v.part === 'time' ? '' : v.field}\u0000${v.part}`;
}

/** Run columns (stream, field, part) written by more than one dataset of the plan. */
export function sharedTimeColumns(root: PlanGroup): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  const visit = (n: PlanNode): void => {
    if (n.kind === 'group') n.children.forEach(visit);
    else if (
      n.kind === 'field' &&
      n.value.kind === 'column' &&
      (n.value.part === 'time' || n.value.part === 'timestamps')
    ) {
      const key = timeColumnKey(n as TimeField);
      if (seen.has(key)) shared.add(key);
      seen.add(key);
    }
  };
  visit(root);
  return shared;
}
