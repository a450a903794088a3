/**
 * A start document's projection (seeds/002 form, loosely typed as it comes
 * off the wire) → a checked layout Projection. Required keys follow the
 * seeds/002 schema's if/then rules; nxlayout's extensions pass through.
 */
import type { EventModelProjection } from '../documents/models.js';
import { NxlError } from '../errors.js';
import { PROJECTION_KEYS, type Projection } from '../layout/models.js';
import { isRecord } from './lookup.js';

const REQUIRED: Record<string, readonly string[]> = {
  'linked/start': ['field'],
  'linked/stop': ['field'],
  'linked/descriptor': ['stream', 'field'],
  'linked/event': ['stream', 'field'],
  'linked/configuration': ['stream', 'config_device', 'config_index', 'field'],
  static: ['value'],
  calculated: ['calculation'],
};

export function fromDocumentProjection(raw: EventModelProjection | unknown): Projection {
  if (!isRecord(raw)) throw invalid('is not an object');
  const type = raw.type ?? (raw.calculation !== undefined ? 'calculated' : 'value' in raw ? 'static' : 'linked');
  if (type !== 'linked' && type !== 'static' && type !== 'calculated')
    throw invalid(`has type ${JSON.stringify(type)}`, 'type is linked, static or calculated');
  const location = raw.location;
  const key = type === 'linked' ? `linked/${String(location)}` : type;
  const required = REQUIRED[key];
  if (required === undefined) {
    throw invalid(
      `has location ${JSON.stringify(location)}`,
      'a linked projection needs location start, stop, event, configuration or descriptor',
    );
  }
  const absent = required.filter((k) => raw[k] === undefined);
  if (absent.length > 0)
    throw invalid(`lacks ${absent.join(', ')}`, `a ${key.replace('/', ' ')} projection needs ${required.join(', ')}`);
  if (type === 'calculated' && (!isRecord(raw.calculation) || typeof raw.calculation.callable !== 'string')) {
    throw invalid('has a calculation without a callable', 'calculation: {callable, args, kwargs}');
  }
  const out: Record<string, unknown> = { type };
  for (const k of PROJECTION_KEYS) if (k !== 'type' && raw[k] !== undefined) out[k] = raw[k];
  return out as unknown as Projection;
}

function invalid(what: string, hint?: string): NxlError {
  return new NxlError(
    'EVAL_PROJECTION',
    `start document projection ${what}`,
    { document: { name: 'start' } },
    hint === undefined ? {} : { hint },
  );
}
