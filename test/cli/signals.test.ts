/** src/cli/signals.ts: SIGINT/SIGTERM → stop, for watch, serve and view. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { onStopSignals } from '../../src/cli/signals.js';

test('a signal before the service exists stops it as soon as it is handed over, with the first reason', async () => {
  const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
  const signals = onStopSignals();
  assert.deepEqual([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')], [before[0] + 1, before[1] + 1]);
  process.emit('SIGTERM', 'SIGTERM');
  assert.equal(await signals.received, 'SIGTERM received');
  const stops: string[] = [];
  signals.stopWith(async (reason) => {
    stops.push(reason);
  });
  assert.deepEqual(stops, ['SIGTERM received']);
  process.emit('SIGINT', 'SIGINT');
  assert.deepEqual(
    stops,
    ['SIGTERM received', 'SIGTERM received'],
    'a later signal stops again, with the first reason',
  );
  signals.dispose();
  assert.deepEqual([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')], before);
});

test('a signal after the hand-over calls stop; none before it', () => {
  const signals = onStopSignals();
  const stops: string[] = [];
  signals.stopWith(async (reason) => {
    stops.push(reason);
  });
  assert.deepEqual(stops, []);
  process.emit('SIGINT', 'SIGINT');
  assert.deepEqual(stops, ['SIGINT received']);
  signals.dispose();
  process.emit('SIGINT', 'SIGINT'); // process.emit only calls listeners: none of ours is left
  assert.deepEqual(stops, ['SIGINT received']);
});
