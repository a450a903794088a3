/** Event and event_page give identical runs at 100,000 events × 10 fields (10,000 in pages-equivalence.test.ts). */
import { test } from 'node:test';
import { manyEventsAgree } from './many-events.js';

test('100,000 events × 10 fields: pages, single events and unpacked pages agree', () => manyEventsAgree(100_000));
