/** The daemon lock's race, five rounds of two daemons started together (lock.test.ts runs one). */
import { after, test } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { tempDir } from './helpers.js';
import { lockRace } from './lock-race.js';

const base = tempDir('lock-slow');
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(base, { recursive: true, force: true });
});

test('two daemons started together on one output root: one runs, the other exits 2 naming its pid (5 rounds)', async () => {
  await lockRace(base, 5, children);
});
