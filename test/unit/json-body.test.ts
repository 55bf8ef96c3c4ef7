/** The JSON depth scan: brackets in strings, escapes, and depth counted exactly at the cap. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonNestsDeeperThan } from '../../src/api/json-body.js';

test('depth is counted over arrays and objects, exactly at the cap', () => {
  assert.equal(jsonNestsDeeperThan('{"a":[1,[2]]}', 3), false);
  assert.equal(jsonNestsDeeperThan('{"a":[1,[2]]}', 2), true);
  assert.equal(jsonNestsDeeperThan('[[],[],[]]', 2), false);
  assert.equal(jsonNestsDeeperThan('[[[]]]', 2), true);
  assert.equal(jsonNestsDeeperThan('"just a string"', 1), false);
});

test('brackets inside strings do not count, escaped quotes do not end a string', () => {
  assert.equal(jsonNestsDeeperThan('{"a":"[[[[{{{{"}', 1), false);
  assert.equal(jsonNestsDeeperThan('{"a":"\\"[[[["}', 1), false);
  assert.equal(jsonNestsDeeperThan('{"a":"\\\\","b":[[[]]]}', 2), true);
  assert.equal(jsonNestsDeeperThan('{"a\\\\":"x"}', 1), false);
});

test('a depth matching JSON.parse on generated documents', () => {
  const depthOf = (value: unknown): number => (value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0);
  const samples = [{ a: [1, { b: '[{' }] }, [[['"]"']]], { x: { y: { z: [[], {}] } } }, 'a"b', [{ '\\': ['\\"'] }]];
  for (const sample of samples) {
    const text = JSON.stringify(sample);
    const depth = depthOf(sample);
    assert.equal(jsonNestsDeeperThan(text, depth), false, text);
    if (depth > 0) assert.equal(jsonNestsDeeperThan(text, depth - 1), true, text);
  }
});

test('an unterminated string is left to the parser', () => {
  assert.equal(jsonNestsDeeperThan('["abc', 0), true);
  assert.equal(jsonNestsDeeperThan('"abc', 0), false);
});
