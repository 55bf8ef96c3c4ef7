/**
 * `npm test` runs this before the suites: when the shared material or a model the suites load is
 * missing or wrong, it stops the run at once with one message saying what and how to fix it,
 * instead of every suite failing on its own. Exit code 1 then; 0 when all is in place.
 */
import { existsSync } from 'node:fs';
import { selectModels } from '../../src/models/pack-files.js';
import { verifyPack } from '../../src/models/verify-pack.js';
import { ALL_PAD_MODELS } from './engine.js';
import { MODELS_DIR, PAD_DEV_DIR, SAMPLES_DIR, SHARED_DIR } from './paths.js';

/** Models some suite loads: the default detector, every PAD model of the fusion tests, and HyperFAS (the evaluation loads every PAD model present). */
export const TEST_MODEL_IDS = ['detector/yunet-s@2023.1', ...ALL_PAD_MODELS.map((m) => m.id), 'pad/hyperfas-mbv050-224@1.0'];

const problems: string[] = [];
for (const [dir, what] of [
  [SAMPLES_DIR, 'the pack samples'],
  [PAD_DEV_DIR, 'the pad-dev set'],
] as const) {
  if (!existsSync(dir)) problems.push(`${what} not found at ${dir}`);
}
const report = await verifyPack(MODELS_DIR, { required: selectModels(TEST_MODEL_IDS), optional: [] });
for (const file of report.files.filter((f) => f.status !== 'ok')) problems.push(`${file.file}: ${file.status}`);

if (problems.length > 0) {
  process.stderr.write(
    [
      `npm test: the model pack or shared test material is missing or wrong (models directory ${MODELS_DIR}):`,
      ...problems.map((p) => `  ${p}`),
      `The tests read ../shared beside the checkout (or FACELIVE_SHARED_DIR; now ${SHARED_DIR}) and the models in`,
      'FACELIVE_MODELS_DIR, else ../shared/models. Point FACELIVE_MODELS_DIR at a complete pack, or build one as .ci/run does.',
      '',
    ].join('\n'),
  );
  process.exitCode = 1;
}
