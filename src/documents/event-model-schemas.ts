import { createRequire } from 'node:module';
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

const require = createRequire(import.meta.url);
// Compiled code runs from dist/src/documents/, the sources sit in src/documents/:
// the schemas are at the repository (or installed package) root either way.
const ROOTS = ['../../../schemas/event-model/', '../../schemas/event-model/'];

/** The event-model JSON schema of one document type (loaded once through the module cache). */
export function loadEventModelSchema(name: DocName): Record<string, unknown> {
  let lastError: unknown;
  for (const root of ROOTS) {
    try {
      return require(root + SCHEMA_FILES[name]) as Record<string, unknown>;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}
