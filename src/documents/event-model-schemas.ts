import { EVENT_MODEL_SCHEMAS } from './event-model-schemas.generated.js';
import type { DocName } from './models.js';

/** schemas/event-model/<file> for each document name (extracted by scripts/extract-event-model-schemas.mjs). */
export const SCHEMA_FILES: Record<DocName, string> = {
  start: 'start.json',
  descriptor: 'descriptor.json',
  event: 'event.json',
  event_page: 'event_page.json',
  stop: 'stop.json',
  resource: 'resource.json',
  datum: 'datum.json',
  datum_page: 'datum_page.json',
  stream_resource: 'stream_resource.json',
  stream_datum: 'stream_datum.json',
};

/** The event-model JSON schema of one document type (embedded by scripts/embed-schemas.mjs). */
export function loadEventModelSchema(name: DocName): Record<string, unknown> {
  const schema = EVENT_MODEL_SCHEMAS[SCHEMA_FILES[name]];
  if (schema === undefined)
    throw new Error(`schemas/event-model/${SCHEMA_FILES[name]} is not embedded: run node scripts/embed-schemas.mjs`);
  return schema;
}
