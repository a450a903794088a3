/**
 * Synthetic logs of runs that real beamlines produce and that lost whole runs
 * before: documents of other event-model versions, runs the RunEngine did not
 * finish, wrong-typed readings, NaN tokens, replays, duplicate events, a stop
 * whose num_events disagrees. One run per log; `text` is the log as written.
 */
const T0 = 1_700_000_000;

export interface BrokenRun {
  name: string;
  uid: string;
  scanId: number;
  text: string;
}

type Doc = Record<string, unknown>;
const line = (name: string, doc: Doc): string => JSON.stringify([name, doc]);

function uids(n: number): (kind: string) => string {
  let i = 0;
  return (kind) => `${kind}${String(n).padStart(2, '0')}${String(++i).padStart(2, '0')}-0000-4000-8000-00000000b0ad`;
}

interface Parts {
  start: Doc;
  descriptor: Doc;
  events: Doc[];
  stop: Doc;
  uid: (kind: string) => string;
}

/** A plain 3-point scan: motor m, detector det (number), cnt (integer), label (string). */
function scan(n: number): Parts {
  const uid = uids(n);
  const start = {
    uid: uid('a'),
    time: T0,
    scan_id: n,
    plan_name: 'scan',
    detectors: ['det'],
    motors: ['m'],
    hints: { dimensions: [[['m'], 'primary']] },
  };
  const descriptor = {
    uid: uid('d'),
    run_start: start.uid,
    time: T0,
    name: 'primary',
    hints: { det: { fields: ['det'] } },
    data_keys: {
      m: { dtype: 'number', shape: [], source: 'PV:m', units: 'mm' },
      det: { dtype: 'number', shape: [], source: 'PV:det' },
      cnt: { dtype: 'integer', shape: [], source: 'PV:cnt' },
      label: { dtype: 'string', shape: [], source: 'PV:label' },
      aux: { dtype: 'number', shape: [], source: 'PV:aux' },
    },
  };
  const events = [1, 2, 3].map((i) => ({
    uid: uid('e'),
    descriptor: descriptor.uid,
    seq_num: i,
    time: T0 + i,
    data: { m: i, det: 10 * i, cnt: i, label: `p${i}`, aux: i / 2 },
    timestamps: { m: T0 + i, det: T0 + i, cnt: T0 + i, label: T0 + i, aux: T0 + i },
  }));
  const stop = {
    uid: uid('z'),
    run_start: start.uid,
    time: T0 + 9,
    exit_status: 'success',
    num_events: { primary: 3 },
  };
  return { start, descriptor, events, stop, uid };
}

const text = (lines: string[]): string => lines.join('\n') + '\n';
const plain = (p: Parts): string[] => [
  line('start', p.start),
  line('descriptor', p.descriptor),
  ...p.events.map((e) => line('event', e)),
  line('stop', p.stop),
];

function legacy(): BrokenRun {
  const p = scan(1);
  const camera = { dtype: 'array', shape: [2, 2], source: 'PV:cam', external: 'FILESTORE:' };
  (p.descriptor.data_keys as Doc).cam = camera;
  p.descriptor['legacy.key'] = 'a key with a dot: outside the schema';
  // A resource as old databroker wrote it: a legacy `id`, no `root` (a newer key), an extra key.
  const resource = {
    uid: p.uid('r'),
    id: 'legacy-id',
    run_start: p.start.uid,
    spec: 'AD_HDF5',
    resource_path: 'det/legacy.h5',
    resource_kwargs: { frame_per_point: 1 },
    path_semantics: 'posix',
    ts: T0,
  };
  const datums = p.events.map((_, i) => ({
    datum_id: `${resource.uid}/${i}`,
    resource: resource.uid,
    datum_kwargs: { point_number: i },
    legacy_note: 'extra',
  }));
  p.events.forEach((e, i) => {
    (e.data as Doc).cam = datums[i].datum_id;
    (e.timestamps as Doc).cam = T0 + i;
    e.filled = { cam: false };
  });
  p.events[1].legacy_event_key = 1;
  const lines = [
    line('start', p.start),
    line('descriptor', p.descriptor),
    line('resource', resource),
    ...datums.map((d) => line('datum', d)),
    ...p.events.map((e) => line('event', e)),
    line('stop', p.stop),
  ];
  return { name: 'legacy', uid: p.start.uid as string, scanId: 1, text: text(lines) };
}

