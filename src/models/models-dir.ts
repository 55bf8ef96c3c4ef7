import path from 'node:path';
import { FaceliveError } from '../errors/catalogue.js';

/** Where {@link resolveModelsDir} looks for the models directory. */
export interface ModelsDirOptions {
  /** Value of the `--models-dir` CLI flag, if given; wins over everything else. */
  readonly flag?: string;
  /** Environment to read `FACELIVE_MODELS_DIR` from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Directory relative paths are resolved against (default `process.cwd()`). */
  readonly cwd?: string;
}

/** Default models directory, relative to the working directory. */
export const DEFAULT_MODELS_DIR = 'models';

/**
 * The absolute models directory: the `--models-dir` flag, else `FACELIVE_MODELS_DIR`, else
 * `./models`, each resolved against `cwd`.
 *
 * An empty `FACELIVE_MODELS_DIR` counts as unset, because `FACELIVE_MODELS_DIR= facelive …` is
 * the usual shell idiom for clearing a variable; an empty flag is a typo and is refused rather
 * than silently meaning the working directory.
 *
 * @example
 * resolveModelsDir({ flag: undefined, env: { FACELIVE_MODELS_DIR: '/srv/models' } }); // '/srv/models'
 */
export function resolveModelsDir(options: ModelsDirOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  if (options.flag !== undefined && options.flag.trim() === '') {
    throw new FaceliveError('INVALID_ARGUMENT', {
      field: '--models-dir',
      expected: 'a directory path',
      received: 'an empty string',
    });
  }
  const fromEnv = env.FACELIVE_MODELS_DIR?.trim() ? env.FACELIVE_MODELS_DIR : undefined;
  return path.resolve(cwd, options.flag ?? fromEnv ?? DEFAULT_MODELS_DIR);
}
