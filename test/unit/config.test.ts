/** Configuration: precedence, validation messages, and that every key is documented. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { TSchema } from '@sinclair/typebox';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { FaceliveError } from '../../src/errors/catalogue.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** Dotted paths of every leaf of the schema (arrays and records count as leaves). */
function leafKeys(schema: TSchema, prefix = ''): string[] {
  if (schema.type !== 'object' || !schema.properties) return [prefix];
  return Object.entries(schema.properties as Record<string, TSchema>).flatMap(([key, child]) => leafKeys(child, prefix ? `${prefix}.${key}` : key));
}

describe('configuration', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'facelive.json');
  writeFileSync(file, JSON.stringify({ decision: { threshold: 60 }, modelsDir: 'from-file', quality: { minFaceSizePx: 80 } }));

  test('defaults', () => {
    const config = loadConfig({}, {}, dir);
    assert.equal(config.decision.threshold, ConfigSchema.properties.decision.properties.threshold.default);
    assert.equal(config.modelsDir, path.join(dir, 'models'));
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.quality), 'frozen');
    assert.equal(config.quality.minContextFraction, 0.25);
    assert.equal(config.decision.secondaryFaceVerdict, 'spoof');
    assert.deepEqual([config.limits.maxPixelsJpeg, config.limits.maxLongSideJpeg, config.limits.maxDecodedPixels], [8192 * 8192, 12_000, 4096 * 4096]);
  });

  test('file < environment < flags', () => {
    assert.equal(loadConfig({ configFile: file }, {}, dir).decision.threshold, 60);
    assert.equal(loadConfig({}, { FACELIVE_CONFIG: file }, dir).quality.minFaceSizePx, 80);
    const env = { FACELIVE_CONFIG: file, FACELIVE_THRESHOLD: '70', FACELIVE_MODELS_DIR: '/env/models' };
    assert.equal(loadConfig({}, env, dir).decision.threshold, 70);
    assert.equal(loadConfig({}, env, dir).modelsDir, '/env/models');
    assert.equal(loadConfig({ threshold: 80, modelsDir: 'flag' }, env, dir).decision.threshold, 80);
    assert.equal(loadConfig({ threshold: 80, modelsDir: 'flag' }, env, dir).modelsDir, path.join(dir, 'flag'));
  });

  test('invalid values name the field and what was received', () => {
    const invalid = (run: () => unknown, pattern: RegExp) =>
      assert.throws(run, (error: unknown) => error instanceof FaceliveError && error.code === 'CONFIG_INVALID' && pattern.test(error.message));
    invalid(() => loadConfig({ threshold: 101 }, {}, dir), /\/decision\/threshold.*received 101/);
    invalid(() => loadConfig({}, { FACELIVE_THRESHOLD: 'high' }, dir), /FACELIVE_THRESHOLD must be a number, got "high"/);
    writeFileSync(path.join(dir, 'typo.json'), JSON.stringify({ qualty: {} }));
    invalid(() => loadConfig({ configFile: path.join(dir, 'typo.json') }, {}, dir), /qualty/);
    writeFileSync(path.join(dir, 'broken.json'), '{ nope');
    invalid(() => loadConfig({ configFile: path.join(dir, 'broken.json') }, {}, dir), /not valid JSON/);
    invalid(() => loadConfig({ configFile: path.join(dir, 'absent.json') }, {}, dir), /cannot read config file/);
    writeFileSync(path.join(dir, 'verdict.json'), JSON.stringify({ decision: { secondaryFaceVerdict: 'live' } }));
    invalid(() => loadConfig({ configFile: path.join(dir, 'verdict.json') }, {}, dir), /\/decision\/secondaryFaceVerdict.*received "live"/);
    writeFileSync(path.join(dir, 'fraction.json'), JSON.stringify({ quality: { minContextFraction: 1.5 } }));
    invalid(() => loadConfig({ configFile: path.join(dir, 'fraction.json') }, {}, dir), /\/quality\/minContextFraction.*received 1.5/);
  });

  test('a renamed key is refused with its replacement, not silently ignored', () => {
    writeFileSync(path.join(dir, 'old.json'), JSON.stringify({ quality: { maxContextRatio: 0.8 } }));
    assert.throws(
      () => loadConfig({ configFile: path.join(dir, 'old.json') }, {}, dir),
      (error: unknown) =>
        error instanceof FaceliveError && error.code === 'CONFIG_INVALID' && /quality\.maxContextRatio .*quality\.minContextFraction/.test(error.message),
    );
    writeFileSync(path.join(dir, 'retry.json'), JSON.stringify({ decision: { secondaryFaceVerdict: 'retry' }, quality: { minContextFraction: 0.3 } }));
    const config = loadConfig({ configFile: path.join(dir, 'retry.json') }, {}, dir);
    assert.deepEqual([config.decision.secondaryFaceVerdict, config.quality.minContextFraction], ['retry', 0.3]);
  });

  test('every schema key is documented in docs/configuration.md', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
    const undocumented = leafKeys(ConfigSchema).filter((key) => !doc.includes(`\`${key}\``));
    assert.deepEqual(undocumented, []);
  });
});
