import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Run } from '../../src/run/models.js';
import { readRuns } from '../../src/run/read-runs.js';
import { summarizeRun } from '../../src/run/summary.js';

const REALDATA = fileURLToPath(new URL('../../../../shared/realdata/', import.meta.url));

function counts(run: Run): Record<string, number> {
  return Object.fromEntries([...run.streams].map(([name, s]) => [name, s.length]));
}

/** The stop's num_events agree with the events read (a stream the stop counts at 0 may have no descriptor). */
function assertStopCounts(run: Run): void {
  assert.ok(run.stop, `run ${run.uid} has a stop`);
  for (const [name, n] of Object.entries(run.stop.num_events ?? {})) {
    assert.equal(run.streams.get(name)?.length ?? 0, n, `${run.uid} ${name}`);
  }
}

describe('real data: apstools', () => {
  test('usaxs.json.gz: 10 runs with their scan_ids, plans and per-stream event counts', async () => {
    const { runs, diagnostics } = await readRuns([`${REALDATA}apstools/usaxs.json.gz`]);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      runs.map((r) => [r.uid.slice(0, 8), r.start.scan_id, r.start.plan_name, counts(r)]),
      [
        ['19965989', 110, 'Flyscan', { mca: 1, baseline: 2 }],
        ['2ffe4d87', 108, 'tune_mr', { baseline: 2, primary: 31 }],
        ['3554003e', 103, 'tune_ar', { baseline: 2, primary: 35 }],
        ['555a6047', 2, 'count', { baseline: 2, primary: 1 }],
        ['6cfeb213', 102, 'tune_m2rp', { baseline: 2, primary: 21 }],
        ['99fe9e07', 2, 'TuneAxis.tune', { baseline: 2, primary: 31 }],
        ['b0aa6435', 104, 'tune_a2rp', { baseline: 2, primary: 31 }],
        ['ddffefc1', 109, 'measure_USAXS_Transmission', { baseline: 2, primary: 1 }],
        ['e5d2cbdc', 1, 'snapshot', { primary: 1 }],
        ['fdf496ee', 27, 'run_Excel_file', { baseline: 2, mca: 1 }],
      ],
    );
    for (const run of runs) {
      assertStopCounts(run);
      assert.equal(run.flagged, false);
      assert.deepEqual(run.diagnostics, []);
    }
  });

  test('usaxs tune_mr: columns, stats and first/last match the documents', async () => {
    const { runs } = await readRuns([`${REALDATA}apstools/usaxs.json.gz`]);
    const run = runs.find((r) => r.uid.startsWith('2ffe4d87'))!;
    const primary = run.streams.get('primary')!;
    const m = primary.fields.get('m_stage_r')!.values;
    assert.equal(m.length, 31);
    assert.equal(m.first, 8.826977);
    assert.equal(m.last, 8.822977);
    assert.deepEqual(m.stats, { count: 31, min: 8.822977, max: 8.826977, sum: 273.57429699999994 });
    assert.equal(m.dataKey?.units, 'deg');
    assert.deepEqual(primary.fields.get('I0_USAXS')!.values.stats, { count: 31, min: 125, max: 128, sum: 3931 });
    assert.deepEqual(primary.seqNum.rows.slice(0, 5), [1, 2, 3, 4, 5]);
    assert.equal(primary.time.first, 1556837135.1850111);
    assert.equal(primary.time.last, 1556837147.662788);
    const summary = summarizeRun(run);
    assert.equal(summary.shortUid, '2ffe4d87');
    assert.equal(summary.scanId, 108);
    assert.equal(summary.time, '2019-05-02T22:45:33.937Z');
    assert.equal(summary.exitStatus, 'success');
    assert.deepEqual(summary.numEvents, { baseline: 2, primary: 31 });
    assert.ok(Math.abs(summary.duration! - 14.1413) < 1e-3);
  });

  test('the single-run apstools files, read as one directory', async () => {
    const { runs, diagnostics } = await readRuns([`${REALDATA}apstools`]);
    assert.deepEqual(diagnostics, []);
    const singles = runs.filter((r) => !r.logs[0].endsWith('usaxs.json.gz'));
    assert.deepEqual(
      singles.map((r) => [r.uid.slice(0, 8), r.start.scan_id, r.stop?.exit_status, counts(r)]),
      [
        ['26aac337', 9652, 'success', { primary: 1, label_start_motor: 1 }],
        ['34c84a1b', 1, 'success', { primary: 3 }],
        ['3ab777ae', 10014, 'success', { primary: 11 }],
        ['b31e8698', 20, 'fail', { primary: 0, label_start_motor: 1 }],
        ['f05b6684', 165640, 'success', { primary: 31 }],
      ],
    );
    assert.equal(runs.length, 15);
    for (const run of runs) assertStopCounts(run);
  });
});

