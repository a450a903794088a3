/**
 * The bench's in-process `write` view counts events from what `write --json` prints: this runs the
 * real command on a small synthetic log (the bench's own generator) and reads its output the way the
 * bench does, so a change of that output breaks here, not as "FAILED" in a two-minute bench run.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { descriptorLine, eventLine, runIds, startLine, stopLine } from '../../bench/synth.js';
import { eventsWritten } from '../../bench/write-output.js';
import { main } from '../../src/cli/main.js';

test('bench: events counted from the real `write --json` output, and the file holds them', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-bench-out-'));
  try {
    const r = runIds(1);
    const n = 37;
    let text = startLine(r) + descriptorLine(r);
    for (let i = 0; i < n; i++) text += eventLine(r, i);
    text += stopLine(r, n);
    const log = path.join(dir, 'run.jsonl');
    fs.writeFileSync(log, text);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['write', log, '--out', path.join(dir, 'out'), '--json'], {
      interactive: false,
      out: (t) => void out.push(t),
      err: (t) => void err.push(t),
    });
    assert.equal(code, 0, err.join('\n'));
    assert.equal(eventsWritten(out.join('\n')), n);
    const files = fs
      .readdirSync(path.join(dir, 'out'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.nxs'));
    assert.equal(files.length, 1);
    // A second HDF5 reader: h5ls lists the f0 readings with n rows.
    const listing = execFileSync('h5ls', ['-r', path.join(dir, 'out', files[0])], { encoding: 'utf8' });
    assert.match(listing, new RegExp(`/primary/f0/value\\s+Dataset \\{${n}(/Inf)?\\}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bench: an output without a runs array is an error naming the shape, never a silent count', () => {
  assert.throws(() => eventsWritten('[{"events":3}]'), /printed an array without a `runs` array/);
  assert.throws(() => eventsWritten('{"runs":[{"events":"3"}]}'), /without a numeric `events`/);
  assert.equal(eventsWritten('{"runs":[{"events":3},{"events":4}],"diagnostics":[]}'), 7);
});
