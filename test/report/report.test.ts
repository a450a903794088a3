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
    }
    else cell += ch;
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
    const logs = [12, 3, 7].map((scan, i) => {
      const b = composeRun({ scan_id: scan, plan_name: 'count', sample_name: samples[i], title: `title ${scan}`, time: 1_700_000_000 + 100 * i });
      b.descriptor('primary', { I0: {} }).event({ I0: 1 });
      b.stop(scan === 7 ? { exit_status: 'abort' } : {});
      return writeLog(b, path.join(tmp.dir, `run-${scan}.jsonl`));
    });
    const userDir = path.join(tmp.dir, 'root');
    const results = await writeRuns(logs, path.join(userDir, 'sub'), layout);
    assert.deepEqual(results.map((r) => r.status), ['written', 'written', 'written']);
    // a detector file (HDF5, no run), and a file that only looks like one
    writeFileSync(path.join(userDir, 'broken.h5'), 'not hdf5');
    mkdirSync(path.join(userDir, 'raw'));
    report = await buildReport(userDir);
  });
  after(tmp.remove);

  test('lists the run files recursively, sorted by scan, with their metadata', () => {
    assert.deepEqual(report.rows.map((r) => [r.scanId, r.status, r.sample, r.plan, r.file.split('/')[0]]), [
      [3, 'success', 'with, comma and "quotes"', 'count', 'sub'],
      [7, 'abort', 'pipe | <script>alert(1)</script> & more', 'count', 'sub'],
      [12, 'success', 'plain', 'count', 'sub'],
    ]);
    const first = report.rows[0];
    assert.equal(first.start, '2023-11-14T22:15:00Z');
    assert.match(first.end ?? '', /^2023-11-14T22:15:0\dZ$/);
    assert.equal(first.template, 'default@1.0.0');
    assert.ok(first.size > 1000);
    assert.equal(report.diagnostics.length, 1, 'the file that is not HDF5 is reported');
    assert.equal(report.diagnostics[0].code, 'NEXUS_READ');
  });

  test('CSV: a header, one quoted-as-needed line per run, exact numbers', () => {
    const csv = formatReport(report, 'csv');
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0], ['scan', 'plan', 'sample', 'title', 'start', 'end', 'duration_s', 'status', 'file', 'size_bytes', 'uid', 'template']);
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.slice(1).map((r) => [r[0], r[2], r[7]]), [
      ['3', 'with, comma and "quotes"', 'success'],
      ['7', 'pipe | <script>alert(1)</script> & more', 'abort'],
      ['12', 'plain', 'success'],
    ]);
    assert.equal(rows[1][9], String(report.rows[0].size));
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
    for (const line of table) assert.equal(line.split(/(?<!\\)\|/).length, 14, line);
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
  });
});
