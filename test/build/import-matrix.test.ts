/**
 * scripts/import-matrix.mjs: the folders of src/ import only from earlier steps of the data flow
 * (DESIGN.md: documents ← run ← layout ← evaluate ← nexus ← the commands), checked on the working tree
 * at every `npm test`; and the check itself finds what it should, in files and at a git revision.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

interface SourceFile {
  path: string;
  text: string;
}
interface Edge {
  file: string;
  line: number;
  specifier: string;
  target: string;
  from: string;
  to: string;
}
interface Violation extends Edge {
  reason: string;
}
interface MatrixModule {
  STEPS: Record<string, number>;
  folderOf(file: string): string;
  folderImports(files: SourceFile[]): Edge[];
  layerViolations(edges: Edge[]): Violation[];
  matrixTable(edges: Edge[], folders: string[]): string;
  workingTreeFiles(root?: string): SourceFile[];
  revisionFiles(rev: string, root?: string): SourceFile[];
}

describe('import matrix', () => {
  let m: MatrixModule;
  before(async () => {
    m = (await import(pathToFileURL(path.join(REPO, 'scripts/import-matrix.mjs')).href)) as MatrixModule;
  });

  test('no module of src/ imports a later step of the data flow, and every folder has its step', () => {
    const files = m.workingTreeFiles(REPO);
    const edges = m.folderImports(files);
    const folders = new Set(files.map((f) => m.folderOf(f.path)));
    for (const folder of folders) assert.ok(folder in m.STEPS, `src/${folder}/ needs a step in STEPS`);
    assert.ok(edges.length > 300, `the scanner found ${edges.length} imports between folders`);
    const found = m.layerViolations(edges).map((v) => `${v.file}:${v.line} '${v.specifier}': ${v.reason}`);
    assert.deepEqual(found, []);
  });

  test('an import of a later or the same step is found with its file and the line of its path; static, type-only, dynamic, re-export', () => {
    const files: SourceFile[] = [
      {
        path: 'src/run/a.ts',
        text: "import { x } from '../documents/d.js';\n\nimport {\n  y,\n} from '../nexus/n.js';\n",
      },
      { path: 'src/convert/b.ts', text: "import type { R } from '../report/r.js';\nexport * from '../run/a.js';\n" },
      { path: 'src/layout/c.ts', text: "const lazy = () => import('../cli/main.js');\nimport 'ajv';\n" },
      { path: 'src/errors.ts', text: "import { e } from './index.js';\n" },
      { path: 'src/index.ts', text: "export * from './errors.js';\nexport * from './cli/main.js';\n" },
      { path: 'src/newstep/z.ts', text: "import { a } from '../run/a.js';\n" },
      { path: 'src/run/a.test-data.json', text: "import { no } from '../cli/x.js';\n" },
    ];
    const edges = m.folderImports(files);
    assert.deepEqual(
      edges.map((e) => `${e.file}:${e.line} ${e.from}→${e.to}`),
      [
        'src/run/a.ts:1 run→documents',
        'src/run/a.ts:5 run→nexus',
        'src/convert/b.ts:1 convert→report',
        'src/convert/b.ts:2 convert→run',
        'src/layout/c.ts:1 layout→cli',
        'src/errors.ts:1 (root)→(root)',
        'src/index.ts:1 (root)→(root)',
        'src/index.ts:2 (root)→cli',
        'src/newstep/z.ts:1 newstep→run',
      ],
    );
    const found = m.layerViolations(edges);
    assert.deepEqual(
      found.map((v) => `${v.file}:${v.line}`),
      ['src/run/a.ts:5', 'src/convert/b.ts:1', 'src/layout/c.ts:1', 'src/errors.ts:1', 'src/newstep/z.ts:1'],
    );
    assert.match(found[0]!.reason, /^run \(step 2\) imports nexus \(step 5\): not an earlier step$/);
    assert.match(found[1]!.reason, /^convert \(step 6\) imports report \(step 6\)/);
    assert.match(found[3]!.reason, /^\(root\) \(step 0\) imports \(api\) \(step 10\)/);
    assert.match(found[4]!.reason, /src\/newstep\/ has no step/);

    const table = m.matrixTable(edges, ['(root)', 'run', 'convert', 'documents']).split('\n');
    assert.equal(table[0], '| imports → | (root) | convert | documents | run |');
    assert.equal(table[2], '| **(root)** | · |  |  |  |', 'imports inside (root) are not counted');
    assert.equal(table[3], '| **convert** |  | · |  | 1 |');
    assert.equal(table[5], '| **run** |  |  | 1 | · |');
  });

  test('src/ at a git revision, not the working tree', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-matrix-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, encoding: 'utf8' });
      git('init', '-q');
      fs.mkdirSync(path.join(root, 'src/run'), { recursive: true });
      fs.writeFileSync(path.join(root, 'src/run/a.ts'), "import { n } from '../nexus/n.js';\n");
      git('add', '.');
      git('commit', '-q', '-m', 'upward');
      const rev = git('rev-parse', 'HEAD').trim();
      fs.writeFileSync(path.join(root, 'src/run/a.ts'), "import { d } from '../documents/d.js';\n");

      const then = m.layerViolations(m.folderImports(m.revisionFiles(rev, root)));
      assert.deepEqual(
        then.map((v) => `${v.file}:${v.line} ${v.to}`),
        ['src/run/a.ts:1 nexus'],
      );
      assert.deepEqual(m.layerViolations(m.folderImports(m.workingTreeFiles(root))), []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
