/**
 * Deterministic synthetic Bluesky documents as suitcase-jsonl text, built by
 * string concatenation (no object graph, no JSON.stringify per event) so the
 * generator writes hundreds of MB in seconds. Every value depends only on the
 * run number and the event index: the same sizes give the same bytes.
 */

/** The scalar fields of the primary stream: f0..f4 read like motor positions, f5..f9 like detector counts. */
const FIELDS = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9'] as const;

export interface RunIds {
  /** 1-based run number: scan_id, and the seed of every uid. */
  readonly n: number;
  readonly uid: string;
  readonly descriptor: string;
  readonly t0: number;
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** A uuid-shaped uid: `kind` tells documents of one run apart. */
function synthUid(run: number, kind: number, index: number): string {
  return `${hex(run, 8)}-${hex(kind, 4)}-4000-8000-${hex(index, 12)}`;
}

export function runIds(n: number): RunIds {
  return { n, uid: synthUid(n, 1, 0), descriptor: synthUid(n, 2, 0), t0: 1739225100.5 + n * 1000 };
}

function eventTime(r: RunIds, i: number): number {
  return r.t0 + 1 + i * 0.01;
}

/** Field k of event i: motors have 4 decimals, detectors full double precision. */
function fieldValue(k: number, i: number): number {
  return k < 5 ? Math.round((k + 1) * 10000 + i * 7 + k) / 10000 : Math.sin(i * 0.37 + k) * 1000 * (k - 3);
}

function fieldTimestamp(t: number, k: number): number {
  return t - (k + 1) * 0.000123;
}

function line(name: string, body: string): string {
  return `["${name}",${body}]\n`;
}

export function startLine(r: RunIds, extra = ''): string {
  const fields = FIELDS.map((f) => `"${f}"`).join(',');
  return line(
    'start',
    `{"uid":"${r.uid}","time":${r.t0},"scan_id":${r.n},"plan_name":"count","plan_type":"generator",` +
      `"plan_args":{"detectors":["sim"],"num":1},"detectors":["sim"],"motors":[],"beamline_id":"bench","title":"synthetic run ${r.n}",` +
      `"sample_name":"bench_sample","hints":{"dimensions":[[["time"],"primary"]]},"versions":{"bluesky":"1.13.1","ophyd":"1.9.0"},` +
      `"bench_fields":[${fields}]${extra}}`,
  );
}

function scalarKey(f: string, k: number): string {
  const units = k < 5 ? 'mm' : 'counts';
  return `"${f}":{"dtype":"number","dtype_numpy":"<f8","shape":[],"source":"SIM:${f}","units":"${units}","precision":4,"object_name":"sim"}`;
}

/** The primary descriptor of scalar `fields`; `extraKeys` are more data_keys (JSON text, without braces). */
export function descriptorLine(r: RunIds, fields: readonly string[] = FIELDS, extraKeys = ''): string {
  const keys =
    fields.map((f) => scalarKey(f, FIELDS.indexOf(f as (typeof FIELDS)[number]))).join(',') +
    (extraKeys === '' ? '' : ',' + extraKeys);
  const hinted = fields.map((f) => `"${f}"`).join(',');
  return line(
    'descriptor',
    `{"uid":"${r.descriptor}","run_start":"${r.uid}","time":${r.t0 + 0.5},"name":"primary","data_keys":{${keys}},` +
      `"configuration":{"sim":{"data":{"sim_gain":2.5,"sim_mode":"fast"},"timestamps":{"sim_gain":${r.t0},"sim_mode":${r.t0}},` +
      `"data_keys":{"sim_gain":{"dtype":"number","shape":[],"source":"SIM:gain"},"sim_mode":{"dtype":"string","shape":[],"source":"SIM:mode"}}}},` +
      `"hints":{"sim":{"fields":[${hinted}]}},"object_keys":{"sim":[${hinted}]}}`,
  );
}

/** One event of the ten scalar fields. */
export function eventLine(r: RunIds, i: number): string {
  const t = eventTime(r, i);
  let data = '';
  let ts = '';
  for (let k = 0; k < FIELDS.length; k++) {
    const sep = k === 0 ? '' : ',';
    data += `${sep}"${FIELDS[k]}":${fieldValue(k, i)}`;
    ts += `${sep}"${FIELDS[k]}":${fieldTimestamp(t, k)}`;
  }
  return line(
    'event',
    `{"uid":"${synthUid(r.n, 3, i)}","descriptor":"${r.descriptor}","seq_num":${i + 1},"time":${t},` +
      `"data":{${data}},"timestamps":{${ts}},"filled":{}}`,
  );
}

/** Events [from, to) as one event_page: the same readings as `eventLine` gives one by one. */
export function eventPageLine(r: RunIds, from: number, to: number): string {
  const uids: string[] = [];
  const seq: number[] = [];
  const times: number[] = [];
  for (let i = from; i < to; i++) {
    uids.push(`"${synthUid(r.n, 3, i)}"`);
    seq.push(i + 1);
    times.push(eventTime(r, i));
  }
  let data = '';
  let ts = '';
  for (let k = 0; k < FIELDS.length; k++) {
    const values: number[] = [];
    const stamps: number[] = [];
    for (let i = from; i < to; i++) {
      values.push(fieldValue(k, i));
      stamps.push(fieldTimestamp(times[i - from], k));
    }
    const sep = k === 0 ? '' : ',';
    data += `${sep}"${FIELDS[k]}":[${values.join(',')}]`;
    ts += `${sep}"${FIELDS[k]}":[${stamps.join(',')}]`;
  }
  return line(
    'event_page',
    `{"uid":[${uids.join(',')}],"descriptor":"${r.descriptor}","seq_num":[${seq.join(',')}],"time":[${times.join(',')}],` +
      `"data":{${data}},"timestamps":{${ts}},"filled":{}}`,
  );
}

export function stopLine(r: RunIds, events: number): string {
  return line(
    'stop',
    `{"uid":"${synthUid(r.n, 4, 0)}","run_start":"${r.uid}","time":${eventTime(r, events) + 0.5},` +
      `"exit_status":"success","reason":"","num_events":{"primary":${events}}}`,
  );
}

/** S4: the external image key (event-model's `STREAM:` form) and the two scalars its events carry. */
const IMAGE_FIELD = 'image';
export const S4_SCALARS = ['f0', 'f5'] as const;

export function imageKey(frame: readonly [number, number]): string {
  return (
    `"${IMAGE_FIELD}":{"dtype":"array","dtype_numpy":"<u2","shape":[1,${frame[0]},${frame[1]}],"dims":["time","dim_y","dim_x"],` +
    `"source":"SIM:image","external":"STREAM:","object_name":"sim"}`
  );
}

export function streamResourceLine(
  r: RunIds,
  h5Path: string,
  dataset: string,
  frame: readonly [number, number],
): string {
  return line(
    'stream_resource',
    `{"uid":"${synthUid(r.n, 5, 0)}","data_key":"${IMAGE_FIELD}","mimetype":"application/x-hdf5",` +
      `"uri":"file://localhost${encodeURI(h5Path)}","parameters":{"dataset":"${dataset}","chunk_shape":[1,${frame[0]},${frame[1]}]},"run_start":"${r.uid}"}`,
  );
}

/** The external frame of event i (one stream_datum per event, as a step scan writes them). */
export function streamDatumLine(r: RunIds, i: number): string {
  return line(
    'stream_datum',
    `{"uid":"${synthUid(r.n, 5, 0)}/${i}","stream_resource":"${synthUid(r.n, 5, 0)}","descriptor":"${r.descriptor}",` +
      `"indices":{"start":${i},"stop":${i + 1}},"seq_nums":{"start":${i + 1},"stop":${i + 2}}}`,
  );
}

/** An S4 event: only the scalars; the image is in the stream_datum's frame. */
export function scalarEventLine(r: RunIds, i: number, fields: readonly string[]): string {
  const t = eventTime(r, i);
  let data = '';
  let ts = '';
  for (const f of fields) {
    const k = FIELDS.indexOf(f as (typeof FIELDS)[number]);
    const sep = data === '' ? '' : ',';
    data += `${sep}"${f}":${fieldValue(k, i)}`;
    ts += `${sep}"${f}":${fieldTimestamp(t, k)}`;
  }
  return line(
    'event',
    `{"uid":"${synthUid(r.n, 3, i)}","descriptor":"${r.descriptor}","seq_num":${i + 1},"time":${t},` +
      `"data":{${data}},"timestamps":{${ts}},"filled":{}}`,
  );
}
