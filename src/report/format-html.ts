/**
 * The report as a self-contained HTML page that fits 1280 px: a fixed table
 * layout whose long cells wrap, a thumbnail of each run's default plot (inline
 * SVG), each row linking to its file (and to `nxlayout view` when served by it).
 */
import { COLUMNS } from './columns.js';
import { htmlEscape } from './html-escape.js';
import type { Report, ReportLinks, ReportRow } from './models.js';
import { THUMB_WIDTH, thumbnail } from './thumbnail.js';

const STYLE = `body{font-family:system-ui,sans-serif;margin:1rem auto;padding:0 1rem;max-width:1248px;color:#222;box-sizing:border-box}
h1{font-size:1.3rem;margin:.2rem 0}p.total{margin:.2rem 0 .8rem;color:#555}
table{border-collapse:collapse;font-size:.85rem;width:100%;table-layout:fixed}
th,td{border-bottom:1px solid #ddd;padding:.35rem .4rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
td.title,td.sample,td.file,.small{overflow-wrap:anywhere}
th{background:#f0f0f0;position:sticky;top:0}td.num{text-align:right}
td.status-abort,td.status-fail,td.status-no-stop{color:#a00;font-weight:600}
td.title{font-weight:600}.small{display:block;color:#777;font-size:.75rem}
.noplot{color:#999;font-size:.75rem}svg.thumb{display:block}a{color:#1d5fa8}`;

/** Column widths in px; undefined: shares what is left. */
const HTML_COLUMNS: readonly { key: string; width?: number }[] = [
  { key: 'plot', width: THUMB_WIDTH + 12 },
  { key: 'scan', width: 64 },
  { key: 'title' },
  { key: 'sample' },
  { key: 'plan', width: 88 },
  { key: 'start', width: 100 },
  { key: 'duration_s', width: 76 },
  { key: 'status', width: 72 },
  { key: 'events', width: 120 },
  { key: 'file' },
  { key: 'size_bytes', width: 68 },
];

const byKey = new Map(COLUMNS.map((c) => [c.key, c]));

function fileHref(row: ReportRow): string {
  return row.file.split('/').map(encodeURIComponent).join('/');
}

function cell(key: string, row: ReportRow, links: ReportLinks): string {
  const pretty = (k: string) => htmlEscape(byKey.get(k)?.pretty(row) ?? '');
  switch (key) {
    case 'plot':
      return `<td class="plot">${thumbnail(row.plot)}</td>`;
    case 'start': {
      // Seconds are enough to read; the datetime attribute keeps the exact time.
      const [date, time] = (row.start ?? '').replace(/(:\d\d)\.\d+/, '$1').split('T');
      return `<td>${row.start === undefined ? '' : `<time datetime="${htmlEscape(row.start)}">${htmlEscape(date)}<br>${htmlEscape(time ?? '')}</time>`}</td>`;
    }
    case 'status':
      return `<td class="status-${htmlEscape(row.status.replace(/\s+/g, '-'))}">${pretty('status')}</td>`;
    case 'file': {
      const view = links.view === undefined ? '' : ` · <a class="view" href="${htmlEscape(links.view(row))}">view</a>`;
      const about = `${row.uid}${row.template === undefined ? '' : ` · ${row.template}`}`;
      return `<td class="file"><a class="file" href="${htmlEscape((links.file ?? fileHref)(row))}">${pretty('file')}</a>${view}<span class="small">${htmlEscape(about)}</span></td>`;
    }
    case 'scan':
    case 'duration_s':
    case 'size_bytes':
      return `<td class="num">${pretty(key)}</td>`;
    default:
      return `<td class="${key}">${pretty(key)}</td>`;
  }
}

export function formatHtml(report: Report, total: string, links: ReportLinks = {}): string {
  const cols = HTML_COLUMNS.map((c) => `<col${c.width === undefined ? '' : ` style="width:${c.width}px"`}>`).join('');
  const head = HTML_COLUMNS.map(
    (c) => `<th>${htmlEscape(c.key === 'plot' ? 'Default plot' : (byKey.get(c.key)?.title ?? c.key))}</th>`,
  ).join('');
  const body = report.rows.map((row) => `<tr>${HTML_COLUMNS.map((c) => cell(c.key, row, links)).join('')}</tr>`);
  const title = `Runs in ${report.dir}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${htmlEscape(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${htmlEscape(title)}</h1>`,
    `<p class="total">${htmlEscape(total)}</p>`,
    '<table>',
    `<colgroup>${cols}</colgroup>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>${body.join('\n')}</tbody>`,
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
