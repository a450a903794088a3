#!/usr/bin/env node
// Writes the small example runs of examples/runs/ (deterministic: fixed uids
// and times), in each log format nxlayout reads. Run after `npm run build`:
//   node scripts/make-examples.mjs
// then `npm run examples` writes their NeXus files to examples/output/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { composeRun } from '../dist/src/run/testing.js';

const out = new URL('../examples/runs/', import.meta.url);
mkdirSync(out, { recursive: true });

const jsonl = (docs) => docs.map((d) => JSON.stringify([d.name, d.doc])).join('\n') + '\n';

// 1. A step scan: a motor, two detectors, a baseline stream, as suitcase-jsonl.
{
  const run = composeRun({
    uid: '5c1a7e2d-3b8f-4e0a-9d61-2f4b8c7a1e01',
    scan_id: 1,
    plan_name: 'scan',
    title: 'sample height scan',
    beamline_id: 'demo',
    detectors: ['I0', 'diode'],
    motors: ['sample_z'],
    proposal_id: 'GUP-12345',
    sample: { name: 'silica 50nm' },
    hints: { dimensions: [[['sample_z'], 'primary']] },
  });
  const baseline = run.descriptor('baseline', {
    ring_current: { dtype: 'number', shape: [], source: 'PV:S:SRcurrentAI', units: 'mA' },
    mono_energy: { dtype: 'number', shape: [], source: 'PV:mono:energy', units: 'keV' },
  });
  baseline.event({ ring_current: 101.9, mono_energy: 10.0 });
  const primary = run.descriptor(
    'primary',
    {
      sample_z: { dtype: 'number', shape: [], source: 'PV:m1.RBV', units: 'mm', object_name: 'sample_z' },
      I0: { dtype: 'integer', shape: [], source: 'PV:scaler1.S2', units: 'counts', object_name: 'I0' },
      diode: { dtype: 'number', shape: [], source: 'PV:scaler1.S3', units: 'counts', object_name: 'diode' },
    },
    undefined,
    { hints: { I0: { fields: ['I0'] }, diode: { fields: ['diode'] } } },
  );
  for (let i = 0; i < 11; i++) {
    const z = -1 + 0.2 * i;
    primary.event({
      sample_z: Number(z.toFixed(3)),
      I0: 100000 + 10 * i,
      diode: Math.round(5000 * Math.exp(-z * z * 4)),
    });
  }
  baseline.event({ ring_current: 101.7, mono_energy: 10.0 });
  run.stop();
  writeFileSync(new URL('scan-00001.jsonl', out), jsonl(run.documents()));
}

// 2. A count with a 1-D spectrum, as event_page documents in a gzipped JSON array of {name, doc}.
{
  const run = composeRun({
    uid: '7d0e4b9a-61c2-4f3e-8a57-b3e9d2c4f602',
    scan_id: 2,
    plan_name: 'count',
    detectors: ['mca'],
    num_points: 5,
  });
  const primary = run.descriptor('primary', {
    mca_spectrum: { dtype: 'array', dtype_numpy: '<u4', shape: [16], source: 'PV:mca1.VAL', object_name: 'mca' },
    mca_real_time: { dtype: 'number', shape: [], source: 'PV:mca1.ERTM', units: 's', object_name: 'mca' },
  });
  const spectra = [];
  for (let k = 0; k < 5; k++) spectra.push(Array.from({ length: 16 }, (_, i) => (i * 7 + k * 3) % 50));
  primary.eventPage({ mca_spectrum: spectra, mca_real_time: [1.0, 1.0, 1.0, 1.0, 1.0] });
  run.stop();
  const docs = run.documents().map((d) => ({ name: d.name, doc: d.doc }));
  writeFileSync(new URL('count-00002.json.gz', out), gzipSync(JSON.stringify(docs, null, 1)));
}

// 3. A relative scan interrupted by the user, as suitcase-msgpack.
{
  const run = composeRun({
    uid: '9f3b2c1d-8e7a-4d6b-a5c4-e1f2a3b4c503',
    scan_id: 3,
    plan_name: 'rel_scan',
    detectors: ['det'],
    motors: ['theta'],
  });
  const primary = run.descriptor('primary', {
    theta: { dtype: 'number', shape: [], source: 'PV:theta.RBV', units: 'degree', object_name: 'theta' },
    det: { dtype: 'number', shape: [], source: 'SIM:det', object_name: 'det' },
  });
  for (let i = 0; i < 4; i++) primary.event({ theta: 10 + 0.5 * i, det: 1 + i * i });
  run.stop({ exit_status: 'abort', reason: 'interrupted by the user' });
  const bytes = Buffer.concat(run.documents().map((d) => Buffer.from(encode([d.name, d.doc]))));
  writeFileSync(new URL('rel-scan-00003.msgpack', out), bytes);
}
console.log('examples/runs/ written');
