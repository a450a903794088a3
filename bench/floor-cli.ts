/**
 * The floor as a whole process: `node dist/bench/floor-cli.js LOG...` reads
 * every log and JSON.parses each line (bench/floor.ts), prints the counts.
 * Measured beside `nxlayout write` of the same logs, start-up included in both.
 */
import { decodeAll } from './floor.js';

const counts = await decodeAll(process.argv.slice(2));
process.stdout.write(`${counts.documents} documents, ${counts.events} events\n`);
