import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { DIALECTS } from '../api/dialects.js';
import { FaceliveError } from '../errors/catalogue.js';
import { ConfigSchema, type Config } from './schema.js';

/** Values given on the command line; they win over everything else. */
export interface ConfigOverrides {
  readonly configFile?: string;
  readonly modelsDir?: string;
  readonly threshold?: number;
  readonly workers?: number;
  /** `facelive serve --port`. */
  readonly port?: number;
  /** `facelive serve --host`. */
  readonly host?: string;
  /** `facelive serve --tls-cert`. */
  readonly tlsCert?: string;
  /** `facelive serve --tls-key`. */
  readonly tlsKey?: string;
  /** `facelive eval|calibrate --calibration`. */
  readonly calibrationFile?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: a config file is untyped until the schema has validated it
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

function booleanFromEnv(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new FaceliveError('CONFIG_INVALID', { reason: `${name} must be true or false, got "${raw}"` });
}

function setIfDefined(target: Mutable, keys: string[], value: unknown): void {
  if (value === undefined) return;
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]] = value;
}

/**
 * Credentials that one environment variable (or pair) adds to a dialect's list in the config,
 * from each dialect's descriptor. A pair must be complete: one half is an error.
 */
const ENV_CREDENTIALS: readonly { readonly list: string[]; readonly fields: Readonly<Record<string, string>> }[] = DIALECTS.map((dialect) => ({
  list: ['server', dialect.name, dialect.credentials.list],
  fields: dialect.credentials.env,
}));

/** Config paths ending in a credential's secret field: their values never reach an error message. */
const SECRET_PATH = new RegExp(`/(${[...new Set(DIALECTS.map((dialect) => dialect.credentials.secretField))].join('|')})$`);

function addEnvCredentials(target: Mutable, env: NodeJS.ProcessEnv): void {
  for (const { list, fields } of ENV_CREDENTIALS) {
    const entries = Object.entries(fields).map(([field, name]) => [field, name, env[name] || undefined] as const);
    const given = entries.filter(([, , value]) => value !== undefined);
    if (given.length === 0) continue;
    if (given.length < entries.length) {
      const missing = entries.filter(([, , value]) => value === undefined).map(([, name]) => name);
      throw new FaceliveError('CONFIG_INVALID', { reason: `${missing.join(', ')} must be set together with ${given.map(([, name]) => name).join(', ')}` });
    }
    let node = target;
    for (const key of list.slice(0, -1)) node = node[key] ??= {};
    const leaf = list[list.length - 1];
    if (node[leaf] !== undefined && !Array.isArray(node[leaf])) continue; // the schema check reports the file's mistake
    node[leaf] = [...(node[leaf] ?? []), { name: 'env', ...Object.fromEntries(entries.map(([field, , value]) => [field, value])) }];
  }
}

/**
 * Keys that were renamed, with what replaced them. Nested sections accept unknown keys, so an old
 * key would otherwise be ignored without a word while the setting it meant stays at its default.
 */
const REPLACED_KEYS: readonly { readonly path: readonly string[]; readonly replacement: string }[] = [
  {
    path: ['quality', 'maxContextRatio'],
    replacement: 'quality.minContextFraction (a fraction of the PAD context window inside the image, not face width / image width)',
  },
];

