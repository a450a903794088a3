/**
 * `validate`'s findings as text for people (editor style, FILE:LINE:COLUMN first), JSON for tools,
 * or GitHub Actions workflow commands (annotations on the pull request's lines). Pure: cli/ prints.
 * The other commands print a Diagnostic with errors.ts' formatDiagnostic (also what files record).
 */
import type { Finding } from '../../validate/models.js';

export type OutputFormat = 'text' | 'json' | 'github';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'github'];

/** What a finding is about besides its place in the template: the run, stream, field, HDF5 path. */
function context(f: Finding): string {
  const l = f.location;
  const parts = [
    l.run === undefined ? '' : `run ${l.run.slice(0, 8)}`,
    l.stream === undefined ? '' : `stream ${l.stream}`,
    l.field === undefined ? '' : `field ${l.field}`,
    l.nexusPath === undefined ? '' : l.nexusPath,
  ].filter((p) => p !== '');
  return parts.length === 0 ? '' : ` [${parts.join(', ')}]`;
}

/** `FILE:LINE:COLUMN: severity CODE: message (pointer) [run, stream, field, HDF5 path] — hint`. */
function formatText(f: Finding): string {
  const { file, line, column, pointer } = f.location;
  let where = file ?? '';
  if (file !== undefined && line !== undefined) where += `:${line}:${column ?? 1}`;
  else if (file !== undefined && f.location.item !== undefined) where += ` item ${f.location.item}`;
  const at = pointer === undefined ? '' : ` (${pointer === '' ? '/' : pointer})`;
  const hint = f.hint ? ` — ${f.hint}` : '';
  return `${where === '' ? '' : `${where}: `}${f.severity} ${f.code}: ${f.message}${at}${context(f)}${hint}`;
}

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
  const at = l.pointer === undefined ? '' : ` (${l.pointer})`;
  const message = `${f.message}${at}${context(f)}${f.hint ? ` — ${f.hint}` : ''}`;
  return `::${COMMAND[f.severity]} ${props}::${escapeData(message)}`;
}

export function formatFindings(findings: readonly Finding[], format: OutputFormat): string[] {
  switch (format) {
    case 'json':
      return [JSON.stringify(findings.map(toJson), null, 2)];
    case 'github':
      return findings.map(formatGithub);
    default:
      return findings.map(formatText);
  }
}
