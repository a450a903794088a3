/**
 * What the commands print as JSON: one vocabulary, snake_case keys (event-model's
 * convention), the same names in `write --json`, `watch --log-format json` and
 * the journal. Each output has a JSON Schema under schemas/ (schemas/README.md).
 */
import type { Diagnostic, Location } from '../../errors.js';
import type { RunResult } from '../../convert/index.js';

interface JsonLocation {
  file?: string;
  line?: number;
  column?: number;
  item?: number;
  offset?: number;
  pointer?: string;
  nexus_path?: string;
  document?: { name: string; uid?: string };
  run?: string;
  stream?: string;
  field?: string;
}

export interface JsonDiagnostic {
  code: Diagnostic['code'];
  severity: Diagnostic['severity'];
  message: string;
  location: JsonLocation;
  hint?: string;
}

function locationJson(l: Location): JsonLocation {
  const { nexusPath, ...rest } = l;
  return nexusPath === undefined ? { ...rest } : { ...rest, nexus_path: nexusPath };
}

export function diagnosticJson(d: Diagnostic): JsonDiagnostic {
  const out: JsonDiagnostic = {
    code: d.code,
    severity: d.severity,
    message: d.message,
    location: locationJson(d.location),
  };
  if (d.hint !== undefined) out.hint = d.hint;
  return out;
}

/** One run of `write --json`. */
export interface JsonRunResult {
  uid: string;
  scan_id: number | null;
  status: RunResult['status'];
  /** name@version of the template used. */
  template: string | null;
  template_sha256: string | null;
  /** name@version of the template tried first when a fallback was used, else null. */
  fallback_from: string | null;
  /** The file written (or planned, for --dry-run); null when the run failed: nothing was written. */
  file: string | null;
  events: number;
  /** Wall milliseconds from the run's first document to its file in place. */
  ms: number;
  incomplete: boolean;
  completeness: RunResult['completeness'] | null;
  logs: string[];
  diagnostics: JsonDiagnostic[];
  /** --dry-run only: the planned tree. */
  plan?: unknown;
}

export function runResultJson(r: RunResult, withPlan: boolean): JsonRunResult {
  const out: JsonRunResult = {
    uid: r.uid,
    scan_id: r.scanId ?? null,
    status: r.status,
    template: r.layout ?? null,
    template_sha256: r.layoutSha256 ?? null,
    fallback_from: r.fallbackFrom ?? null,
    // A failed run's file was never written: never name it.
    file: r.status === 'failed' ? null : (r.file ?? null),
    events: r.events,
    ms: r.ms,
    incomplete: r.incomplete,
    completeness: r.completeness ?? null,
    logs: [...r.logs],
    diagnostics: r.diagnostics.map(diagnosticJson),
  };
  if (withPlan && r.plan !== undefined) out.plan = snakeKeys(r.plan);
  return out;
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A dry run's plan: its keys are nxlayout's own (never names from the data), so they are renamed wholesale; values (`data`) are left as they are. */
function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [snake(k), k === 'data' ? x : snakeKeys(x)]));
}
