/**
 * The log lines of the events the two services, `watch` and `serve`, share: a diagnostic and a
 * template reload (watch/template-reload.ts), in the same words and JSON fields (json-output.ts).
 */
import { formatDiagnostic, type Diagnostic } from '../../errors.js';
import { diagnosticJson } from './json-output.js';

type Level = 'info' | 'warning' | 'error';

/** `[level, text, fields]`: the text line, or the JSON line's fields besides time, level, event and message. */
export type LogLine = [Level, string, Record<string, unknown>];

type SharedEvent =
  | { kind: 'diagnostic'; diagnostic: Diagnostic }
  | { kind: 'templates-reloaded'; templates: string[] }
  | { kind: 'templates-rejected'; diagnostics: Diagnostic[] };

function diagnosticFields(d: Diagnostic): Record<string, unknown> {
  return { ...diagnosticJson(d) };
}

export function describeSharedEvent(e: SharedEvent): LogLine {
  switch (e.kind) {
    case 'diagnostic':
      return [
        e.diagnostic.severity === 'info' ? 'info' : e.diagnostic.severity,
        formatDiagnostic(e.diagnostic),
        diagnosticFields(e.diagnostic),
      ];
    case 'templates-reloaded':
      return ['info', `templates reloaded: ${e.templates.join(', ')}`, { templates: e.templates }];
    case 'templates-rejected':
      return [
        'error',
        `templates NOT reloaded, the previous version stays in service: ${e.diagnostics.map((d) => formatDiagnostic(d)).join('; ')}`,
        { diagnostics: e.diagnostics.map(diagnosticFields) },
      ];
  }
}
