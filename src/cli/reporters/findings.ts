/**
 * `validate`'s findings as text for people (errors.ts' formatDiagnostic, editor style: FILE:LINE:COLUMN
 * first), JSON for tools, or GitHub Actions workflow commands (annotations on the pull request's lines,
 * their text in formatDiagnostic's annotation style). Pure: cli/ prints.
 */
import { formatDiagnostic } from '../../errors.js';
import type { Finding } from '../../validate/models.js';

export type OutputFormat = 'text' | 'json' | 'github';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'github'];

export interface JsonFinding {
  file: string | null;
  line: number | null;
  column: number | null;
  pointer: string | null;
  severity: string;
  code: string;
  message: string;
  hint: string | null;
  run?: string;
  stream?: string;
  field?: string;
  nexus_path?: string;
}

function toJson(f: Finding): JsonFinding {
  const l = f.location;
  return {
    file: l.file ?? null,
    line: l.line ?? null,
    column: l.column ?? null,
    pointer: l.pointer ?? null,
    severity: f.severity,
    code: f.code,
    message: f.message,
    hint: f.hint ?? null,
    ...(l.run === undefined ? {} : { run: l.run }),
    ...(l.stream === undefined ? {} : { stream: l.stream }),
    ...(l.field === undefined ? {} : { field: l.field }),
    ...(l.nexusPath === undefined ? {} : { nexus_path: l.nexusPath }),
  };
}

// GitHub workflow commands: data escapes %, CR, LF; property values also `:` and `,`
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** `::error file=F,line=L,col=C,title=CODE::message`. */
function formatGithub(f: Finding): string {
  const l = f.location;
  const props = [
    l.file === undefined ? '' : `file=${escapeProperty(l.file)}`,
    l.line === undefined ? '' : `line=${l.line}`,
    l.column === undefined ? '' : `col=${l.column}`,
    `title=${escapeProperty(f.code)}`,
  ]
    .filter((p) => p !== '')
    .join(',');
  return `::${COMMAND[f.severity]} ${props}::${escapeData(formatDiagnostic(f, 'annotation'))}`;
}

export function formatFindings(findings: readonly Finding[], format: OutputFormat): string[] {
  switch (format) {
    case 'json':
      return [JSON.stringify(findings.map(toJson), null, 2)];
    case 'github':
      return findings.map(formatGithub);
    default:
      return findings.map((f) => formatDiagnostic(f, 'editor'));
  }
}
