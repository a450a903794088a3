import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { NxlError } from '../../src/errors.js';
import { parseXml } from '../../src/import/index.js';

function xmlError(text: string): NxlError {
  try {
    parseXml(text, 'bad.xml');
  } catch (e) {
    assert.ok(e instanceof NxlError);
    return e;
  }
  assert.fail('no error');
}

describe('parseXml', () => {
  test('elements, attributes, nesting, self-closing tags and positions', () => {
    const root = parseXml('<?xml version="1.0"?>\n<a x="1" y=\'two\'>\n  <b/>\n  <c z="3"></c>\n</a>\n');
    assert.equal(root.name, 'a');
    assert.deepEqual(root.attributes, { x: '1', y: 'two' });
    assert.deepEqual(
      root.children.map((c) => [c.name, c.line, c.column]),
      [
        ['b', 3, 3],
        ['c', 4, 3],
      ],
    );
    assert.deepEqual(root.children[1].attributes, { z: '3' });
  });

  test('positions of many elements, several on a line, after blank lines and CRLF: as counted from the text', () => {
    const parts: string[] = ['<root>'];
    for (let i = 0; i < 300; i++) {
      parts.push(i % 7 === 0 ? '\r\n\n' : i % 3 === 0 ? '\n' : ' '.repeat(i % 5), `<e${i} n="${i}">t</e${i}>`);
    }
    parts.push('\n</root>\n');
    const text = parts.join('');
    const root = parseXml(text);
    assert.equal(root.children.length, 300);
    for (const [i, child] of root.children.entries()) {
      const offset = text.indexOf(`<e${i} `);
      const before = text.slice(0, offset);
      const expected = [before.split('\n').length, offset - (before.lastIndexOf('\n') + 1) + 1];
      assert.deepEqual([child.line, child.column], expected, `<e${i}>`);
    }
  });

  test('comments, DOCTYPE and processing instructions are skipped; CDATA and entities are text', () => {
    const root = parseXml(
      '<!DOCTYPE a>\n<!-- <not> an element -->\n<a v="&lt;&amp;&quot;&apos;&gt;&#65;&#x42;"><!-- c --><![CDATA[<raw> & text]]> &amp; more</a><!-- trailing -->',
    );
    assert.equal(root.attributes.v, '<&"\'>AB');
    assert.equal(root.children.length, 0);
    assert.equal(root.text, '<raw> & text & more');
  });

  test('malformed XML is IMPORT_XML with line and column', () => {
    const unclosed = xmlError('<a>\n  <b>\n</a>');
    assert.equal(unclosed.code, 'IMPORT_XML');
    assert.match(unclosed.message, /<\/a> closes <b>/);
    assert.equal(unclosed.location.line, 3);
    const unquoted = xmlError('<a x=1/>');
    assert.match(unquoted.message, /must be quoted/);
    assert.deepEqual([unquoted.location.line, unquoted.location.column], [1, 6]);
    assert.match(xmlError('<a>&nbsp;</a>').message, /unknown entity &nbsp;/);
    assert.match(xmlError('<a/><b/>').message, /second root element/);
    assert.match(xmlError('<a x="1" x="2"/>').message, /appears twice/);
    assert.match(xmlError('<!-- open').message, /never closed/);
    assert.match(xmlError('').message, /empty/);
  });
});
