import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mainStream } from '../../src/evaluate/context.js';
import { composeRun } from '../../src/run/testing.js';

describe('run.main_stream: the stream the default NXdata plots', () => {
  test('primary when the run has it', () => {
    const b = composeRun({});
    b.descriptor('baseline', { x: { dtype: 'number', shape: [], source: 'S' } }).event({ x: 1 });
    b.descriptor('primary', { y: { dtype: 'number', shape: [], source: 'S' } });
    assert.equal(mainStream(b.run()), 'primary');
  });

  test('else the first stream with events that is not the baseline', () => {
    const b = composeRun({});
    b.descriptor('baseline', { x: { dtype: 'number', shape: [], source: 'S' } }).event({ x: 1 });
    b.descriptor('empty', { z: { dtype: 'number', shape: [], source: 'S' } });
    b.descriptor('mca', { y: { dtype: 'number', shape: [], source: 'S' } }).event({ y: 2 });
    assert.equal(mainStream(b.run()), 'mca');
  });

  test('none when only the baseline has events', () => {
    const b = composeRun({});
    b.descriptor('baseline', { x: { dtype: 'number', shape: [], source: 'S' } }).event({ x: 1 });
    assert.equal(mainStream(b.run()), undefined);
  });
});
