import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { FaceliveError } from '../errors/catalogue.js';
import { ConfigSchema, type Config } from './schema.js';

/** Values given on the command line; they win over everything else. */
export interface ConfigOverrides {
  readonly configFile?: string;
  readonly modelsDir?: string;
  readonly threshold?: number;
  readonly workers?: number;
}

type Mutable = Record<string, any>;

function readConfigFile(file: string): Mutable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FaceliveError('CONFIG_INVALID', { reason: `cannot read config file ${file}` }, { cause: error });
  }
  try {
    return JSON.parse(text) as Mutable;
  } catch (error) {
    throw new FaceliveError('CONFIG_INVALID', { reason: `config file ${file} is not valid JSON: ${(error as Error).message}` }, { cause: error });
  }
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new FaceliveError('CONFIG_INVALID', { reason: `${name} must be a number, got "${raw}"` });
  return value;
}

function setIfDefined(target: Mutable, keys: string[], value: unknown): void {
  if (value === undefined) return;
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]] = value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Builds the configuration once at start-up: schema defaults, then the JSON file
 * (`--config` or `FACELIVE_CONFIG`), then `FACELIVE_*` variables, then CLI flags. Invalid values
 * are a CONFIG_INVALID error naming the field. The result is frozen and passed explicitly.
 *
 * @example
 * const config = loadConfig({ modelsDir: '../shared/models' }, process.env);
 */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const file = overrides.configFile ?? env.FACELIVE_CONFIG;
  const raw: Mutable = file ? readConfigFile(path.resolve(cwd, file)) : {};
  setIfDefined(raw, ['modelsDir'], env.FACELIVE_MODELS_DIR || undefined);
  setIfDefined(raw, ['decision', 'threshold'], numberFromEnv(env, 'FACELIVE_THRESHOLD'));
  setIfDefined(raw, ['runtime', 'workers'], numberFromEnv(env, 'FACELIVE_WORKERS'));
  setIfDefined(raw, ['modelsDir'], overrides.modelsDir);
  setIfDefined(raw, ['decision', 'threshold'], overrides.threshold);
  setIfDefined(raw, ['runtime', 'workers'], overrides.workers);

  const config = Value.Default(ConfigSchema, raw) as Mutable;
  const firstError = Value.Errors(ConfigSchema, config).First();
  if (firstError) {
    const received = JSON.stringify(firstError.value);
    throw new FaceliveError('CONFIG_INVALID', { reason: `${firstError.path || '/'}: ${firstError.message}, received ${received}` });
  }
  config.modelsDir = path.resolve(cwd, config.modelsDir);
  return deepFreeze(config as Config);
}
