import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RunAccumulator } from '../../src/run/accumulator.js';
import { summarizeRun } from '../../src/run/summary.js';
import { composeRun } from '../../src/run/testing.js';

describe('summarizeRun', () => {
  test('a finished run', () => {
    const b = composeRun({ uid: '0123456789abcdef', scan_id: 42, plan_name: 'scan', time: 1_600_000_000.25 });
    const p = b.descriptor('primary', { x: {} });
    b.descriptor('baseline', { t: {} });
    p.event({ x: 1 });
    p.event({ x: 2 });
    b.stop({ time: 1_600_000_010.75, exit_status: 'abort' });
    const s = summarizeRun(b.run());
    assert.deepEqual(s, {
      uid: '0123456789abcdef',
      shortUid: '01234567',
      scanId: 42,
      planName: 'scan',
      time: '2020-09-13T12:26:40.250Z',
      duration: 10.5,
      exitStatus: 'abort',
      numEvents: { primary: 2, baseline: 0 },
      logs: [],
      flagged: false,
      failed: false,
      problems: 0,
    });
  });

  test('without a stop: no duration, "no stop" or "running" (live)', () => {
    const b = composeRun({ uid: 'abcdefgh-1' });
    const acc = new RunAccumulator(b.start, { log: 'spool/a.jsonl', item: 1, offset: 0 });
    const run = acc.snapshot();
    const s = summarizeRun(run);
    assert.equal(s.duration, undefined);
    assert.equal(s.exitStatus, 'no stop');
    assert.equal(s.scanId, undefined);
    assert.deepEqual(s.logs, ['spool/a.jsonl']);
    assert.equal(summarizeRun(run, { live: true }).exitStatus, 'running');
  });

  test('a flagged run counts its problems', () => {
    const b = composeRun({ uid: 'flagged-run' });
    const acc = new RunAccumulator(b.start);
    acc.push({ name: 'event', doc: { uid: 'e', descriptor: 'x', seq_num: 1, time: 1, data: {}, timestamps: {} } });
    const s = summarizeRun(acc.snapshot());
    assert.equal(s.flagged, true);
    assert.equal(s.problems, 1);
  });
});
