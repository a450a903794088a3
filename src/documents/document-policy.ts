/**
 * What a document needs to be usable, whatever event-model version wrote it.
 *
 * Real archives carry keys the current schemas forbid (a resource's legacy
 * `id`, extra keys in a datum or a descriptor's data keys) and lack keys a
 * newer version added. Such a document is kept with a warning; it is dropped
 * only when it cannot be used: an essential field missing (its uid, its
 * run_start…) or of the wrong shape. This module derives the "usable" schema
 * from event-model's own: every `additionalProperties: false` lifted, and
 * only the essential top-level fields still required. Every other rule of the
 * schema (types, shapes, nested required fields) still holds.
 */
import type { DocName } from './models.js';

/** The top-level fields nxlayout cannot do without, per document type. */
const ESSENTIAL_FIELDS: Readonly<Record<DocName, readonly string[]>> = {
  start: ['uid', 'time'],
  descriptor: ['uid', 'run_start', 'data_keys'],
  event: ['uid', 'descriptor', 'seq_num', 'time', 'data', 'timestamps'],
  event_page: ['uid', 'descriptor', 'seq_num', 'time', 'data', 'timestamps'],
  stop: ['uid', 'run_start'],
  resource: ['uid', 'spec', 'resource_path'],
  datum: ['datum_id', 'resource', 'datum_kwargs'],
  datum_page: ['datum_id', 'resource', 'datum_kwargs'],
  stream_resource: ['uid', 'uri', 'mimetype'],
  stream_datum: ['uid', 'stream_resource', 'descriptor', 'indices', 'seq_nums'],
};

function lift(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(lift);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'additionalProperties' && value === false) continue;
    out[key] = lift(value);
  }
  return out;
}

/** event-model's schema for `name`, relaxed to what a usable document must satisfy (a copy; the original is untouched). */
export function usableSchema(name: DocName, schema: Record<string, unknown>): Record<string, unknown> {
  const relaxed = lift(schema) as Record<string, unknown>;
  const essential = new Set(ESSENTIAL_FIELDS[name]);
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  relaxed.required = [...new Set([...required.filter((k) => essential.has(k)), ...essential])];
  return relaxed;
}