function noStop(): BrokenRun {
  const p = scan(2);
  return { name: 'no-stop', uid: p.start.uid as string, scanId: 2, text: text(plain(p).slice(0, -1)) };
}

function noEvents(): BrokenRun {
  const p = scan(3);
  p.stop.exit_status = 'abort';
  p.stop.num_events = {};
  return {
    name: 'no-events',
    uid: p.start.uid as string,
    scanId: 3,
    text: text([line('start', p.start), line('descriptor', p.descriptor), line('stop', p.stop)]),
  };
}

function noFrames(): BrokenRun {
  const p = scan(4);
  const baseline = {
    uid: p.uid('b'),
    run_start: p.start.uid,
    time: T0,
    name: 'baseline',
    data_keys: { ring: { dtype: 'number', shape: [], source: 'PV:ring', units: 'mA' } },
  };
  const camera = {
    uid: p.uid('c'),
    run_start: p.start.uid,
    time: T0,
    name: 'primary',
    data_keys: { cam_image: { dtype: 'array', shape: [4, 4], source: 'PV:cam', external: 'FILESTORE:' } },
  };
  const resource = {
    uid: p.uid('r'),
    run_start: p.start.uid,
    spec: 'AD_HDF5',
    root: '/',
    resource_path: 'tmp/never-written.h5',
    resource_kwargs: {},
    path_semantics: 'posix',
  };
  const ring = {
    uid: p.uid('e'),
    descriptor: baseline.uid,
    seq_num: 1,
    time: T0,
    data: { ring: 101.5 },
    timestamps: { ring: T0 },
  };
  p.stop.exit_status = 'abort';
  p.stop.num_events = { baseline: 1 };
  const lines = [
    line('start', { ...p.start, detectors: ['cam'] }),
    line('descriptor', baseline),
    line('event', ring),
    line('descriptor', camera),
    line('resource', resource),
    line('stop', p.stop),
  ];
  return { name: 'no-frames', uid: p.start.uid as string, scanId: 4, text: text(lines) };
}

function wrongTypes(): BrokenRun {
  const p = scan(5);
  (p.events[1].data as Doc).det = 'oops';
  (p.events[2].data as Doc).label = 12;
  (p.events[0].data as Doc).cnt = { not: 'a number' };
  (p.events[1].data as Doc).aux = [1, 2];
  return { name: 'wrong-types', uid: p.start.uid as string, scanId: 5, text: text(plain(p)) };
}

function nanTokens(): BrokenRun {
  const p = scan(6);
  (p.events[0].data as Doc).label = 'NaN';
  const lines = plain(p);
  // As Python's json writes them; "NaN" the string (label of event 1) stays a string.
  lines[2] = lines[2].replace('"det":10', '"det":NaN');
  lines[3] = lines[3].replace('"det":20', '"det":Infinity').replace('"cnt":2', '"cnt":NaN');
  lines[4] = lines[4].replace('"det":30', '"det":-Infinity');
  return { name: 'nan-tokens', uid: p.start.uid as string, scanId: 6, text: text(lines) };
}

function replayed(): BrokenRun {
  const p = scan(7);
  return { name: 'replayed', uid: p.start.uid as string, scanId: 7, text: text([...plain(p), ...plain(p)]) };
}

function duplicateEvents(): BrokenRun {
  const p = scan(8);
  const lines = plain(p);
  lines.splice(4, 0, lines[3]); // event 2 logged twice, in a row
  return { name: 'duplicate-events', uid: p.start.uid as string, scanId: 8, text: text(lines) };
}

function numEvents(): BrokenRun {
  const p = scan(9);
  p.stop.num_events = { primary: 5 };
  return { name: 'num-events', uid: p.start.uid as string, scanId: 9, text: text(plain(p)) };
}

function afterStop(): BrokenRun {
  const p = scan(10);
  const lines = plain(p);
  lines.push(line('event', { ...p.events[2], uid: p.uid('late'), seq_num: 4 }));
  return { name: 'after-stop', uid: p.start.uid as string, scanId: 10, text: text(lines) };
}

export const BROKEN_RUNS: readonly BrokenRun[] = [
  legacy(),
  noStop(),
  noEvents(),
  noFrames(),
  wrongTypes(),
  nanTokens(),
  replayed(),
  duplicateEvents(),
  numEvents(),
  afterStop(),
];
