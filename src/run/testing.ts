/**
 * Builds the documents of a run in code, for tests (the way event-model's
 * compose_run does), with deterministic uids and times:
 *
 *     const b = composeRun({ scan_id: 1, plan_name: 'count' });
 *     const d = b.descriptor('primary', { I0: { dtype: 'number' } });
 *     d.event({ I0: 5 });
 *     b.stop();
 *     b.documents(); b.run();
 */
import type {
  Configuration,
  DataKey,
  Datum,
  DatumPage,
  EventDescriptor,
  NamedDocument,
  Resource,
  RunStart,
  RunStop,
  StreamDatum,
  StreamResource,
} from '../documents/models.js';
import { RunAccumulator } from './accumulator.js';
import { DescriptorBuilder, type RunDocuments, testUid } from './testing-descriptor.js';
import type { Run } from './models.js';

export class RunBuilder implements RunDocuments {
  readonly start: RunStart;
  readonly #docs: NamedDocument[] = [];
  readonly #seqNums = new Map<string, number>();
  #clock: number;

  constructor(metadata: Partial<RunStart> = {}) {
    const time = metadata.time ?? 1_700_000_000;
    this.#clock = time;
    this.start = { ...metadata, uid: metadata.uid ?? testUid(), time };
    this.#docs.push({ name: 'start', doc: this.start });
  }

  /** The next document time: one second after the previous one. */
  tick(): number {
    this.#clock += 1;
    return this.#clock;
  }

  nextSeqNum(descriptor: EventDescriptor): number {
    const stream = descriptor.name ?? 'primary';
    const n = (this.#seqNums.get(stream) ?? 0) + 1;
    this.#seqNums.set(stream, n);
    return n;
  }

  add(named: NamedDocument): void {
    this.#docs.push(named);
  }

  /** A descriptor of stream `name`; data keys default to a numeric scalar from a simulated source. */
  descriptor(
    name: string,
    dataKeys: Record<string, Partial<DataKey>>,
    configuration?: Record<string, Configuration>,
    extra: Partial<EventDescriptor> = {},
  ): DescriptorBuilder {
    const keys: Record<string, DataKey> = {};
    for (const [field, key] of Object.entries(dataKeys)) {
      keys[field] = { dtype: 'number', shape: [], source: `SIM:${field}`, ...key };
    }
    const doc: EventDescriptor = {
      uid: testUid(),
      run_start: this.start.uid,
      time: this.tick(),
      name,
      data_keys: keys,
      configuration: configuration ?? {},
      hints: {},
      object_keys: {},
      ...extra,
    };
    this.add({ name: 'descriptor', doc });
    return new DescriptorBuilder(this, doc);
  }

  /** A resource; `datum` / `datumPage` add its datums and return their ids. */
  resource(
    spec: string,
    root: string,
    resourcePath: string,
    resourceKwargs: Record<string, unknown> = {},
    extra: Partial<Resource> = {},
  ) {
    const doc: Resource = {
      uid: testUid(),
      spec,
      root,
      resource_path: resourcePath,
      resource_kwargs: resourceKwargs,
      path_semantics: 'posix',
      run_start: this.start.uid,
      ...extra,
    };
    this.add({ name: 'resource', doc });
    let n = 0;
    return {
      doc,
      uid: doc.uid,
      datum: (datumKwargs: Record<string, unknown>): string => {
        const datum: Datum = { datum_id: `${doc.uid}/${n++}`, resource: doc.uid, datum_kwargs: datumKwargs };
        this.add({ name: 'datum', doc: datum });
        return datum.datum_id;
      },
      datumPage: (datumKwargs: Record<string, unknown[]>): string[] => {
        const count = Object.values(datumKwargs)[0]?.length ?? 0;
        const ids = Array.from({ length: count }, () => `${doc.uid}/${n++}`);
        const page: DatumPage = { datum_id: ids, resource: doc.uid, datum_kwargs: datumKwargs };
        this.add({ name: 'datum_page', doc: page });
        return ids;
      },
    };
  }

  /** A stream_resource; `streamDatum` adds a stream_datum of a descriptor over rows [start, stop). */
  streamResource(dataKey: string, uri: string, mimetype: string, parameters: Record<string, unknown> = {}) {
    const doc: StreamResource = {
      uid: testUid(),
      data_key: dataKey,
      mimetype,
      uri,
      parameters,
      run_start: this.start.uid,
    };
    this.add({ name: 'stream_resource', doc });
    let n = 0;
    return {
      doc,
      uid: doc.uid,
      streamDatum: (descriptor: DescriptorBuilder, start: number, stop: number, seqStart = start + 1): StreamDatum => {
        const datum: StreamDatum = {
          uid: `${doc.uid}/${n++}`,
          stream_resource: doc.uid,
          descriptor: descriptor.uid,
          indices: { start, stop },
          seq_nums: { start: seqStart, stop: seqStart + (stop - start) },
        };
        this.add({ name: 'stream_datum', doc: datum });
        return datum;
      },
    };
  }

  stop(extra: Partial<RunStop> = {}): RunStop {
    const num_events = Object.fromEntries(this.#seqNums);
    const doc: RunStop = {
      uid: testUid(),
      run_start: this.start.uid,
      time: this.tick(),
      exit_status: 'success',
      reason: '',
      num_events,
      ...extra,
    };
    this.add({ name: 'stop', doc });
    return doc;
  }

  /** Every document so far, in order. */
  documents(): NamedDocument[] {
    return [...this.#docs];
  }

  /** The documents folded into a Run (throws if a document was rejected: a builder bug). */
  run(): Run {
    const [first, ...rest] = this.#docs;
    if (first.name !== 'start') throw new Error('composeRun: the first document is not a start');
    const acc = new RunAccumulator(first.doc, undefined);
    for (const named of rest) {
      const problems = acc.push(named);
      if (problems.length > 0) throw new Error(`composeRun: ${problems[0].message}`);
    }
    return acc.snapshot();
  }
}

export function composeRun(metadata: Partial<RunStart> = {}): RunBuilder {
  return new RunBuilder(metadata);
}
