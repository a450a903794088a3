/**
 * Data-driven template mistakes (test/layout/cases/*.json, like ajv's spec/extras):
 * `{description, template, expected: [{code, pointer?, line, column?}]}`.
 * An object `template` is parsed as JSON.stringify(template, null, 2), so
 * `line` counts in that text; a string `template` is parsed as is (syntax cases).
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseLayout, splitPointer } from '../../src/layout/index.js';
import { casesDir } from './paths.js';

interface Expected {
  code: string;
  pointer?: string;
  line: number;
  column?: number;
}

interface Case {
  description: string;
  template: unknown;
  expected: Expected[];
}

const files = readdirSync(casesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('template mistakes (test/layout/cases)', () => {
  test('there is a case file per mistake', () => {
    assert.ok(files.length >= 70, `only ${files.length} cases`);
  });

  for (const file of files) {
    const c = JSON.parse(readFileSync(casesDir + file, 'utf8')) as Case;
    const text = typeof c.template === 'string' ? c.template : JSON.stringify(c.template, null, 2);
    test(`${file}: ${c.description}`, () => {
      const result = parseLayout(text, `cases/${file}`);
      assert.equal(result.layout, undefined, 'a template with an error yields no layout');
      const actual = result.diagnostics.map((d) => {
        const row: Expected = { code: d.code, line: d.location.line ?? -1 };
        if (d.location.pointer !== undefined) row.pointer = d.location.pointer;
        if (d.location.pointer === undefined) row.column = d.location.column ?? -1;
        return row;
      });
      assert.deepEqual(
        actual,
        c.expected.map((e) => ({ ...e })),
      );
      for (const d of result.diagnostics) {
        assert.equal(d.severity, 'error');
        assert.equal(d.location.file, `cases/${file}`);
        assert.ok(d.message.length > 0 && d.hint !== undefined, 'message and hint');
        // the reported line is the one holding the offending key (independent of the expected numbers above)
        const key = d.location.pointer === undefined ? undefined : splitPointer(d.location.pointer).at(-1);
        if (key !== undefined && !/^\d+$/.test(key)) {
          assert.ok(
            text.split('\n')[(d.location.line ?? 0) - 1].includes(JSON.stringify(key)),
            `line ${d.location.line} holds "${key}"`,
          );
        }
      }
    });
  }
});
