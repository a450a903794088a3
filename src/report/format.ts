/** A report as CSV (RFC 4180), a Markdown table, or a self-contained HTML page. */
import { COLUMNS, humanSize } from './columns.js';
import type { Report, ReportFormat } from './models.js';

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
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ');
}

function total(report: Report): string {
  const bytes = report.rows.reduce((sum, r) => sum + r.size, 0);
  return `${report.rows.length} run${report.rows.length === 1 ? '' : 's'}, ${humanSize(bytes)}`;
}

function formatMarkdown(report: Report): string {
  const lines = [
    `# Runs in ${mdCell(report.dir)}`,
    '',
    total(report),
    '',
    `| ${COLUMNS.map((c) => c.title).join(' | ')} |`,
    `|${COLUMNS.map((c) => (c.key === 'scan' || c.key === 'size_bytes' || c.key === 'duration_s' ? ' ---: ' : ' --- ')).join('|')}|`,
  ];
  for (const row of report.rows) lines.push(`| ${COLUMNS.map((c) => mdCell(c.pretty(row))).join(' | ')} |`);
  return lines.join('\n') + '\n';
}

function htmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}tr:nth-child(even) td{background:#fafafa}td.num{text-align:right}td.status-abort,td.status-fail{color:#a00}`;

function formatHtml(report: Report): string {
  const numeric = new Set(['scan', 'size_bytes', 'duration_s']);
  const head = COLUMNS.map((c) => `<th>${htmlEscape(c.title)}</th>`).join('');
  const body = report.rows.map((row) => {
    const cells = COLUMNS.map((c) => {
      const cls = numeric.has(c.key) ? ' class="num"' : c.key === 'status' ? ` class="status-${htmlEscape(row.status.replace(/\s+/g, '-'))}"` : '';
      return `<td${cls}>${htmlEscape(c.pretty(row))}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  const title = `Runs in ${report.dir}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${htmlEscape(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${htmlEscape(title)}</h1>`,
    `<p>${htmlEscape(total(report))}</p>`,
    '<table>',
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>${body.join('\n')}</tbody>`,
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function formatReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'csv':
      return formatCsv(report);
    case 'md':
      return formatMarkdown(report);
    case 'html':
      return formatHtml(report);
  }
}
