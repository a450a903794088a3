import fs from 'node:fs';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t = await import('/work/wt-start/dist/src/cli/templates.js');
if (process.argv[2] === 'make') { const c = await t.chooseTemplates({}); fs.writeFileSync('/tmp/ws/tcache.json', JSON.stringify(c)); console.log(fs.statSync('/tmp/ws/tcache.json').size); process.exit(0); }
const c0 = cpu(); const w0 = performance.now();
let c;
if (process.argv[2] === 'cache') { c = JSON.parse(fs.readFileSync('/tmp/ws/tcache.json', 'utf8')); }
else c = await t.chooseTemplates({});
console.log(process.argv[2], 'cpu', (cpu() - c0).toFixed(0), 'wall', (performance.now() - w0).toFixed(0));
