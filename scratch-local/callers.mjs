import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync(process.argv[2]));
const name = process.argv[3];
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map(); p.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + (p.timeDeltas[i] ?? 0)));
const agg = new Map();
for (const n of p.nodes) if (n.callFrame.functionName === name) {
  let chain = []; let id = parent.get(n.id); for (let k = 0; k < 6 && id; k++) { const f = byId.get(id).callFrame; chain.push(`${f.functionName}@${f.url.split('/').slice(-2).join('/')}:${f.lineNumber}`); id = parent.get(id); }
  const key = chain.join(' < '); agg.set(key, (agg.get(key) ?? 0) + (self.get(n.id) ?? 0));
}
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log((v / 1000).toFixed(0), 'ms', k);
