import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the folder holding package.json). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `../shared` beside the checkout, or FACELIVE_SHARED_DIR. */
export const SHARED_DIR = path.resolve(process.env.FACELIVE_SHARED_DIR ?? path.join(REPO_ROOT, '../shared'));

/**
 * The model pack the tests run: FACELIVE_MODELS_DIR (.ci/run points it at a directory it builds
 * from the upstream mirror, so the whole suite runs on facelive's conversions), else the shared
 * pack ../shared/models, which the tests need beside the checkout anyway. A missing or wrong pack
 * makes the model tests fail, never skip (`npm test` checks it first: require-model-pack.ts).
 */
export const MODELS_DIR = path.resolve(process.env.FACELIVE_MODELS_DIR || path.join(SHARED_DIR, 'models'));

/** Sample images with reference outputs (MODELS.md), read from the shared pack. */
export const SAMPLES_DIR = path.join(SHARED_DIR, 'models', 'samples');

/** The labelled development set. */
export const PAD_DEV_DIR = path.resolve(process.env.FACELIVE_PAD_DEV_DIR ?? path.join(SHARED_DIR, 'datasets', 'pad-dev'));

/** Throws a readable error when shared material the tests need is absent. */
export function requireDir(dir: string, what: string): string {
  if (!existsSync(dir)) throw new Error(`${what} not found at ${dir}; put ../shared beside the checkout or set the env variable`);
  return dir;
}

/** Official vendor SDKs that are not on npm (../shared/clients/README.md), run unchanged. */
export const CLIENTS_DIR = path.join(SHARED_DIR, 'clients');
