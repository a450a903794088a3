/**
 * A one-line progress display on the console's stderr (Io.errRaw), only when it is a terminal:
 * redrawn at most every 100 ms, erased when done.
 */
import type { Io } from './io.js';

export interface Progress {
  update(done: number, total: number | undefined, label: string): void;
  done(): void;
}

const silent: Progress = { update() {}, done() {} };

export function createProgress(io: Io): Progress {
  const write = io.errRaw;
  if (!io.interactive || write === undefined) return silent;
  let last = 0;
  let shown = false;
  return {
    update(done, total, label) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const width = 30;
      let bar = '';
      if (total !== undefined && total > 0) {
        const frac = Math.min(1, done / total);
        const filled = Math.round(frac * width);
        bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% `;
      }
      write.call(io, `\r\x1b[2K${bar}${label}`);
      shown = true;
    },
    done() {
      if (shown) write.call(io, '\r\x1b[2K');
      shown = false;
    },
  };
}
