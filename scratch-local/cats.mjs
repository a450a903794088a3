import fs from 'node:fs';
const tot = new Map(); let all = 0;
for (const f of process.argv.slice(2)) {
  const p = JSON.parse(fs.readFileSync(f));
  const byId = new Map(p.nodes.map(n => [n.id, n]));
  p.samples.forEach((s, i) => {
    const n = byId.get(s); const { functionName: fn, url } = n.callFrame; const d = p.timeDeltas[i] ?? 0;
    let c;
    if (fn === '(idle)' || fn === '(program)') c = 'idle/program';
    else if (fn === '(garbage collector)') c = 'GC';
    else if (url.includes('h5wasm/') || url.startsWith('wasm://') || fn === 'instantiate') c = 'h5wasm (glue, wasm, instantiate)';
    else if (/node:internal\/modules|compileSourceTextModule|wrapSafe|compileForInternalLoader|node:internal\/bootstrap/.test(url + ' ' + fn)) c = 'module loading (node)';
    else if (url.includes('node_modules/')) c = 'pkg ' + url.split('node_modules/')[1].split('/')[0];
    else if (url.includes('/dist/validators/')) c = 'precompiled validators';
    else if (url.includes('/dist/src/')) c = 'nxlayout ' + url.split('/dist/src/')[1].split('/')[0];
    else if (url.startsWith('node:')) c = 'node other (' + url.split('/').slice(-1)[0] + ')';
    else c = 'native: ' + fn;
    tot.set(c, (tot.get(c) ?? 0) + d); all += d;
  });
}
const rows = [...tot].sort((a, b) => b[1] - a[1]);
for (const [c, v] of rows.slice(0, 22)) console.log(`${(100 * v / all).toFixed(1).padStart(5)}%  ${c}`);
console.log('profiles', process.argv.length - 2, 'sampled total per profile ms', (all / 1000 / (process.argv.length - 2)).toFixed(0));
