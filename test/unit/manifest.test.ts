/**
 * The manifest's pinning is consistent (no model files needed): the default model set can be
 * fetched from upstream, a file used unchanged is pinned with the same digest upstream and in the
 * pack, every converter named exists, alternate builds differ from the installed one, and every
 * licence a model requires is listed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { CONVERTERS } from '../../src/models/convert/converters.js';
import { LICENCE_FILES, MODEL_MANIFEST } from '../../src/models/manifest.js';
import { licencesFor, listPackFiles } from '../../src/models/pack-files.js';

describe('manifest pinning', () => {
  test('every model of the default configuration is fetched from upstream, with its licences', () => {
    const { models } = loadConfig({}, {});
    for (const id of [models.detector, ...models.pad.map((p) => p.id)]) {
      const entry = MODEL_MANIFEST.find((m) => m.id === id);
      assert.ok(entry?.source.pinned, `${id} has a pinned upstream file`);
      for (const licence of licencesFor([entry])) assert.ok(licence.source, `${licence.file} comes from upstream`);
    }
  });

  test('unchanged files are pinned identically upstream and in the pack; converted ones name a known converter', () => {
    for (const entry of MODEL_MANIFEST.filter((m) => m.source.pinned)) {
      const { pinned, converter } = entry.source;
      if (converter) {
        assert.ok(converter in CONVERTERS, `${entry.id}: converter ${converter}`);
        assert.notEqual(pinned?.sha256, entry.sha256, `${entry.id}: a conversion differs from its input`);
      } else {
        assert.deepEqual(pinned, { sha256: entry.sha256, sizeBytes: entry.sizeBytes }, entry.id);
      }
    }
  });

  test('alternate builds are distinct and labelled; every accepted build is a sha256 and a size', () => {
    for (const file of listPackFiles()) {
      assert.equal(new Set(file.accepted.map((b) => b.sha256)).size, file.accepted.length, file.file);
      assert.equal(new Set(file.accepted.map((b) => b.label)).size, file.accepted.length, file.file);
      for (const build of file.accepted) {
        assert.match(build.sha256, /^[0-9a-f]{64}$/, file.file);
        assert.ok(Number.isSafeInteger(build.sizeBytes) && build.sizeBytes > 0, file.file);
      }
    }
  });

  test('every licence a model requires is listed once', () => {
    assert.equal(new Set(LICENCE_FILES.map((l) => l.file)).size, LICENCE_FILES.length);
    assert.doesNotThrow(() => licencesFor(MODEL_MANIFEST));
    assert.deepEqual(new Set(licencesFor(MODEL_MANIFEST)), new Set(LICENCE_FILES), 'no licence text is listed without a model');
  });
});
