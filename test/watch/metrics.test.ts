/**
 * `watch --metrics` (issue 12 item 12): a real daemon process, scraped over HTTP while it works.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMetricsAddress } from '../../src/watch/metrics.js';
import { drop, jsonl, smallRun, startUid, tempDir, waitFor, spawnWatch } from './helpers.js';

const base = tempDir('metrics');
after(() => fs.rmSync(base, { recursive: true, force: true }));

/** The value of one sample of a Prometheus text exposition (undefined when absent). */
function sample(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    if (line.slice(0, at) === name) return Number(line.slice(at + 1));
  }
  return undefined;
}

describe('watch --metrics', () => {
  test('parseMetricsAddress: localhost by default', () => {
    assert.deepEqual(parseMetricsAddress('9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseMetricsAddress(':9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseMetricsAddress('0.0.0.0:80'), { host: '0.0.0.0', port: 80 });
    assert.deepEqual(parseMetricsAddress('[::1]:9464'), { host: '::1', port: 9464 });
    assert.throws(() => parseMetricsAddress('host:port'), /CLI_USAGE|not HOST:PORT/);
    assert.throws(() => parseMetricsAddress('70000'), /not HOST:PORT/);
  });

  test('a running daemon serves /healthz and Prometheus /metrics that follow its work', async () => {
    const spool = path.join(base, 'spool');
    const out = path.join(base, 'out');
    fs.mkdirSync(spool);
    fs.mkdirSync(out);
    const w = spawnWatch([
      spool,
      '--out',
      out,
      '--metrics',
      '127.0.0.1:0',
      '--log-format',
      'json',
      '--status-interval',
      '0',
      '--poll-interval',
      '200ms',
    ]);
    try {
      await waitFor(() => w.stdout().includes('"event":"metrics"'), 'the metrics line');
      const url = (
        JSON.parse(
          w
            .stdout()
            .split('\n')
            .find((l) => l.includes('"event":"metrics"'))!,
        ) as { url: string }
      ).url;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(await health.text(), 'ok\n');
      assert.equal((await fetch(`${url}/nope`)).status, 404);

      const before = await (await fetch(`${url}/metrics`)).text();
      assert.equal(sample(before, 'nxlayout_runs_total{status="written"}'), 0);
      assert.equal(sample(before, 'nxlayout_up'), 1);

      const runs = [smallRun(41), smallRun(42)];
      const failing = smallRun(43);
      fs.writeFileSync(path.join(out, `00043_${startUid(failing).slice(0, 8)}.nxs`), 'in the way');
      const open = smallRun(44, { stop: false });
      drop(path.join(spool, 'a.jsonl'), jsonl(runs[0]));
      drop(path.join(spool, 'b.jsonl'), jsonl(runs[1]));
      drop(path.join(spool, 'c.jsonl'), jsonl(failing));
      drop(path.join(spool, 'd.jsonl'), jsonl(open));
      await waitFor(() => (w.stdout() + w.stderr()).split('"event":"run"').length - 1 === 3, 'three run lines', 30_000);
      // The open run's log may be read a moment after the others.
      const allDocuments = [...runs, failing, open].reduce((n, r) => n + r.length, 0);
      for (
        let i = 0;
        i < 100 &&
        sample(await (await fetch(`${url}/metrics`)).text(), 'nxlayout_documents_read_total') !== allDocuments;
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
      const response = await fetch(`${url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      const files = runs.map((r, i) => path.join(out, `000${41 + i}_${startUid(r).slice(0, 8)}.nxs`));
      const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
      const figures = {
        written: sample(text, 'nxlayout_runs_total{status="written"}'),
        failed: sample(text, 'nxlayout_runs_total{status="failed"}'),
        inFlight: sample(text, 'nxlayout_runs_in_flight'),
        documents: sample(text, 'nxlayout_documents_read_total'),
        bytes: sample(text, 'nxlayout_bytes_written_total'),
        logs: sample(text, 'nxlayout_logs_followed'),
        logsDone: sample(text, 'nxlayout_logs_done'),
        stopToFile: sample(text, 'nxlayout_stop_to_file_seconds_count'),
        fds: sample(text, 'nxlayout_process_open_fds'),
        rss: sample(text, 'nxlayout_process_resident_memory_bytes'),
      };
      console.log(`scraped: ${JSON.stringify(figures)}`);
      assert.equal(figures.written, 2);
      assert.equal(figures.failed, 1);
      assert.equal(figures.inFlight, 1, 'the run without stop is in flight');
      assert.equal(figures.documents, allDocuments);
      assert.equal(figures.bytes, bytes);
      // The written runs' logs are done (put aside); the failed run's and the open run's are still followed.
      assert.equal(figures.logs, 2);
      assert.equal(figures.logsDone, 2);
      assert.equal(figures.stopToFile, 2, 'one observation per file written');
      assert.ok(sample(text, 'nxlayout_stop_to_file_seconds_bucket{le="+Inf"}') === 2);
      assert.ok(figures.fds !== undefined && figures.fds > 5 && figures.fds < 200, `${figures.fds}`);
      assert.ok(figures.rss !== undefined && figures.rss > 20e6, `${figures.rss}`);
    } finally {
      w.child.kill('SIGTERM');
    }
    assert.equal(await w.exited, 0, w.stderr());
  });
});
