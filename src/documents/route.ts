import type { DocumentHandlers, DocumentSource, DocTypes, DocName, NamedDocument } from './models.js';

/**
 * Call the handler named after the document (event-model's DocumentRouter),
 * returning its result, or undefined when there is no handler for that name.
 * Pages are not converted: a consumer that wants events from pages calls
 * unpackEventPage in its event_page handler.
 */
export function routeDocument<R>(
  handlers: DocumentHandlers<R>,
  named: NamedDocument,
  at?: DocumentSource,
): R | undefined {
  // The union of (name, doc) pairs is correlated, which TypeScript cannot follow through an index; this cast is where it is restored.
  const handler = handlers[named.name] as ((doc: DocTypes[DocName], at?: DocumentSource) => R) | undefined;
  return handler === undefined ? undefined : handler(named.doc, at);
}
