/**
 * Runs of ../shared/realdata written with the default template through
 * convertLogs (the pipeline of `nxlayout write`), then read back: values
 * against the raw documents (read here with JSON.parse / zlib / msgpack, not
 * nxlayout's reader), NeXus structure, provenance, and Debian's h5dump/h5ls.
 * `npm test` runs a sample, one log of each kind (realdata-default.test.ts);
 * the slow suite every log (realdata-default.slow.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertLogs, type RunResult } from '../../src/convert/index.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { loadLayout } from '../../src/layout/index.js';
import {
  allDatasets,
  allExternalLinks,
  allGroups,
  assertColumn,
  attribute,
  dumpNumbersMany,
  linkInfo,
  resolveToDataset,
  rows,
  tool,
  withFile,
  type H5File,
} from './h5.js';
import { DEFAULT_TEMPLATE, REALDATA } from './paths.js';
import { expectExternals, expectRuns, readRawLog, type ExpectedRun, type ExpectedStream } from './raw-documents.js';
import { renderTiledExamples } from './tiled-examples.js';

/** Every log, or a sample: the smallest apstools log, the tiled examples (external data), one msgpack and one JSONL log of databroker-pack. */
export function realdataDefaultSuite(which: 'all' | 'sample'): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-integration-realdata-'));
  const outRoot = path.join(dir, 'out');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const inDir = (sub: string, ext: string): string[] =>
    fs
      .readdirSync(path.join(REALDATA, sub))
      .filter((n) => n.endsWith(ext))
      .sort()
      .map((n) => path.join(REALDATA, sub, n));

  const tiled = renderTiledExamples(path.join(dir, 'tiled'));
  const ALL = [
    ...inDir('apstools', '.json'),
    path.join(REALDATA, 'apstools/usaxs.json.gz'),
    ...tiled.logs,
    ...inDir('databroker-pack/simple_catalog/documents', '.msgpack'),
    ...inDir('databroker-pack/simple_catalog_jsonl_history', '.jsonl'),
  ];
  const SAMPLE = [
    path.join(REALDATA, 'apstools/uid-b31e8698.json'),
    ...tiled.logs,
    inDir('databroker-pack/simple_catalog/documents', '.msgpack')[0],
    inDir('databroker-pack/simple_catalog_jsonl_history', '.jsonl')[0],
  ];
  const LOGS = which === 'all' ? ALL : SAMPLE;

  /** Expected runs by uid, with the log each came from. */
  const expected = new Map<string, { run: ExpectedRun; log: string }>();
  for (const log of LOGS) for (const run of expectRuns(readRawLog(log)).values()) expected.set(run.uid, { run, log });

  const templateText = fs.readFileSync(DEFAULT_TEMPLATE, 'utf8');
  let converted: Awaited<ReturnType<typeof convertLogs>>;
  const resultOf = new Map<string, RunResult>();
  before(async () => {
    const { layout } = await loadLayout(DEFAULT_TEMPLATE);
    assert.ok(layout, 'the default template loads');
    fs.mkdirSync(outRoot);
    converted = await convertLogs(LOGS, {
      outRoot,
      layouts: [],
      fallback: layout,
      registry: createDefaultRegistry(),
    });
    for (const r of converted.results) resultOf.set(r.uid, r);
  });

  const STREAMS = '/entry/instrument/bluesky/streams';

  /**
   * `h5dump -H` and `h5ls -r` of every written file, each tool run ONCE for all the files (both take
   * several files; a process per file per tool cost ~50 ms of CPU each), cut back into one text per file.
   */
  const headerOf = new Map<string, string>();
  const listingOf = new Map<string, string>();
  function readAllWithTools(): void {
    if (headerOf.size > 0) return;
    const files = converted.results.filter((r) => r.status === 'written' && r.file !== undefined).map((r) => r.file!);
    const chunks = tool('h5dump', ['-H', ...files])
      .split(/^(?=HDF5 ")/m)
      .filter((c) => c.startsWith('HDF5 "'));
    assert.equal(chunks.length, files.length, 'h5dump -H prints one HDF5 block per file');
    files.forEach((f, i) => {
      assert.ok(chunks[i]!.startsWith(`HDF5 "${f}" {`), `h5dump -H block ${i} is ${f}: ${chunks[i]!.slice(0, 200)}`);
      headerOf.set(f, chunks[i]!);
    });
    // With several files h5ls names each object `FILE/PATH` (`FILE//` the root): back to PATH alone.
    const lines = tool('h5ls', ['-r', ...files]).split('\n');
    for (const f of files)
      listingOf.set(
        f,
        lines
          .filter((l) => l.startsWith(`${f}//`))
          .map((l) => l.slice(f.length + 1))
          .join('\n'),
      );
  }
  const safe = (name: string): string => name.replace(/\//g, '_').trim();
  const label = (log: string): string =>
    path.relative(REALDATA, log).replace(/^\.\.\/.*tiled\//, 'bluesky-tiled-plugins (rendered)/');

  function checkStructure(f: H5File): void {
    for (const g of allGroups(f)) {
      const nx = attribute(f, g, 'NX_class');
      assert.equal(typeof nx, 'string', `${g} has an NX_class`);
      assert.match(nx as string, /^NX[a-z0-9_]+$/, `${g}: NX_class ${String(nx)}`);
    }
    assert.equal(attribute(f, '/', 'NX_class'), 'NXroot');
  }

  /** / @default → NXentry @default → NXdata @signal → a dataset of that group (or a link resolving to one). */
  function checkDefaultChain(file: string): void {
    const signalPath = withFile(file, (f) => {
      const entryName = attribute(f, '/', 'default');
      assert.equal(typeof entryName, 'string', '/ has @default');
      const entry = `/${entryName as string}`;
      assert.equal(attribute(f, entry, 'NX_class'), 'NXentry', `${entry} is an NXentry`);
      const dataName = attribute(f, entry, 'default');
      // No plottable signal (no events, only file paths of external data): no @default rather than a broken one (issue 11, test/integration/default-plot.test.ts)
      if (dataName === undefined && attribute(f, `${entry}/data`, 'signal') === undefined) return undefined;
      assert.equal(typeof dataName, 'string', `${entry} has @default`);
      const data = `${entry}/${dataName as string}`;
      assert.equal(attribute(f, data, 'NX_class'), 'NXdata', `${data} is an NXdata`);
      const signal = attribute(f, data, 'signal');
      assert.equal(typeof signal, 'string', `${data} has @signal`);
      return `${data}/${signal as string}`;
    });
    if (signalPath === undefined) return;
    const target = resolveToDataset(file, signalPath);
    assert.ok(target.path.length > 1, `${signalPath} resolves to ${target.file}:${target.path}`);
  }

  function checkProvenance(f: H5File, run: ExpectedRun): void {
    const p = '/entry/nxlayout_provenance';
    assert.equal(rows(f, `${p}/run_uid`), run.uid);
    assert.equal(rows(f, `${p}/template_name`), 'default');
    assert.equal(rows(f, `${p}/template_version`), JSON.parse(templateText).version);
    assert.equal(rows(f, `${p}/template_sha256`), createHash('sha256').update(templateText, 'utf8').digest('hex'));
    assert.deepEqual(JSON.parse(rows(f, `${p}/start_document`) as string), run.start);
    assert.deepEqual(JSON.parse(rows(f, `${p}/stop_document`) as string), run.stop);
    assert.equal(rows(f, '/entry/entry_identifier'), run.uid);
  }

  /** External data: a link to the detector file and dataset the documents name (HDF5), else the URIs. */
  function checkExternal(f: H5File, file: string, run: ExpectedRun, stream: ExpectedStream, field: string): void {
    const node = `${STREAMS}/${safe(stream.name)}/${safe(field)}/value`;
    // databroker-pack's catalog.yml maps its resource roots to external_files/ROOT (issue 11: root_map)
    const pack = path.join(REALDATA, 'databroker-pack/simple_catalog');
    const exts = expectExternals(run, stream, field, {
      f8483b80395561ac779a5425da6646ca: path.join(pack, 'external_files/f8483b80395561ac779a5425da6646ca'),
    });
    assert.ok(exts.length > 0, `${node}: the documents locate the external data`);
    const info = linkInfo(f, node);
    if (exts.every((e) => e.hdf5)) {
      const links =
        info.kind === 'group'
          ? ['data_000001', 'data_000002', 'data_000003'].slice(0, exts.length).map((n) => linkInfo(f, `${node}/${n}`))
          : [info];
      assert.equal(links.length, exts.length);
      links.forEach((link, i) => {
        assert.equal(link.kind, 'external', `${node} is an external link`);
        if (link.kind !== 'external') return;
        assert.ok(
          !path.isAbsolute(link.file),
          `${node}: external file name ${link.file} is relative to the output file`,
        );
        assert.equal(path.resolve(path.dirname(file), link.file), exts[i].file);
        assert.equal(link.target, exts[i].dataset);
      });
      return;
    }
    assert.equal(info.kind, 'dataset', `${node} records the URIs`);
    assert.deepEqual(rows(f, node), [...new Set(exts.map((e) => e.file))]);
    assert.equal(attribute(f, node, 'external_spec'), [...new Set(exts.map((e) => e.spec))].join(','));
  }

  function checkStreams(f: H5File, file: string, run: ExpectedRun): number {
    let checked = 0;
    for (const stream of run.streams.values()) {
      for (const [field, dataKey] of Object.entries(stream.dataKeys)) {
        const base = `${STREAMS}/${safe(stream.name)}/${safe(field)}`;
        assert.equal(attribute(f, base, 'NX_class'), 'NXlog', `${base} is an NXlog`);
        if (dataKey.external !== undefined) {
          checkExternal(f, file, run, stream, field);
          checked++;
          continue;
        }
        const float32 = typeof dataKey.dtype_numpy === 'string' && /f4$/.test(dataKey.dtype_numpy);
        const values = stream.values.get(field) ?? Array.from({ length: stream.length }, () => undefined);
        assertColumn(rows(f, `${base}/value`), values, `${base}/value`, float32);
        const timestamps = stream.timestamps.get(field) ?? [];
        // NXlog: time relative to @start, the run's start (issue 11)
        const relative = timestamps.map((t) => (typeof t === 'number' ? t - run.start.time : t));
        if (timestamps.some((t) => t !== undefined)) assertColumn(rows(f, `${base}/time`), relative, `${base}/time`);
        checked++;
      }
    }
    return checked;
  }

  describe('real data written with the default template (convertLogs), read back', () => {
    test('every run of every log was written, and nothing failed', () => {
      assert.ok(expected.size >= (which === 'all' ? 24 : 7), `runs found in the documents: ${expected.size}`);
      assert.deepEqual(
        converted.diagnostics.filter((d) => d.severity === 'error'),
        [],
      );
      assert.deepEqual([...resultOf.keys()].sort(), [...expected.keys()].sort());
      for (const r of converted.results) {
        assert.equal(
          r.status,
          'written',
          `${r.uid}: ${JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error'))}`,
        );
        assert.deepEqual(
          r.diagnostics.filter((d) => d.severity === 'error'),
          [],
        );
        assert.ok(r.file !== undefined && fs.statSync(r.file).isFile());
        assert.equal(r.incomplete, false);
      }
      assert.equal(new Set(converted.results.map((r) => r.file)).size, converted.results.length, 'one file per run');
      const leftovers = fs.readdirSync(outRoot, { recursive: true }).filter((n) => String(n).includes('nxlayout-tmp'));
      assert.deepEqual(leftovers, []);
    });

    for (const [uid, { run, log }] of expected) {
      const name = `${label(log)}: run ${uid.slice(0, 8)} (scan ${run.start.scan_id ?? '-'})`;
      describe(name, () => {
        const file = (): string => {
          const r = resultOf.get(uid);
          assert.ok(r?.file !== undefined && r.status === 'written', `run ${uid} was written`);
          return r.file;
        };

        test('every event field of every stream equals the documents; NX_class on every group; provenance', () => {
          const f0 = file();
          const checked = withFile(f0, (f) => {
            checkStructure(f);
            checkProvenance(f, run);
            return checkStreams(f, f0, run);
          });
          const declared = [...run.streams.values()].reduce((n, s) => n + Object.keys(s.dataKeys).length, 0);
          assert.equal(checked, declared);
        });

        // Runs without a primary stream (usaxs Flyscan, run_Excel_file) plot their first stream with events.
        test('@default chain from / to an NXdata whose @signal names a dataset', () => {
          checkDefaultChain(file());
        });

        test('h5dump -H and h5ls -r read the file and see every dataset', () => {
          const f0 = file();
          const [datasets, externals] = withFile(f0, (f) => [allDatasets(f), allExternalLinks(f)]);
          readAllWithTools();
          const header = headerOf.get(f0)!;
          // h5dump follows external links: it shows the detector's dataset under each.
          assert.equal(
            header.match(/^\s*DATASET "/gm)?.length ?? 0,
            datasets.length + externals.length,
            'h5dump -H lists every dataset',
          );
          assert.equal(
            header.match(/^\s*EXTERNAL_LINK "/gm)?.length ?? 0,
            externals.length,
            'h5dump -H lists every external link',
          );
          const listing = listingOf.get(f0)!;
          assert.equal(listing.match(/ Dataset \{/g)?.length ?? 0, datasets.length, 'h5ls -r lists every dataset');
          for (const s of run.streams.keys()) assert.match(listing, new RegExp(`^${STREAMS}/${s} +Group$`, 'm'));
        });
      });
    }

    test('every file records whether it is complete (nxlayout_provenance/status), read by h5dump; problems listed when there are', () => {
      const statuses = new Map<string, number>();
      // One h5dump for the status of every file (h5dump takes several files: an HDF5 "FILE" block each).
      const files = converted.results.map((r) => r.file!);
      const blocks = tool('h5dump', ['-d', '/entry/nxlayout_provenance/status', ...files])
        .split(/^(?=HDF5 ")/m)
        .filter((c) => c.startsWith('HDF5 "'));
      assert.equal(blocks.length, files.length, 'h5dump prints one HDF5 block per file');
      for (const [i, r] of converted.results.entries()) {
        assert.ok(blocks[i]!.startsWith(`HDF5 "${r.file!}" {`), `h5dump block ${i} is ${r.file}`);
        const status = blocks[i]!.match(/\(0\): "([a-z]+)"/)?.[1];
        assert.equal(status, r.completeness, `${r.uid}: status in the file`);
        statuses.set(status!, (statuses.get(status!) ?? 0) + 1);
        const dataProblems = r.diagnostics.filter((d) => /^(DOC|RUN)_/.test(d.code));
        const problems = withFile(r.file!, (f) =>
          f.get('/entry/nxlayout_provenance/problems') === null
            ? []
            : ([rows(f, '/entry/nxlayout_provenance/problems')].flat() as string[]),
        );
        assert.equal(problems.length, dataProblems.length, `${r.uid}: one problem line per data problem`);
        const entryStatus = withFile(r.file!, (f) => attribute(f, '/entry', 'nxlayout_status'));
        assert.equal(
          entryStatus,
          r.completeness === 'complete' ? undefined : r.completeness,
          `${r.uid}: @nxlayout_status on the entry`,
        );
      }
      // Real runs that finished are complete; none of these is partial.
      assert.equal(statuses.get('partial'), undefined, JSON.stringify([...statuses]));
      assert.ok((statuses.get('complete') ?? 0) >= (which === 'all' ? 20 : 5), JSON.stringify([...statuses]));
    });

    test('external links: h5dump reads the detector data through them (stream_resource and resource/datum)', () => {
      const runs = [...expected.values()].filter(
        ({ run }) => run.streamResources.size > 0 || [...run.resources.values()].some((r) => /HDF5/.test(r.spec)),
      );
      assert.equal(runs.length, 3, 'three tiled examples link HDF5 detector data');
      for (const { run } of runs) {
        const out = resultOf.get(run.uid)!.file!;
        const primary = `${STREAMS}/primary`;
        // One h5dump -d run per file for its linked datasets (external links: no whole-file dump first).
        const has1 = run.streams.get('primary')!.dataKeys['det-key1'] !== undefined;
        const dumped = dumpNumbersMany(
          out,
          [...(has1 ? [`${primary}/det-key1/value`] : []), `${primary}/det-key2/value`],
          '/',
          false,
        );
        if (has1) assert.deepEqual(dumped[0], [...tiled.data1]);
        const d2 = dumped[dumped.length - 1]!;
        assert.equal(d2.length, 3 * 13 * 17);
        assert.deepEqual(d2, [...tiled.data2].map(Number));
      }
    });
  });
}