function refuseReplacedKeys(raw: Mutable): void {
  for (const { path: keys, replacement } of REPLACED_KEYS) {
    const parent = keys.slice(0, -1).reduce<Mutable | undefined>((node, key) => node?.[key], raw);
    if (parent && typeof parent === 'object' && keys[keys.length - 1] in parent) {
      throw new FaceliveError('CONFIG_INVALID', { reason: `${keys.join('.')} is no longer supported; use ${replacement}` });
    }
  }
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
  refuseReplacedKeys(raw);
  setIfDefined(raw, ['modelsDir'], env.FACELIVE_MODELS_DIR || undefined);
  setIfDefined(raw, ['decision', 'threshold'], numberFromEnv(env, 'FACELIVE_THRESHOLD'));
  setIfDefined(raw, ['runtime', 'workers'], numberFromEnv(env, 'FACELIVE_WORKERS'));
  setIfDefined(raw, ['server', 'port'], numberFromEnv(env, 'FACELIVE_PORT'));
  setIfDefined(raw, ['server', 'host'], env.FACELIVE_HOST || undefined);
  setIfDefined(raw, ['server', 'publicBaseUrl'], env.FACELIVE_PUBLIC_BASE_URL || undefined);
  setIfDefined(raw, ['server', 'logLevel'], env.FACELIVE_LOG_LEVEL || undefined);
  setIfDefined(raw, ['server', 'demo', 'enabled'], booleanFromEnv(env, 'FACELIVE_DEMO'));
  setIfDefined(raw, ['server', 'tls', 'certFile'], env.FACELIVE_TLS_CERT || undefined);
  setIfDefined(raw, ['server', 'tls', 'keyFile'], env.FACELIVE_TLS_KEY || undefined);
  addEnvCredentials(raw, env);
  setIfDefined(raw, ['calibration', 'file'], env.FACELIVE_CALIBRATION || undefined);
  setIfDefined(raw, ['store', 'dataDir'], env.FACELIVE_DATA_DIR || undefined);
  setIfDefined(raw, ['store', 'postgresUrl'], env.FACELIVE_STORE_POSTGRES_URL || undefined);
  setIfDefined(raw, ['server', 'metrics', 'bearerToken'], env.FACELIVE_METRICS_TOKEN || undefined);
  setIfDefined(raw, ['server', 'drainDelayMs'], numberFromEnv(env, 'FACELIVE_DRAIN_DELAY_MS'));
  setIfDefined(raw, ['redis', 'url'], env.FACELIVE_REDIS_URL || undefined);
  setIfDefined(raw, ['redis', 'keyPrefix'], env.FACELIVE_REDIS_KEY_PREFIX || undefined);
  setIfDefined(raw, ['batch', 'queuePrefix'], env.FACELIVE_BATCH_QUEUE_PREFIX || undefined);
  setIfDefined(raw, ['modelsDir'], overrides.modelsDir);
  setIfDefined(raw, ['decision', 'threshold'], overrides.threshold);
  setIfDefined(raw, ['runtime', 'workers'], overrides.workers);
  setIfDefined(raw, ['server', 'port'], overrides.port);
  setIfDefined(raw, ['server', 'host'], overrides.host);
  setIfDefined(raw, ['server', 'tls', 'certFile'], overrides.tlsCert);
  setIfDefined(raw, ['server', 'tls', 'keyFile'], overrides.tlsKey);
  setIfDefined(raw, ['calibration', 'file'], overrides.calibrationFile);

  const config = Value.Default(ConfigSchema, raw) as Mutable;
  const firstError = Value.Errors(ConfigSchema, config).First();
  if (firstError) {
    // Secrets never reach an error message (they are printed and logged).
    const secret = SECRET_PATH.test(firstError.path) && typeof firstError.value === 'string';
    const received = secret ? `a secret of ${String(firstError.value).length} characters` : JSON.stringify(firstError.value);
    throw new FaceliveError('CONFIG_INVALID', { reason: `${firstError.path || '/'}: ${firstError.message}, received ${received}` });
  }
  config.modelsDir = path.resolve(cwd, config.modelsDir);
  config.store.dataDir = path.resolve(cwd, config.store.dataDir);
  const { tls } = config.server;
  if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) {
    throw new FaceliveError('CONFIG_INVALID', { reason: 'server.tls.certFile and server.tls.keyFile (--tls-cert, --tls-key) must be given together' });
  }
  if (tls.certFile) tls.certFile = path.resolve(cwd, tls.certFile);
  if (tls.keyFile) tls.keyFile = path.resolve(cwd, tls.keyFile);
  // Empty keeps meaning "the shipped calibration" (resolved by the engine, not against cwd).
  if (config.calibration.file) config.calibration.file = path.resolve(cwd, config.calibration.file);
  return deepFreeze(config as Config);
}
