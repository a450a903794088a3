// nxlayout from code: check a template, register a calculation it names, write a log's runs
// to NeXus files, and read back what a written file records about its run.
//
//   node examples/api/convert.mjs [LOG] [OUT]     (defaults: examples/runs/scan-00001.jsonl, ./api-output)
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createDefaultRegistry, formatDiagnostic, parseLayout } from 'nxlayout';
import { convertLogs, readProvenance } from 'nxlayout/node';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const [log = here('../runs/scan-00001.jsonl'), outRoot = 'api-output'] = process.argv.slice(2);

// 1. A template, parsed and checked: every problem names its JSON pointer and the fix.
const template = {
  name: 'api-example',
  version: '1.0.0',
  file: '{{pad start.scan_id 5}}_api.nxs',
  tree: {
    'entry:NXentry': {
      title: '{{start.title}}',
      sample_label: { type: 'calculated', calculation: { callable: 'demo.label', args: ['$.start.sample.name', '$.start.scan_id'] } },
      'data:NXdata': {
        '@signal': 'diode',
        diode: { type: 'linked', location: 'event', stream: 'primary', field: 'diode' },
      },
    },
  },
};
const { layout, diagnostics } = parseLayout(JSON.stringify(template, null, 2), 'api-example.json');
if (layout === undefined) {
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  process.exit(2);
}

// 2. A calculation of our own: registered from code (a document can only name it).
const registry = createDefaultRegistry().register('demo.label', {
  minArgs: 2,
  maxArgs: 2,
  description: 'demo.label(name, scan_id) = "name #scan_id"',
  fn: ([name, scan]) => `${name} #${scan}`,
});

// 3. Write every run of the log under OUT (files appear complete or not at all).
await mkdir(outRoot, { recursive: true });
const { results } = await convertLogs([log], { outRoot, layouts: [layout], registry, overwrite: true });
for (const r of results) {
  console.log(`${r.status} ${r.file ?? '-'} (run ${r.uid.slice(0, 8)}, ${r.events} events)`);
  for (const d of r.diagnostics.filter((x) => x.severity === 'error')) console.error(formatDiagnostic(d));
}

// 4. What a written file says about its run.
for (const r of results.filter((x) => x.status === 'written' && x.file !== undefined)) {
  const provenance = await readProvenance(r.file);
  console.log(`${r.file}: run ${provenance?.uid}, scan ${provenance?.scanId}, template ${provenance?.template}, status ${provenance?.status}`);
}
process.exitCode = results.every((r) => r.status === 'written') ? 0 : 1;
