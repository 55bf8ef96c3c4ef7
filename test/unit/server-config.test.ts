/** The `server` config section: defaults, FACELIVE_* variables, flags, credentials, secrets kept out of errors. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIALECTS } from '../../src/api/dialects.js';
import { loadConfig } from '../../src/config/load-config.js';
import { FaceliveError } from '../../src/errors/catalogue.js';
import { maxQueueOf } from '../../src/server-lifecycle.js';

const KEY = 'a-native-key-0123456789';

function configError(run: () => unknown): FaceliveError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof FaceliveError && error.code === 'CONFIG_INVALID', String(error));
    return error;
  }
  assert.fail('expected CONFIG_INVALID');
}

describe('server configuration', () => {
  test('defaults', () => {
    const { server } = loadConfig({}, {});
    assert.equal(server.port, 8080);
    assert.equal(server.host, '127.0.0.1');
    assert.equal(server.maxQueue, 'auto');
    // A 32 MiB camera JPEG (limits.maxEncodedBytes) fits as base64 inside JSON: 44.7 MB + envelope.
    assert.equal(server.bodyLimitBytes, 50_331_648);
    assert.ok(server.bodyLimitBytes > Math.ceil(loadConfig({}, {}).limits.maxEncodedBytes / 3) * 4 + 1024);
    assert.equal(server.urlFetch.maxBytes, 33_554_432);
    assert.deepEqual(server.inFlight, { maxBytes: 268_435_456, maxBytesPerClient: 67_108_864 });
    assert.equal(server.native.auth.enabled, true);
    assert.deepEqual(server.native.apiKeys, []);
    assert.deepEqual(server.urlFetch.allowCidrs, []);
    assert.equal(server.urlFetch.maxRedirects, 3);
    assert.equal(server.tencent.maxClockSkewSeconds, 300);
    assert.equal(server.rateLimit.ratePerSecond, 0);
  });

  test('FACELIVE_PORT, FACELIVE_HOST, FACELIVE_LOG_LEVEL; flags win', () => {
    const env = { FACELIVE_PORT: '9000', FACELIVE_HOST: '0.0.0.0', FACELIVE_LOG_LEVEL: 'debug' };
    const fromEnv = loadConfig({}, env).server;
    assert.deepEqual([fromEnv.port, fromEnv.host, fromEnv.logLevel], [9000, '0.0.0.0', 'debug']);
    const fromFlags = loadConfig({ port: 9100, host: '::' }, env).server;
    assert.deepEqual([fromFlags.port, fromFlags.host], [9100, '::']);
    assert.match(configError(() => loadConfig({}, { FACELIVE_PORT: '70000' })).message, /server\/port/);
    assert.match(configError(() => loadConfig({}, { FACELIVE_PORT: 'http' })).message, /FACELIVE_PORT must be a number/);
  });

  test('credentials from the environment join those of the file', () => {
    const config = loadConfig(
      {},
      {
        FACELIVE_API_KEY: KEY,
        FACELIVE_TENCENT_SECRET_ID: 'AKIDexample',
        FACELIVE_TENCENT_SECRET_KEY: 'tencent-secret-0123456789',
        FACELIVE_ACEDATA_TOKEN: 'ace-token-0123456789abc',
      },
    );
    assert.deepEqual(config.server.native.apiKeys, [{ name: 'env', key: KEY }]);
    assert.deepEqual(config.server.tencent.credentials, [{ name: 'env', secretId: 'AKIDexample', secretKey: 'tencent-secret-0123456789' }]);
    assert.deepEqual(config.server.acedata.tokens, [{ name: 'env', token: 'ace-token-0123456789abc' }]);
  });

  for (const dialect of DIALECTS) {
    test(`${dialect.name}: its environment variables add one credential to server.${dialect.name}.${dialect.credentials.list}; half of them is refused; the secret stays out of errors`, () => {
      const { env: variables, list, secretField } = dialect.credentials;
      const values = Object.fromEntries(Object.keys(variables).map((field) => [field, `${dialect.name}-${field}-0123456789abcdef`]));
      const env = Object.fromEntries(Object.entries(variables).map(([field, name]) => [name, values[field]]));
      const section = (loadConfig({}, env).server as unknown as Record<string, Record<string, unknown>>)[dialect.name];
      assert.deepEqual(section[list], [{ name: 'env', ...values }]);
      const names = Object.values(variables);
      if (names.length > 1) {
        const [first, ...rest] = names;
        const error = configError(() => loadConfig({}, { [first]: 'value-0123456789abcdef' }));
        for (const missing of rest) assert.match(error.message, new RegExp(missing));
      }
      const shortSecret = configError(() => loadConfig({}, { ...env, [variables[secretField]]: 'short-one' }));
      assert.match(shortSecret.message, new RegExp(`${list}/0/${secretField}`));
      assert.doesNotMatch(shortSecret.message, /short-one/);
    });
  }

  test('half a Tencent pair is refused, naming the missing variable', () => {
    assert.match(configError(() => loadConfig({}, { FACELIVE_TENCENT_SECRET_ID: 'AKIDexample' })).message, /FACELIVE_TENCENT_SECRET_KEY/);
  });

  test('an invalid secret is reported without its value', () => {
    const error = configError(() => loadConfig({}, { FACELIVE_API_KEY: 'short-secret' }));
    assert.match(error.message, /apiKeys\/0\/key/);
    assert.doesNotMatch(error.message, /short-secret/);
  });

  test('maxQueue: auto is 4 per worker; a number is taken as is', () => {
    assert.equal(maxQueueOf(loadConfig({}, {}), 2), 8);
    const config = loadConfig({}, {});
    assert.equal(maxQueueOf({ ...config, server: { ...config.server, maxQueue: 0 } }, 2), 0);
  });
});
