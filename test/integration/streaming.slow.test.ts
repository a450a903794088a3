/** A run of 50,000 events streamed through convertLogs, and memory that does not grow with them (see streaming-suite.ts). */
import { streamingSuite } from './streaming-suite.js';

streamingSuite(50_000, true);