describe('real data: databroker-pack', () => {
  const PACK = `${REALDATA}databroker-pack/`;

  test('msgpack runs: scan_ids, counts, NPY_SEQ externals from datum_page', async () => {
    const { runs, diagnostics } = await readRuns([`${PACK}simple_catalog/documents`]);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      runs.map((r) => [r.uid.slice(0, 8), r.start.scan_id, counts(r)]),
      [
        ['4e22852d', 3, { primary: 1 }],
        ['6ae80362', 1, { primary: 1 }],
        ['b53f5090', 2, { primary: 3 }],
      ],
    );
    for (const run of runs) assertStopCounts(run);
    const img = runs[0];
    assert.equal(img.resources.size, 1);
    assert.deepEqual(img.streams.get('primary')!.fields.get('img')!.values.rows, [
      '21b1304f-b253-4ba1-afd8-22099ebbd52f/0',
    ]);
  });

  /**
   * The jsonl folder is an earlier export (other uids, times, versions; scan 2
   * is a `scan` over a motor there, scan 3 has three images). Equal: scan 1's
   * structure and values, every run's start keys / descriptor data keys /
   * exit status per scan_id where the plans agree.
   */
  test('msgpack and jsonl history: what is equal is equal, the rest differs as expected', async () => {
    const packed = (await readRuns([`${PACK}simple_catalog/documents`])).runs;
    const history = (await readRuns([`${PACK}simple_catalog_jsonl_history`])).runs;
    const byScan = (runs: Run[]) => new Map(runs.map((r) => [r.start.scan_id, r]));
    const p = byScan(packed);
    const h = byScan(history);
    assert.deepEqual([...h.keys()].sort(), [1, 2, 3]);
    assert.deepEqual([...p.keys()].sort(), [1, 2, 3]);
    for (const scan of [1, 2, 3]) {
      const [a, b] = [p.get(scan)!, h.get(scan)!];
      assert.notEqual(a.uid, b.uid);
      if (scan !== 2) assert.deepEqual(Object.keys(a.start).sort(), Object.keys(b.start).sort());
      assert.equal(a.stop?.exit_status, b.stop?.exit_status);
      assert.deepEqual([...a.streams.keys()], [...b.streams.keys()]);
    }
    // scan 1: the same count of the same detector, one reading of 1.
    const [a1, b1] = [p.get(1)!, h.get(1)!];
    assert.equal(a1.start.plan_name, b1.start.plan_name);
    assert.deepEqual(a1.descriptors[0].data_keys, b1.descriptors[0].data_keys);
    assert.deepEqual(a1.descriptors[0].configuration?.det.data, b1.descriptors[0].configuration?.det.data);
    const [s1, t1] = [a1.streams.get('primary')!, b1.streams.get('primary')!];
    assert.deepEqual(s1.fields.get('det')!.values.rows, t1.fields.get('det')!.values.rows);
    assert.deepEqual(s1.seqNum.rows, t1.seqNum.rows);
    // scan 2 and 3 differ in what was measured.
    assert.deepEqual([p.get(2)!.start.plan_name, h.get(2)!.start.plan_name], ['count', 'scan']);
    assert.deepEqual(Object.keys(h.get(2)!.streams.get('primary')!.dataKeys), ['det', 'motor', 'motor_setpoint']);
    assert.deepEqual(h.get(2)!.start.motors, ['motor']);
    assert.equal(p.get(2)!.start.motors, undefined);
    assert.deepEqual([counts(p.get(3)!), counts(h.get(3)!)], [{ primary: 1 }, { primary: 3 }]);
    assert.deepEqual(p.get(3)!.descriptors[0].data_keys.img, { ...h.get(3)!.descriptors[0].data_keys.img });
  });
});
