/** A report as CSV (RFC 4180), a Markdown table, JSON (snake_case keys) or a self-contained HTML page. */
import { COLUMNS, humanSize } from './columns.js';
import { formatHtml } from './format-html.js';
import type { Report, ReportFormat, ReportLinks, ReportRow } from './models.js';

/** Quoted when it holds a comma, a quote, a line break or edge spaces; quotes doubled. */
export function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function formatCsv(report: Report): string {
  const lines = [COLUMNS.map((c) => c.key).join(',')];
  for (const row of report.rows) lines.push(COLUMNS.map((c) => csvCell(c.raw(row))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Pipes and backslashes escaped, line breaks flattened: one cell stays one cell. */
function mdCell(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ');
}

function total(report: Report): string {
  const bytes = report.rows.reduce((sum, r) => sum + r.size, 0);
  return `${report.rows.length} run${report.rows.length === 1 ? '' : 's'}, ${humanSize(bytes)}`;
}

const NUMERIC = new Set(['scan', 'size_bytes', 'duration_s']);

function formatMarkdown(report: Report): string {
  const lines = [
    `# Runs in ${mdCell(report.dir)}`,
    '',
    total(report),
    '',
    `| ${COLUMNS.map((c) => c.title).join(' | ')} |`,
    `|${COLUMNS.map((c) => (NUMERIC.has(c.key) ? ' ---: ' : ' --- ')).join('|')}|`,
  ];
  for (const row of report.rows) lines.push(`| ${COLUMNS.map((c) => mdCell(c.pretty(row))).join(' | ')} |`);
  return lines.join('\n') + '\n';
}

/** A row for JSON: snake_case keys (event-model's convention), absent values left out. */
function jsonRow(row: ReportRow): Record<string, unknown> {
  const plot =
    row.plot === undefined
      ? undefined
      : Object.fromEntries(Object.entries(row.plot).map(([k, v]) => [k === 'xName' ? 'x_name' : k, v]));
  const out: Record<string, unknown> = {
    scan_id: row.scanId,
    title: row.title,
    sample: row.sample,
    plan_name: row.plan,
    start: row.start,
    end: row.end,
    duration_s: row.duration,
    exit_status: row.status,
    num_events: row.events,
    file: row.file,
    size_bytes: row.size,
    uid: row.uid,
    template: row.template,
    plot,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

function formatJson(report: Report): string {
  return JSON.stringify({ dir: report.dir, runs: report.rows.map(jsonRow), skipped: report.skipped }, null, 2) + '\n';
}

export function formatReport(report: Report, format: ReportFormat, links: ReportLinks = {}): string {
  switch (format) {
    case 'csv':
      return formatCsv(report);
    case 'md':
      return formatMarkdown(report);
    case 'json':
      return formatJson(report);
    case 'html':
      return formatHtml(report, total(report), links);
  }
}
