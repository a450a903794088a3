/** `linked` projections: a value (or a whole column) taken from one of the run's documents. */
import { NxlError } from '../errors.js';
import type {
  LinkedConfiguration,
  LinkedDescriptor,
  LinkedEvent,
  LinkedProjection,
  LinkedStart,
} from '../layout/models.js';
import type { Stream } from '../run/models.js';
import { assertNever } from './assert-never.js';
import { fitRows } from './column-fit.js';
import { describeColumn, getDataKey, getStream, readRow, selectColumn } from './columns.js';
import { dtypeFromDataKey } from './dtype.js';
import { listHint, noteColumnRead, report, type EvalEnv, type Resolved } from './env.js';
import { isRecord, lookupField } from './lookup.js';
import type { DType } from './models.js';
import { toInline } from './values.js';

export function resolveLinked(p: LinkedProjection, env: EvalEnv, requested?: DType): Resolved {
  switch (p.location) {
    case 'start':
    case 'stop':
      return fromRunDocument(p, env, requested);
    case 'descriptor':
      return fromDescriptor(p, env, requested);
    case 'configuration':
      return fromConfiguration(p, env, requested);
    case 'event':
      return fromEvent(p, env, requested);
    default:
      return assertNever(p, 'projection location');
  }
}

/** A requested dtype must fit; a declared one (from the descriptor) gives way to the values when they disagree. */
function inline(value: unknown, source: string, requested?: DType, declared?: DType): Resolved {
  if (requested !== undefined || declared === undefined)
    return { kind: 'inline', ...toInline(value, requested), source };
  try {
    return { kind: 'inline', ...toInline(value, declared), source };
  } catch {
    return { kind: 'inline', ...toInline(value), source };
  }
}

function keysOf(doc: unknown): string[] {
  return isRecord(doc) ? Object.keys(doc) : [];
}

function fieldSource(prefix: string, field: string): string {
  return field.startsWith('$') ? `${prefix} ${field}` : `${prefix}.${field}`;
}

function fromRunDocument(p: LinkedStart, env: EvalEnv, requested?: DType): Resolved {
  const doc = p.location === 'start' ? env.run.start : env.run.stop;
  if (doc === undefined) {
    throw new NxlError(
      'EVAL_DOCUMENT_MISSING',
      'the run has no stop document',
      { document: { name: 'stop' }, field: p.field },
      {
        hint: 'the run is unfinished or its log was cut short; mark the node optional to write the file without it',
      },
    );
  }
  const found = lookupField(doc, p.field);
  if (!found.found) {
    const code = p.location === 'start' ? 'EVAL_START_MISSING' : 'EVAL_FIELD_MISSING';
    throw new NxlError(
      code,
      `${p.location} document has no ${JSON.stringify(p.field)}`,
      { document: { name: p.location, uid: doc.uid }, field: p.field },
      {
        hint: listHint(`${p.location} keys`, keysOf(doc)),
      },
    );
  }
  return inline(found.value, fieldSource(p.location, p.field), requested);
}

function descriptorAt(stream: Stream, index: number): NonNullable<Stream['descriptors'][number]> {
  const d = stream.descriptors[index];
  if (d === undefined) {
    throw new NxlError(
      'EVAL_CONFIG_MISSING',
      `stream ${stream.name} has no descriptor ${index}`,
      { stream: stream.name },
      {
        hint: `stream ${stream.name} has ${stream.descriptors.length} descriptor(s): config_index 0..${stream.descriptors.length - 1}`,
      },
    );
  }
  return d;
}

function fromDescriptor(p: LinkedDescriptor, env: EvalEnv, requested?: DType): Resolved {
  const stream = getStream(env, p.stream);
  const index = p.config_index ?? 0;
  const d = descriptorAt(stream, index);
  const found = lookupField(d, p.field);
  if (!found.found) {
    throw new NxlError(
      'EVAL_FIELD_MISSING',
      `descriptor ${index} of ${stream.name} has no ${JSON.stringify(p.field)}`,
      {
        stream: stream.name,
        field: p.field,
        document: { name: 'descriptor', uid: d.uid },
      },
      { hint: listHint('descriptor keys', keysOf(d)) },
    );
  }
  return inline(found.value, fieldSource(`descriptor ${stream.name}[${index}]`, p.field), requested);
}

