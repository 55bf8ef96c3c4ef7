/**
 * `npm run bench:score-snapshot -- <out.json>`: every pad-dev image through the engine, written
 * at full precision (score, live probability, decision, each model's probability, every face's
 * box and landmarks, quality, retry reasons; the error code where there is no score). Run it
 * before and after a change that must not move a score (a faster preprocessing, other session
 * options) and compare the two files byte for byte: `cmp before.json after.json`. Not a test; the
 * golden and reference-agreement tests check the reference within tolerances, this checks
 * identity.
 *
 * Options (env): FACELIVE_MODELS_DIR (default ./models), FACELIVE_PAD_DEV_DIR (default
 * ../shared/datasets/pad-dev).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config/load-config.js';
import { createEngine } from '../src/engine/pipeline.js';
import { REPO_ROOT } from './environment.js';

const out = process.argv[2];
if (!out) throw new Error('usage: npm run bench:score-snapshot -- <out.json>');
const padDev = path.resolve(process.env.FACELIVE_PAD_DEV_DIR ?? path.join(REPO_ROOT, '../shared/datasets/pad-dev'));
const files = readFileSync(path.join(padDev, 'labels.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',')[0]);

const engine = await createEngine(loadConfig({}));
const snapshot: Record<string, unknown> = {};
try {
  for (const file of files) {
    try {
      const r = await engine.analyse(readFileSync(path.join(padDev, file)));
      snapshot[file] = {
        score: r.score,
        p: r.liveProbability,
        decision: r.decision,
        models: r.models,
        faces: r.faces,
        quality: r.quality,
        retry: r.retryReasons,
      };
    } catch (error) {
      snapshot[file] = { error: (error as { code?: string }).code ?? String(error) };
    }
  }
} finally {
  await engine.close();
}
writeFileSync(out, `${JSON.stringify(snapshot)}\n`);
console.log(`${files.length} images written to ${out}`);
