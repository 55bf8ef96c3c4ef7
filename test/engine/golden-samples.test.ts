/**
 * Golden test: the three pack samples must reproduce ../shared/models/samples/expected.json
 * (boxes, landmarks, crop rectangles, per-model and fused probabilities) within the tolerances
 * in test/golden/tolerances.json, with the test models directory and with the MiniFASNet pair
 * converted by facelive from the upstream .pth files.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cropRectFor } from '../../src/engine/crop/crop-rules.js';
import type { Engine } from '../../src/engine/pipeline.js';
import type { LivenessResult } from '../../src/engine/types.js';
import { findModel, type PadEntry } from '../../src/models/manifest.js';
import { buildConvertedPack } from '../helpers/converted-pack.js';
import { testEngine } from '../helpers/engine.js';
import { MODELS_DIR, REPO_ROOT, SAMPLES_DIR, requireDir } from '../helpers/paths.js';

const tolerances = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/golden/tolerances.json'), 'utf8'));
const expected = JSON.parse(readFileSync(path.join(requireDir(SAMPLES_DIR, 'pack samples'), 'expected.json'), 'utf8')).images;

const V2 = 'pad/minifasnet-v2-s2.7@1.0';
const V1SE = 'pad/minifasnet-v1se-s4.0@1.0';
const CELEBA = 'pad/celeba-minifasv2se-128@98.20';

function assertClose(actual: number, wanted: number, atol: number, what: string): void {
  assert.ok(Math.abs(actual - wanted) <= atol, `${what}: got ${actual}, expected ${wanted} ± ${atol}`);
}

function probabilityOf(result: LivenessResult, modelId: string): number {
  const opinion = result.models.find((m) => m.modelId === modelId);
  assert.ok(opinion, `no opinion from ${modelId}`);
  return opinion.liveProbability;
}

const PACKS = [
  { label: 'the test models directory', dir: () => MODELS_DIR },
  { label: 'the MiniFASNet pair converted by facelive', dir: () => buildConvertedPack().dir },
];

for (const pack of PACKS)
  describe(`pack samples reproduce expected.json with ${pack.label}`, () => {
    let engine: Engine;
    before(async () => {
      // Weights 0.5/0.5/1: the weighted mean is then mean(MiniFASNet pair, CelebA), the reference ensemble.
      engine = await testEngine({
        modelsDir: pack.dir(),
        models: {
          detector: 'detector/yunet-s@2023.1',
          pad: [
            { id: V2, weight: 0.5 },
            { id: V1SE, weight: 0.5 },
            { id: CELEBA, weight: 1 },
          ],
        },
      });
    });
    after(() => engine?.close());

    for (const [name, reference] of Object.entries<any>(expected)) {
      test(name, async () => {
        const bytes = readFileSync(path.join(SAMPLES_DIR, name));
        const result = await engine.analyse(bytes);
        assert.deepEqual([result.image.width, result.image.height], reference.size_wh);

        const wantFace = reference.yunet_s.faces[0];
        assert.equal(result.faces.length, reference.yunet_s.faces.length, 'face count');
        const face = result.faces[0];
        const box = [face.box.x, face.box.y, face.box.width, face.box.height];
        box.forEach((v, i) => assertClose(v, wantFace.box_xywh[i], tolerances.boxAtolPx, `box[${i}]`));
        assertClose(face.score, wantFace.score, tolerances.detectorScoreAtol, 'detector score');
        face.landmarks.forEach((point, n) =>
          point.forEach((v, k) => assertClose(v, wantFace.landmarks[n][k], tolerances.landmarkAtolPx, `landmark ${n}[${k}]`)),
        );

        const frame = { width: result.image.width, height: result.image.height, data: new Uint8Array(0) };
        const mapped = reference.minifasnet_with_yunet_mapped_box;
        for (const [id, key] of [
          [V2, 'v2_crop_ltrb_inclusive'],
          [V1SE, 'v1se_crop_ltrb_inclusive'],
        ] as const) {
          const rect = cropRectFor((findModel(id) as PadEntry).crop, face.box, frame);
          assert.deepEqual([rect.left, rect.top, rect.right, rect.bottom], mapped[key], `${id} crop`);
        }
        const square = cropRectFor((findModel(CELEBA) as PadEntry).crop, face.box, frame);
        const [wantX, wantY, wantSide] = reference.antispoof_minifasv2se_128.square_crop_xy_side;
        assertClose(square.left, wantX, tolerances.squareCropOriginAtolPx, 'square crop x');
        assertClose(square.top, wantY, tolerances.squareCropOriginAtolPx, 'square crop y');
        assertClose(square.right - square.left + 1, wantSide, tolerances.squareCropSideAtolPx, 'square crop side');

        const atol = tolerances.probabilityAtol.default;
        assertClose(probabilityOf(result, V2), mapped.v2_probs[1], atol, 'MiniFASNetV2 live');
        assertClose(probabilityOf(result, V1SE), mapped.v1se_probs[1], atol, 'MiniFASNetV1SE live');
        assertClose(probabilityOf(result, CELEBA), reference.antispoof_minifasv2se_128.live_prob, atol, 'CelebA live');
        const pair = (probabilityOf(result, V2) + probabilityOf(result, V1SE)) / 2;
        assertClose(pair, mapped.fused_live, tolerances.fusedAtol, 'MiniFASNet pair');
        assertClose(result.liveProbability, reference.ensemble_live_prob, tolerances.fusedAtol, 'ensemble');
      });
    }
  });