function fromConfiguration(p: LinkedConfiguration, env: EvalEnv, requested?: DType): Resolved {
  const stream = getStream(env, p.stream);
  const d = descriptorAt(stream, p.config_index);
  const where = { stream: stream.name, field: p.field, document: { name: 'descriptor', uid: d.uid } };
  const device = d.configuration?.[p.config_device];
  if (device === undefined) {
    throw new NxlError(
      'EVAL_CONFIG_MISSING',
      `descriptor ${p.config_index} of ${stream.name} has no configuration for device ${JSON.stringify(p.config_device)}`,
      where,
      {
        hint: listHint('configuration devices', keysOf(d.configuration)),
      },
    );
  }
  const found = lookupField(device.data ?? {}, p.field);
  if (!found.found) {
    throw new NxlError(
      'EVAL_FIELD_MISSING',
      `configuration of ${p.config_device} has no ${JSON.stringify(p.field)}`,
      where,
      {
        hint: listHint(`configuration fields of ${p.config_device}`, keysOf(device.data)),
      },
    );
  }
  const dk = device.data_keys?.[p.field];
  const which = p.config_index === 0 ? stream.name : `${stream.name}[${p.config_index}]`;
  const declared = dk === undefined ? undefined : dtypeFromDataKey(dk, found.value);
  return inline(found.value, `configuration ${which}/${p.config_device}/${p.field}`, requested, declared);
}

function fromEvent(p: LinkedEvent, env: EvalEnv, requested?: DType): Resolved {
  const stream = getStream(env, p.stream);
  const part = p.part ?? 'values';
  const field = p.field;
  const label =
    part === 'time' || part === 'seq_num'
      ? `${stream.name} ${part}`
      : `${stream.name}/${field}${part === 'values' ? '' : ` ${part}`}`;
  const dataKey = part === 'time' || part === 'seq_num' ? undefined : getDataKey(stream, field);
  if (part === 'values' && dataKey !== undefined) {
    const refs = env.resolveExternal(env.run, stream.name, field);
    if (dataKey.external !== undefined || refs.length > 0) {
      if (p.index !== undefined) {
        throw new NxlError(
          'EVAL_EXTERNAL',
          `${stream.name}/${field} is external data: one reading cannot be taken from it`,
          { stream: stream.name, field },
          {
            hint: 'remove `index`: the whole external dataset is linked, never copied',
          },
        );
      }
      const ext: Resolved = {
        kind: 'external',
        stream: stream.name,
        field,
        refs,
        source: `external ${stream.name}/${field}`,
        dataKey,
      };
      return ext;
    }
  }
  if (p.index !== undefined) {
    // first/last (and 0/-1) are kept for every column; any other row must stay in memory.
    if (p.index !== 'first' && p.index !== 'last' && p.index !== 0 && p.index !== -1)
      noteColumnRead(env, stream.name, field, part);
    const value = readRow(selectColumn(stream, part, field), p.index, { stream: stream.name, field });
    const declared =
      dataKey === undefined ? (part === 'seq_num' ? 'int64' : 'float64') : dtypeFromDataKey(dataKey, value);
    const which = p.index === 'first' || p.index === 'last' ? p.index : `row ${p.index}`;
    return inline(value, `event ${label} [${which}]`, requested, declared);
  }
  const col = describeColumn(stream, part, field);
  const fit = fitRows(selectColumn(stream, part, field), col, { stream: stream.name, field }, label);
  for (const w of fit.warnings)
    report(env, 'EVAL_SHAPE_MISMATCH', 'warning', w.message, { stream: stream.name, field }, w.hint);
  const resolved: Resolved = {
    kind: 'column',
    stream: stream.name,
    field,
    part,
    shape: fit.shape,
    dtype: fit.encoding === 'json' ? 'string' : (requested ?? fit.dtype),
    source: `event ${label} [all ${stream.length} rows${fit.encoding === 'json' ? ', as JSON text' : ''}]`,
    ...(fit.encoding === undefined ? {} : { encoding: fit.encoding }),
  };
  return col.dataKey === undefined ? resolved : { ...resolved, dataKey: col.dataKey };
}
