/**
 * bluesky-tiled-plugins' examples carry `{{ uuid }}` and `{{ root_path }}`
 * placeholders that their own suite fills in before use (a uuid prefix, and
 * the directory of the detector files it writes). We do the same into temp
 * copies, and write the HDF5 detector file their stream_resources and
 * resources name, with the shapes of their data keys.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeDetectorFile } from './h5.js';
import { REALDATA } from './paths.js';

const TILED_DIR = path.join(REALDATA, 'bluesky-tiled-plugins');

/** A uuid minus its last group: the examples append `-<12 hex>` to it. One per example, so their runs stay distinct. */
function exampleUuid(i: number): string {
  return `c0ffee${String(i).padStart(2, '0')}-1234-4abc-8def`;
}

export interface TiledExamples {
  /** The rendered logs, one per example. */
  logs: string[];
  /** root_path: where dataset.h5 lives. */
  root: string;
  /** What dataset.h5 holds. */
  data1: Float64Array;
  data2: BigInt64Array;
}

/** Renders every example into `dir` and writes `dir/root/dataset.h5` (/entry/data/data_1 float64 [3], data_2 int64 [3, 13, 17]). */
export function renderTiledExamples(dir: string): TiledExamples {
  const root = path.join(dir, 'root');
  fs.mkdirSync(root, { recursive: true });
  const names = fs
    .readdirSync(TILED_DIR)
    .filter((n) => n.endsWith('.json'))
    .sort();
  const logs = names.map((name, i) => {
    const text = fs.readFileSync(path.join(TILED_DIR, name), 'utf8');
    const out = path.join(dir, name);
    fs.writeFileSync(out, text.replaceAll('{{ uuid }}', exampleUuid(i)).replaceAll('{{ root_path }}', root));
    return out;
  });
  const data1 = Float64Array.from({ length: 3 }, (_, i) => 0.25 + i * 1.5);
  const data2 = BigInt64Array.from({ length: 3 * 13 * 17 }, (_, i) => BigInt((i % 21) - 10));
  writeDetectorFile(path.join(root, 'dataset.h5'), [
    { path: '/entry/data/data_1', data: data1, shape: [3], dtype: '<d' },
    { path: '/entry/data/data_2', data: data2, shape: [3, 13, 17], dtype: '<q' },
  ]);
  return { logs, root, data1, data2 };
}
