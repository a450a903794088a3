/** `nxlayout write` of all of ../shared/realdata with the default template is quiet (quiet.test.ts runs a sample). */
import { after, test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REALDATA, tempDir } from './helpers.js';
import { quietRealdata } from './quiet-realdata.js';

const dir = tempDir('quiet-slow');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('../shared/realdata with the default template: one line per run on stdout, no warning for units or optional metadata, a summary line', async () => {
  await quietRealdata(REALDATA, path.join(REALDATA, 'apstools'), dir);
});
