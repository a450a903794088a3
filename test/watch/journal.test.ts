import { describe, test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';
import { NxlError } from '../../src/errors.js';
import {
  checkOutputRoot,
  checkSpool,
  formatDuration,
  parseDuration,
  parseJournal,
  StateJournal,
} from '../../src/watch/index.js';
import { tempDir } from './helpers.js';

const base = tempDir('journal');
after(() => fs.rmSync(base, { recursive: true, force: true }));

function code(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof NxlError ? e.code : 'not an NxlError';
  }
}

describe('state journal', () => {
  test('records survive a reopen; written and incomplete runs count as finished, failed ones do not', () => {
    const dir = path.join(base, 'state');
    const first = StateJournal.open(dir);
    assert.deepEqual(first.diagnostics, []);
    const time = new Date(0).toISOString();
    first.journal.append({
      status: 'written',
      uid: 'a',
      log: '/spool/a.jsonl',
      file: '/out/a.nxs',
      templateSha256: 'f'.repeat(64),
      time,
    });
    first.journal.append({ status: 'failed', uid: 'b', log: '/spool/b.jsonl', reason: 'EVAL_FIELD_MISSING: …', time });
    first.journal.append({ status: 'incomplete', uid: 'c', log: '/spool/c.jsonl', time });
    first.journal.append({ status: 'rejected-log', log: '/spool/junk.jsonl', reason: 'DOC_FORMAT', time });
    first.journal.close();
    const again = StateJournal.open(dir);
    assert.equal(again.journal.size, 4);
    assert.equal(again.journal.finishedCount, 2);
    // Only the status is kept in memory (issue 12 item 1: a journal lives for years); the file is in the record on disk.
    assert.equal(again.journal.finished('a')?.status, 'written');
    assert.equal(again.journal.finished('b'), undefined);
    assert.equal(again.journal.finished('c')?.status, 'incomplete');
    again.journal.close();
  });

  test('on disk every key is snake_case; a journal written by an older nxlayout (camelCase) is read without loss', () => {
    const dir = path.join(base, 'vocabulary');
    const { journal } = StateJournal.open(dir);
    const time = new Date(0).toISOString();
    const mark = { dev: 1, ino: 2, size: 3, mtimeMs: 4.5, offset: 3 };
    journal.append({
      status: 'written',
      uid: 'a',
      log: '/spool/a.jsonl',
      file: '/out/a.nxs',
      template: 'default@1.0.0',
      templateSha256: 'f'.repeat(64),
      events: 3,
      time,
    });
    journal.append({ status: 'log-read', log: '/spool/a.jsonl', mark, runs: ['a'], time }, false);
    journal.close();
    const file = path.join(dir, 'journal.jsonl');
    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines[0]?.template_sha256, 'f'.repeat(64));
    assert.deepEqual(lines[1]?.mark, { dev: 1, ino: 2, size: 3, mtime_ms: 4.5, offset: 3 });
    const camel = (text: string): string[] => [...text.matchAll(/"([a-z]+[A-Z][A-Za-z]*)":/g)].map((m) => m[1] ?? '');
    assert.deepEqual(camel(fs.readFileSync(file, 'utf8')), []);
    // An old journal (before snake_case): its sha256 and log marks are kept.
    const old = path.join(base, 'old-journal');
    fs.mkdirSync(old);
    fs.writeFileSync(
      path.join(old, 'journal.jsonl'),
      [
        JSON.stringify({
          status: 'written',
          uid: 'b',
          log: '/spool/b.jsonl',
          file: '/out/b.nxs',
          templateSha256: 'e'.repeat(64),
          time,
        }),
        JSON.stringify({
          status: 'log-read',
          log: '/spool/b.jsonl',
          mark: { dev: 1, ino: 9, size: 10, mtimeMs: 11, offset: 10 },
          runs: ['b'],
          time,
        }),
      ].join('\n') + '\n',
    );
    const reopened = StateJournal.open(old);
    assert.deepEqual(reopened.diagnostics, []);
    assert.deepEqual(reopened.journal.finished('b'), { uid: 'b', status: 'written' });
    assert.deepEqual(reopened.journal.logMarks.get('/spool/b.jsonl'), {
      dev: 1,
      ino: 9,
      size: 10,
      mtimeMs: 11,
      offset: 10,
    });
    const records = parseJournal(fs.readFileSync(path.join(old, 'journal.jsonl'), 'utf8'), 'j').records;
    assert.equal(records[0]?.templateSha256, 'e'.repeat(64));
    assert.equal((records[0] as { file?: string } | undefined)?.file, '/out/b.nxs');
    reopened.journal.close();
  });

  test('a line torn by a crash is reported and skipped, and the next record starts on its own line', () => {
    const dir = path.join(base, 'torn');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'journal.jsonl');
    fs.writeFileSync(file, '{"status":"written","uid":"a","log":"x","time":"t"}\n{"status":"wri');
    const { journal, diagnostics } = StateJournal.open(dir);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.location.line]),
      [['WATCH_STATE', 2]],
    );
    journal.append({ status: 'written', uid: 'b', log: 'y', time: 't' });
    journal.close();
    const { records } = parseJournal(fs.readFileSync(file, 'utf8'), file);
    assert.deepEqual(
      records.map((r) => r.uid),
      ['a', 'b'],
    );
  });
});

