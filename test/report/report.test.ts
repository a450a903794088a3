import { describe, test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadLayout } from '../../src/layout/index.js';
import { buildReport, csvCell, formatReport, type Report } from '../../src/report/index.js';
import { composeRun } from '../../src/run/testing.js';
import { REPO, tempDir, writeLog, writeRuns } from './helpers.js';

/** A minimal RFC 4180 reader, to check the CSV round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('nxlayout report', () => {
  const tmp = tempDir('nxl-report-');
  let report: Report;

  before(async () => {
    const { layout } = await loadLayout(path.join(REPO, 'templates', 'default.json'));
    assert.ok(layout !== undefined);
    const samples = ['plain', 'with, comma and "quotes"', 'pipe | <script>alert(1)</script> & more'];
    // Scan 3 has no title in its start document: the template writes `count 3`, the report shows it.
    const logs = [12, 3, 7].map((scan, i) => {
      const b = composeRun({
        scan_id: scan,
        plan_name: 'count',
        sample_name: samples[i],
        ...(scan === 3 ? {} : { title: `title ${scan}` }),
        time: 1_700_000_000 + 100 * i,
      });
      b.descriptor('baseline', { ring_current: {} }).event({ ring_current: 101.5 });
      const d = b.descriptor('primary', { I0: {} });
      for (let k = 0; k < (scan === 12 ? 600 : 1); k++) d.event({ I0: Math.sin(k / 30) });
      b.stop(scan === 7 ? { exit_status: 'abort' } : {});
      return writeLog(b, path.join(tmp.dir, `run-${scan}.jsonl`));
    });
    const userDir = path.join(tmp.dir, 'root');
    const results = await writeRuns(logs, path.join(userDir, 'sub'), layout);
    assert.deepEqual(
      results.map((r) => r.status),
      ['written', 'written', 'written'],
      JSON.stringify(results.map((r) => r.diagnostics.filter((d) => d.severity === 'error'))),
    );
    // a detector file (HDF5, no run), and a file that only looks like one
    writeFileSync(path.join(userDir, 'broken.h5'), 'not hdf5');
    mkdirSync(path.join(userDir, 'raw'));
    report = await buildReport(userDir);
  });
  after(tmp.remove);

  test('lists the run files recursively, sorted by scan, with their metadata', () => {
    assert.deepEqual(
      report.rows.map((r) => [r.scanId, r.status, r.sample, r.plan, r.file.split('/')[0]]),
      [
        [3, 'success', 'with, comma and "quotes"', 'count', 'sub'],
        [7, 'abort', 'pipe | <script>alert(1)</script> & more', 'count', 'sub'],
        [12, 'success', 'plain', 'count', 'sub'],
      ],
    );
    const first = report.rows[0];
    assert.equal(first.start, '2023-11-14T22:15:00Z');
    assert.match(first.end ?? '', /^2023-11-14T22:15:0\dZ$/);
    assert.equal(first.template, 'default@1.0.0');
    assert.ok(first.size > 1000);
    assert.deepEqual(
      report.rows.map((r) => r.title),
      ['count 3', 'title 7', 'title 12'],
      'the title the file holds, computed by the template when the start has none',
    );
    assert.deepEqual(
      report.rows.map((r) => r.events),
      [
        { baseline: 1, primary: 1 },
        { baseline: 1, primary: 1 },
        { baseline: 1, primary: 600 },
      ],
    );
    const plot = report.rows[2].plot;
    assert.ok(plot?.kind === 'line');
    assert.equal(plot.length, 600);
    assert.ok(plot.y.length <= 400 && plot.y.length > 100, `downsampled to ${plot.y.length} points`);
    assert.ok(
      Math.max(...plot.y.map(Number)) > 0.999 && Math.min(...plot.y.map(Number)) < -0.999,
      'the extremes survive the downsampling',
    );
    assert.equal(report.diagnostics.length, 1, 'the file that is not HDF5 is reported');
    assert.equal(report.diagnostics[0].code, 'NEXUS_READ');
  });

  test('CSV: a header, one quoted-as-needed line per run, exact numbers', () => {
    const csv = formatReport(report, 'csv');
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0], [
      'scan',
      'title',
      'sample',
      'plan',
      'start',
      'end',
      'duration_s',
      'status',
      'events',
      'file',
      'size_bytes',
      'uid',
      'template',
    ]);
    assert.equal(rows.length, 4);
    assert.deepEqual(
      rows.slice(1).map((r) => [r[0], r[1], r[2], r[7], r[8]]),
      [
        ['3', 'count 3', 'with, comma and "quotes"', 'success', 'baseline=1;primary=1'],
        ['7', 'title 7', 'pipe | <script>alert(1)</script> & more', 'abort', 'baseline=1;primary=1'],
        ['12', 'title 12', 'plain', 'success', 'baseline=1;primary=600'],
      ],
    );
    assert.equal(rows[1][10], String(report.rows[0].size));
    assert.equal(csvCell(' lead'), '" lead"');
    assert.equal(csvCell('a\nb'), '"a\nb"');
  });

  test('Markdown: a table whose cells cannot break it', () => {
    const md = formatReport(report, 'md').split('\n');
    assert.match(md[0], /^# Runs in /);
    assert.equal(md[2], '3 runs, ' + md[2].split(', ')[1]);
    const table = md.filter((l) => l.startsWith('|'));
    assert.equal(table.length, 5);
    assert.ok(table[3].includes('pipe \\| <script>'));
    for (const line of table) assert.equal(line.split(/(?<!\\)\|/).length, 15, line);
    assert.match(table[2], /\| 3 \| count 3 \| .* \| baseline: 1, primary: 1 \|/);
  });

  test('HTML: a self-contained page, every value escaped', () => {
    const html = formatReport(report, 'html');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(!html.includes('<script>'));
    assert.ok(html.includes('pipe | &lt;script&gt;alert(1)&lt;/script&gt; &amp; more'));
    assert.ok(html.includes('with, comma and &quot;quotes&quot;'));
    assert.equal((html.match(/<tr>/g) ?? []).length, 4);
    assert.ok(!/<link|<script src|https?:\/\//.test(html), 'no external resource');
    assert.ok(html.includes('class="status-abort"'));
    assert.equal((html.match(/<svg class="thumb"/g) ?? []).length, 3, 'a thumbnail per run');
    assert.equal((html.match(/<polyline /g) ?? []).length, 3);
    assert.ok(html.includes('href="sub/'), 'each row links to its file');
    assert.ok(!html.includes('class="view"'), 'no viewer link outside `view`');
  });

  test("JSON: snake_case keys, the same values, the thumbnails' data", () => {
    const json = JSON.parse(formatReport(report, 'json')) as {
      dir: string;
      runs: Record<string, unknown>[];
      skipped: string[];
    };
    assert.equal(json.runs.length, 3);
    const run = json.runs[0];
    assert.deepEqual(Object.keys(run), [
      'scan_id',
      'title',
      'sample',
      'plan_name',
      'start',
      'end',
      'duration_s',
      'exit_status',
      'num_events',
      'file',
      'size_bytes',
      'uid',
      'template',
      'plot',
    ]);
    for (const r of json.runs) for (const key of Object.keys(r)) assert.match(key, /^[a-z0-9_]+$/, key);
    assert.equal(run.title, 'count 3');
    assert.deepEqual(run.num_events, { baseline: 1, primary: 1 });
    assert.equal(run.size_bytes, report.rows[0].size);
    const plot = json.runs[2].plot as Record<string, unknown>;
    assert.equal(plot.kind, 'line');
    assert.equal(plot.length, 600);
    assert.ok(
      Object.keys(plot).every((k) => /^[a-z_]+$/.test(k)),
      Object.keys(plot).join(),
    );
  });
});
