/**
 * convertLogs with the logs parsed on the main thread ({decodeThreads: 0}), on
 * two worker threads in parts ({decodeThreads: 2, decodeThreadsMinBytes: 0}),
 * on one thread of their own (LogThread: {decodeThreads: 1}) and on a thread
 * started before convertLogs (`logThread`, as `write` does): the same runs,
 * event counts and diagnostics, and files that h5dump shows to be identical
 * dataset by dataset, values included (the threads' pages reach the writer as
 * typed columns).
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertLogs, type ConvertProgress, type RunResult } from '../../src/convert/index.js';
import type { Diagnostic } from '../../src/errors.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { LogThread } from '../../src/documents/log-thread.js';
import { loadLayout } from '../../src/layout/index.js';
import { assertColumn, rows, tool, withFile } from './h5.js';
import { DEFAULT_TEMPLATE, REALDATA } from './paths.js';

const N = 3000;
const BAD_SEQ = 1500;
const NOT_JSON_AFTER = 700;
const T0 = 1_700_000_000;
const START = 'dec0de00-0000-4000-8000-000000000001';
const DESCRIPTOR = 'dec0de00-0000-4000-8000-0000000000d1';
const FLOATS = ['motor', 'det', 'i0', 'ratio', 'temperature', 'energy'] as const;

const time = (i: number): number => T0 + 1 + i * 0.01;
const reading: Record<(typeof FLOATS)[number], (i: number) => number> = {
  motor: (i) => -5 + i * 1e-3,
  det: (i) => Math.sin(i / 50) * 1e3,
  i0: (i) => 1e5 + (i % 17) + 0.25,
  ratio: (i) => i / N,
  temperature: (i) => 295.15 + Math.cos(i / 7) / 3,
  energy: (i) => 8.333 + i * 1e-7,
};
const status = (i: number): string => `état-${i % 5} µm 温度 #${i}`;

/** A run of N events × 6 floats + 1 string, with one schema-invalid event and one line that is not JSON. */
function syntheticLog(file: string): string {
  const lines = [
    JSON.stringify([
      'start',
      {
        uid: START,
        time: T0,
        scan_id: 41,
        plan_name: 'scan',
        detectors: ['det'],
        motors: ['motor'],
        sample: 'Å µm 温度',
      },
    ]),
    JSON.stringify([
      'descriptor',
      {
        uid: DESCRIPTOR,
        run_start: START,
        time: T0 + 0.5,
        name: 'primary',
        data_keys: {
          ...Object.fromEntries(
            FLOATS.map((f) => [
              f,
              { dtype: 'number', shape: [], source: `PV:${f}`, units: f === 'motor' ? 'mm' : 'a.u.' },
            ]),
          ),
          status: { dtype: 'string', shape: [], source: 'PV:status' },
        },
      },
    ]),
  ];
  for (let i = 1; i <= N; i++) {
    const t = time(i);
    const data: Record<string, unknown> = Object.fromEntries(FLOATS.map((f) => [f, reading[f](i)]));
    data.status = status(i);
    const event = {
      uid: `ev-${i}`,
      descriptor: DESCRIPTOR,
      seq_num: i === BAD_SEQ ? `#${i}` : i,
      time: t,
      data,
      timestamps: Object.fromEntries(Object.keys(data).map((k) => [k, t - 0.001])),
    };
    lines.push(JSON.stringify(['event', event]));
    if (i === NOT_JSON_AFTER) lines.push('this line is not JSON');
  }
  lines.push(
    JSON.stringify([
      'stop',
      {
        uid: 'dec0de00-0000-4000-8000-0000000000f1',
        run_start: START,
        time: time(N) + 1,
        exit_status: 'success',
        num_events: { primary: N },
      },
    ]),
  );
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-integration-decode-threads-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const SYNTHETIC = syntheticLog(path.join(dir, 'synthetic.jsonl'));
const REAL = path.join(
  REALDATA,
  'databroker-pack/simple_catalog_jsonl_history/13799134-509d-4efb-a6a4-71ad932c5a36.jsonl',
);
const earlyThreads: LogThread[] = [];
const MODES = {
  main: () => ({ decodeThreads: 0 }),
  threads: () => ({ decodeThreads: 2, decodeThreadsMinBytes: 0 }),
  thread: () => ({ decodeThreads: 1, decodeThreadsMinBytes: 0 }),
  /** `log`'s thread started before convertLogs (the other logs on the main thread). */
  early: (log: string) => {
    const logThread = new LogThread(log);
    earlyThreads.push(logThread);
    return { decodeThreads: 0, logThread };
  },
} as const;
type Mode = keyof typeof MODES;
type Threaded = Exclude<Mode, 'main'>;

interface Converted {
  results: RunResult[];
  diagnostics: Diagnostic[];
  progress: ConvertProgress[];
}
const converted = {} as Record<Mode, Converted>;

const STREAM = '/entry/instrument/bluesky/streams/primary';
const resultOf = (mode: Mode, uid: string): RunResult => {
  const r = converted[mode].results.find((x) => x.uid === uid);
  assert.ok(r, `${mode}: a result for run ${uid}`);
  return r;
};
const runUids = (): string[] => converted.main.results.map((r) => r.uid);

/** The last h5ls listing of each file, valid while the file is unchanged (inode, size, mtime): the main mode's files are compared with each other mode's. */
const listed = new Map<string, { key: string; paths: string[] }>();

/** Paths of the datasets in a file, as h5ls lists them (one h5ls per file while it is unchanged). */
function datasetPaths(file: string): string[] {
  const st = fs.statSync(file);
  const key = `${st.ino}|${st.size}|${st.mtimeMs}`;
  const cached = listed.get(file);
  if (cached?.key === key) return cached.paths;
  const paths = h5lsDatasetPaths(file);
  listed.set(file, { key, paths });
  return paths;
}

function h5lsDatasetPaths(file: string): string[] {
  return tool('h5ls', ['-r', file])
    .split('\n')
    .flatMap((line) => {
      const m = /^(\/\S*)\s+Dataset\b/.exec(line);
      return m === null ? [] : [m[1]];
    });
}

/** h5dump's text without its first line (`HDF5 "<file name>" {`), the one thing naming where the file is. */
function dump(args: string[], file: string): string {
  const text = tool('h5dump', [...args, file]);
  assert.ok(text.startsWith(`HDF5 "${file}" {\n`), text.slice(0, 200));
  return text.slice(text.indexOf('\n') + 1);
}

/** The last datasetDumps of each file, valid while the file is unchanged and the same paths are asked. */
const dumpedSets = new Map<string, { key: string; found: Map<string, string> }>();

/**
 * h5dump of each of `paths` in `file`, by one h5dump (-d for each): path → its DATASET block. Kept
 * while the file is unchanged: the main mode's files are compared with each other mode's.
 */
function datasetDumps(file: string, paths: readonly string[]): Map<string, string> {
  const st = fs.statSync(file);
  const key = `${st.ino}|${st.size}|${st.mtimeMs}|${paths.join('\n')}`;
  const cached = dumpedSets.get(file);
  if (cached?.key === key) return cached.found;
  const found = h5dumpDatasets(file, paths);
  dumpedSets.set(file, { key, found });
  return found;
}

function h5dumpDatasets(file: string, paths: readonly string[]): Map<string, string> {
  const blocks = dump(
    paths.flatMap((p) => ['-d', p]),
    file,
  )
    .split(/^(?=DATASET ")/m)
    .filter((b) => b.startsWith('DATASET "'));
  const found = new Map(blocks.map((b, i) => [/^DATASET "([^"]*)"/.exec(b)?.[1] ?? `?${i}`, b]));
  assert.deepEqual(
    paths.filter((p) => !found.has(p)),
    [],
    `${file}: one DATASET block per -d (${[...found.keys()].filter((k) => !paths.includes(k))})`,
  );
  return found;
}

/**
 * The suite over the main thread and `THREADED` reading modes: npm test runs it with the pool
 * (decode-threads.test.ts), the slow suite with LogThread and the early thread (decode-threads.slow.test.ts).
 */
export function decodeThreadsSuite(THREADED: readonly Threaded[]): void {
  const ALL: Mode[] = ['main', ...THREADED];
  describe('convertLogs: parsing on worker threads gives what parsing on the main thread gives', () => {
    before(async () => {
      assert.ok(fs.statSync(SYNTHETIC).size > 1024 * 1024, 'the synthetic log spans more than one 1 MiB part');
      const { layout } = await loadLayout(DEFAULT_TEMPLATE);
      assert.ok(layout, 'the default template loads');
      for (const mode of ALL) {
        const outRoot = path.join(dir, `out-${mode}`);
        fs.mkdirSync(outRoot);
        const progress: ConvertProgress[] = [];
        const { results, diagnostics } = await convertLogs(
          [SYNTHETIC, REAL],
          {
            outRoot,
            layouts: [],
            fallback: layout,
            registry: createDefaultRegistry(),
            ...MODES[mode](SYNTHETIC),
          },
          { onProgress: (p) => progress.push(p) },
        );
        converted[mode] = { results, diagnostics, progress };
      }
    });

    test('both write the same runs: status written, same event counts', () => {
      for (const mode of ALL) {
        const { results } = converted[mode];
        assert.equal(results.length, 2, mode);
        assert.deepEqual([resultOf(mode, START).status, resultOf(mode, START).events], ['written', N - 1], mode);
        assert.deepEqual(
          results.filter((r) => r.uid !== START).map((r) => [r.status, r.events]),
          [['written', 3]],
          mode,
        );
      }
      for (const mode of THREADED) {
        assert.deepEqual(
          converted[mode].results.map((r) => r.uid),
          runUids(),
          mode,
        );
        for (const uid of runUids()) assert.equal(resultOf(mode, uid).events, resultOf('main', uid).events, mode);
      }
    });

    test("both report the same diagnostics: the log's (DOC_PARSE) and each run's (DOC_SCHEMA for the invalid event…)", () => {
      assert.deepEqual(
        converted.main.diagnostics.map((d) => d.code),
        ['DOC_PARSE'],
      );
      const synthetic = resultOf('main', START);
      assert.equal(synthetic.diagnostics.filter((d) => d.code === 'DOC_SCHEMA').length, 1);
      for (const mode of THREADED) {
        assert.deepEqual(converted[mode].diagnostics, converted.main.diagnostics, mode);
        for (const uid of runUids()) {
          const codes = (m: Mode) => resultOf(m, uid).diagnostics.map((d) => `${d.severity} ${d.code}`);
          assert.ok(codes('main').length > 0);
          assert.deepEqual(codes(mode), codes('main'), `${mode}: run ${uid}`);
          assert.deepEqual(
            resultOf(mode, uid).diagnostics,
            resultOf('main', uid).diagnostics,
            `${mode}: run ${uid}: whole diagnostics`,
          );
        }
      }
    });

    if (THREADED.includes('threads'))
      test('the threaded conversion did read through the pool, in 1 MiB parts (its first progress report comes after the first part)', () => {
        // The documents on the lines that end within the first MiB: the pool's first part (the line that is not JSON is no document).
        const head = fs.readFileSync(SYNTHETIC).subarray(0, 1024 * 1024);
        const firstPart =
          head
            .subarray(0, head.lastIndexOf(0x0a) + 1)
            .toString('utf8')
            .split('\n').length -
          1 -
          1;
        assert.ok(firstPart > 2000 && firstPart < N, `${firstPart} documents in the first part`);
        const first = (mode: Mode) => converted[mode].progress.find((p) => p.log === SYNTHETIC)?.documents;
        assert.equal(first('threads'), firstPart);
        // The main thread reads 64 KiB at a time and packs events into pages of at most 1024 (cut by the
        // line that is not JSON): it reports once 1024 documents or more have gone into the run.
        const main = first('main') ?? 0;
        assert.ok(main >= 1024 && main <= 2 * 1024 + 2, `main: first report after ${main} documents`);
      });

    if (THREADED.includes('early'))
      test('the early mode did read the synthetic log through the thread it was given (its messages, its end)', () => {
        const [early] = earlyThreads;
        assert.equal(early.log, SYNTHETIC);
        assert.ok(early.taken, 'convertLogs read its batches');
        assert.ok(early.received >= 3, `${early.received} messages`);
        assert.ok(early.done);
      });

    test("the synthetic run's values are the documents' (the invalid event left out)", () => {
      const kept = Array.from({ length: N }, (_, k) => k + 1).filter((i) => i !== BAD_SEQ);
      for (const mode of ALL) {
        withFile(resultOf(mode, START).file!, (f) => {
          for (const field of FLOATS)
            assertColumn(rows(f, `${STREAM}/${field}/value`), kept.map(reading[field]), `${mode} ${field}`);
          assertColumn(rows(f, `${STREAM}/status/value`), kept.map(status), `${mode} status`);
          // NXlog time is relative to its @start, the run's start (issue 11)
          assertColumn(
            rows(f, `${STREAM}/det/time`),
            kept.map((i) => time(i) - 0.001 - T0),
            `${mode} det/time`,
          );
        });
      }
    });

    test('h5dump of every dataset h5ls lists is identical in the files, values included', () => {
      for (const [uid, mode] of runUids().flatMap((u) => THREADED.map((m) => [u, m] as const))) {
        const a = resultOf('main', uid).file!;
        const b = resultOf(mode, uid).file!;
        assert.notEqual(a, b);
        const paths = datasetPaths(a);
        assert.deepEqual(datasetPaths(b), paths, `${mode}: run ${uid}: the same datasets`);
        assert.ok(paths.length >= 20, `run ${uid}: ${paths.length} datasets`);
        assert.ok(paths.includes(`${STREAM}/det/value`));
        const [dumpsA, dumpsB] = [datasetDumps(a, paths), datasetDumps(b, paths)];
        for (const p of paths) {
          assert.ok(dumpsA.has(p), `run ${uid}: h5dump shows ${p}`);
          assert.equal(dumpsB.get(p), dumpsA.get(p), `${mode}: run ${uid}: ${p}`);
        }
      }
    });

    test('h5dump of the whole files (attributes, links, groups) is identical but for the file name', () => {
      for (const uid of runUids()) {
        const whole = dump([], resultOf('main', uid).file!);
        assert.match(whole, /DATASET "value"/);
        for (const mode of THREADED) assert.equal(dump([], resultOf(mode, uid).file!), whole, `${mode}: run ${uid}`);
      }
    });
  });

  describe('an invalid event_page (no seq_num) is a schema problem, in every mode', () => {
    // Progress and the flush count read a page's length before the router has rejected it: a page without seq_num must not break them.
    for (const mode of ALL) {
      test(`${mode}: reported as DOC_SCHEMA, the run still written`, async () => {
        const { layout } = await loadLayout(DEFAULT_TEMPLATE);
        assert.ok(layout);
        const log = path.join(dir, `bad-page-${mode}.jsonl`);
        const page = {
          uid: ['p1'],
          descriptor: DESCRIPTOR,
          time: [T0 + 2],
          data: { motor: [1] },
          timestamps: { motor: [T0 + 2] },
        };
        // The synthetic log's start, descriptor and first event, then the page.
        const lines = fs.readFileSync(SYNTHETIC, 'utf8').split('\n').slice(0, 3);
        lines.push(
          JSON.stringify(['event_page', page]),
          JSON.stringify([
            'stop',
            { uid: 'dec0de00-0000-4000-8000-0000000000f2', run_start: START, time: T0 + 9, exit_status: 'success' },
          ]),
        );
        fs.writeFileSync(log, lines.join('\n') + '\n');
        const outRoot = path.join(dir, `out-bad-page-${mode}`);
        fs.mkdirSync(outRoot);
        const { results } = await convertLogs([log], {
          outRoot,
          layouts: [],
          fallback: layout,
          registry: createDefaultRegistry(),
          ...MODES[mode](log),
        });
        assert.equal(results.length, 1);
        assert.equal(results[0].status, 'written');
        assert.equal(results[0].events, 1);
        assert.ok(results[0].diagnostics.some((d) => d.code === 'DOC_SCHEMA'));
      });
    }
  });
}