describe('durations and start-up checks', () => {
  test('durations', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('2'), 2000);
    assert.equal(
      code(() => parseDuration('-1s')),
      'CLI_USAGE',
    );
    assert.equal(
      code(() => parseDuration('0s')),
      'CLI_USAGE',
    );
    assert.equal(
      code(() => parseDuration('soon')),
      'CLI_USAGE',
    );
    // In messages (the disk-full retry said "tried every 0 s" for 300ms):
    assert.deepEqual([300, 999, 1000, 1500, 30_000, 90_000].map(formatDuration), [
      '300 ms',
      '999 ms',
      '1 s',
      '1.5 s',
      '30 s',
      '90 s',
    ]);
  });
  test('the output root must be an existing, writable directory; the probe file is removed', () => {
    const root = path.join(base, 'root');
    fs.mkdirSync(root);
    assert.equal(
      code(() => checkOutputRoot(root)),
      undefined,
    );
    assert.deepEqual(fs.readdirSync(root), []);
    const file = path.join(base, 'plain-file');
    fs.writeFileSync(file, '');
    assert.equal(
      code(() => checkOutputRoot(file)),
      'WATCH_IO',
    );
    assert.equal(
      code(() => checkOutputRoot(path.join(file, 'sub'))),
      'WATCH_IO',
    );
    assert.equal(
      code(() => checkOutputRoot(path.join(base, 'missing'))),
      'WATCH_IO',
    );
    assert.equal(
      code(() => checkSpool(path.join(base, 'missing'))),
      'WATCH_IO',
    );
    assert.equal(
      code(() => checkSpool(file)),
      'WATCH_IO',
    );
    assert.equal(
      code(() => checkSpool(root)),
      undefined,
    );
  });
});

describe('state journal fsyncs', () => {
  /** Counts fs.fsyncSync calls of the whole process while `body` runs (Node's builtin, wrapped for ESM importers too). */
  async function countingFsyncs<T>(body: (count: () => number) => Promise<T>): Promise<T> {
    const cjs = createRequire(import.meta.url)('node:fs') as typeof fs;
    const original = cjs.fsyncSync;
    let n = 0;
    cjs.fsyncSync = (fd: number) => {
      n += 1;
      original(fd);
    };
    syncBuiltinESMExports();
    try {
      return await body(() => n);
    } finally {
      cjs.fsyncSync = original;
      syncBuiltinESMExports();
    }
  }

  const record = (uid: string) => ({ status: 'written' as const, uid, log: `/spool/${uid}.jsonl`, time: 't' });

  test('a burst of records shares one fsync, done within the sync delay; close fsyncs what waits', async () => {
    const dir = path.join(base, 'burst');
    await countingFsyncs(async (fsyncs) => {
      const { journal } = StateJournal.open(dir, { syncDelayMs: 100 });
      for (let i = 0; i < 50; i += 1) journal.append(record(`r${i}`));
      assert.equal(fsyncs(), 0, 'no fsync while the burst goes on');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(fsyncs(), 1, 'one fsync for the 50 records, within the delay');
      journal.append(record('last'));
      journal.close();
      assert.equal(fsyncs(), 2, 'close fsyncs the record still waiting');
    });
    const { records } = parseJournal(fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8'), 'j');
    assert.equal(records.length, 51);
  });

  test('with a delay of 0 each record is fsynced before append returns', async () => {
    const dir = path.join(base, 'each');
    await countingFsyncs(async (fsyncs) => {
      const { journal } = StateJournal.open(dir, { syncDelayMs: 0 });
      for (let i = 0; i < 5; i += 1) {
        journal.append(record(`r${i}`));
        assert.equal(fsyncs(), i + 1);
      }
      journal.append(
        {
          status: 'log-read',
          log: '/spool/r.jsonl',
          mark: { dev: 1, ino: 2, size: 3, mtimeMs: 4, offset: 3 },
          time: 't',
        },
        false,
      );
      assert.equal(fsyncs(), 5, 'a log mark waits for the next record');
      journal.close();
    });
  });
});
