/**
 * Acceptance: on every pad-dev image, the engine's per-model live probabilities match the
 * reference pipeline's (reference-scores.json) within 0.02 for at least 98% of the images that
 * have a face there, and the face count agrees on at least 98% of all images. Prints the observed
 * agreement. The reference applied no input limits, so this runs with the face-size minimum off
 * and the image limits opened up: every reference face is scored.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isErrorCode } from '../../src/errors/catalogue.js';
import { ALL_PAD_MODELS, testConfig } from '../helpers/engine.js';
import { createEnginePool } from '../../src/engine/engine-pool.js';
import { PAD_DEV_DIR, requireDir } from '../helpers/paths.js';

const PROBABILITY_ATOL = 0.02;
const REQUIRED_AGREEMENT = 0.98;

interface ReferenceImage {
  file: string;
  faces: number;
  face: number[] | null;
  minifasnetPair: number | null;
  celebaSpoof: number | null;
}

test('pad-dev: per-model probabilities and face counts agree with reference-scores.json', async (t) => {
  const reference: ReferenceImage[] = JSON.parse(readFileSync(path.join(requireDir(PAD_DEV_DIR, 'pad-dev'), 'reference-scores.json'), 'utf8')).images;
  const base = testConfig();
  const config = testConfig({
    models: { detector: base.models.detector, pad: ALL_PAD_MODELS },
    quality: { ...base.quality, minFaceSizePx: 0 },
    limits: { maxEncodedBytes: 64 << 20, maxLongSideJpeg: 20_000, maxLongSideOther: 20_000, minShortSide: 1 },
  });
  const pool = await createEnginePool(config);
  let faceCountAgree = 0;
  let withFace = 0;
  let pairAgree = 0;
  let celebaAgree = 0;
  const misses: string[] = [];
  try {
    const outcomes = await Promise.all(
      reference.map(async (ref) => {
        const bytes = readFileSync(path.join(PAD_DEV_DIR, ref.file));
        try {
          return { ref, result: await pool.analyse(bytes) };
        } catch (error) {
          return { ref, errorCode: (error as { code?: string }).code };
        }
      }),
    );
    for (const { ref, result, errorCode } of outcomes) {
      if (errorCode !== undefined) assert.ok(isErrorCode(errorCode), `${ref.file}: unexpected failure ${errorCode}`);
      const faces = result ? result.faces.length : 0;
      if (faces === ref.faces) faceCountAgree++;
      else misses.push(`${ref.file}: faces ${faces} vs ${ref.faces}`);
      if (ref.face === null) continue;
      withFace++;
      const byId = new Map(result?.models.map((m) => [m.modelId, m.liveProbability]));
      const pair = result ? (byId.get(ALL_PAD_MODELS[0].id)! + byId.get(ALL_PAD_MODELS[1].id)!) / 2 : NaN;
      const celeba = result ? byId.get(ALL_PAD_MODELS[2].id)! : NaN;
      if (Math.abs(pair - ref.minifasnetPair!) <= PROBABILITY_ATOL) pairAgree++;
      else misses.push(`${ref.file}: pair ${pair.toFixed(4)} vs ${ref.minifasnetPair} (${errorCode ?? 'ok'})`);
      if (Math.abs(celeba - ref.celebaSpoof!) <= PROBABILITY_ATOL) celebaAgree++;
      else misses.push(`${ref.file}: celeba ${celeba.toFixed(4)} vs ${ref.celebaSpoof} (${errorCode ?? 'ok'})`);
    }
  } finally {
    await pool.close();
  }
  const pct = (n: number, d: number) => `${n}/${d} = ${((100 * n) / d).toFixed(2)}%`;
  t.diagnostic(`face count agreement ${pct(faceCountAgree, reference.length)}`);
  t.diagnostic(`MiniFASNet pair within ${PROBABILITY_ATOL}: ${pct(pairAgree, withFace)}`);
  t.diagnostic(`CelebA-Spoof within ${PROBABILITY_ATOL}: ${pct(celebaAgree, withFace)}`);
  for (const miss of misses) t.diagnostic(`disagreement: ${miss}`);
  assert.ok(faceCountAgree / reference.length >= REQUIRED_AGREEMENT, 'face count agreement below 98%');
  assert.ok(pairAgree / withFace >= REQUIRED_AGREEMENT, 'MiniFASNet pair agreement below 98%');
  assert.ok(celebaAgree / withFace >= REQUIRED_AGREEMENT, 'CelebA-Spoof agreement below 98%');
});
