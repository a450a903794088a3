/** Node's file system for the run model (see file-host.ts): imported for its effect. */
import * as fs from 'node:fs';
import { setFileHost } from './file-host.js';

setFileHost({
  exists: (path) => fs.existsSync(path),
  readText: (path) => {
    try {
      return fs.readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
});
