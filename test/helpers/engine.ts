import { loadConfig, type ConfigOverrides } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine/pipeline.js';
import { MODELS_DIR } from './paths.js';

/** All three PAD models of the pack's recommended pipeline, so tests see every model's output. */
export const ALL_PAD_MODELS = [
  { id: 'pad/minifasnet-v2-s2.7@1.0', weight: 1 },
  { id: 'pad/minifasnet-v1se-s4.0@1.0', weight: 1 },
  { id: 'pad/celeba-minifasv2se-128@98.20', weight: 1 },
];

/** Config for tests: the test model pack, optionally with a patch applied over the defaults. */
export function testConfig(patch: Record<string, unknown> = {}, overrides: ConfigOverrides = {}): Config {
  const base = loadConfig({ modelsDir: MODELS_DIR, ...overrides }, {});
  return { ...structuredClone(base), ...patch } as Config;
}

/** An engine over the test pack; the caller closes it. */
export function testEngine(patch: Record<string, unknown> = {}): Promise<Engine> {
  return createEngine(testConfig(patch));
}
