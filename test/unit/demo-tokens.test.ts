/**
 * The demo page's switch and tokens: `server.demo` is off by default and turned on by the config
 * file or FACELIVE_DEMO; demo tokens are accepted while unexpired and unaltered, under the key
 * that issued them only, and say when an expired one expired.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createDemoTokens, DEMO_TOKEN_PREFIX } from '../../src/api/demo/demo-tokens.js';
import { loadConfig } from '../../src/config/load-config.js';
import { FaceliveError } from '../../src/errors/catalogue.js';

describe('server.demo', () => {
  test('off by default; on with FACELIVE_DEMO=true or the config file; a value other than true/false/1/0 is refused', () => {
    assert.equal(loadConfig({}, {}).server.demo.enabled, false);
    assert.equal(loadConfig({}, {}).server.demo.tokenPeriodSeconds, 600);
    assert.equal(loadConfig({}, { FACELIVE_DEMO: 'true' }).server.demo.enabled, true);
    assert.equal(loadConfig({}, { FACELIVE_DEMO: '1' }).server.demo.enabled, true);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-demo-config-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ server: { demo: { enabled: true, tokenPeriodSeconds: 120 } } }));
    const fromFile = loadConfig({ configFile: file }, {}).server.demo;
    assert.deepEqual([fromFile.enabled, fromFile.tokenPeriodSeconds], [true, 120]);
    assert.equal(loadConfig({ configFile: file }, { FACELIVE_DEMO: 'false' }).server.demo.enabled, false, 'the environment wins over the file');
    assert.throws(
      () => loadConfig({}, { FACELIVE_DEMO: 'yes' }),
      (error: unknown) => error instanceof FaceliveError && error.code === 'CONFIG_INVALID' && /FACELIVE_DEMO must be true or false/.test(error.message),
    );
    assert.throws(() => loadConfig({}, { FACELIVE_CONFIG: writeBad(dir) }), /tokenPeriodSeconds/, 'a token lifetime under 60 s is refused');
  });
});

function writeBad(dir: string): string {
  const file = path.join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ server: { demo: { tokenPeriodSeconds: 5 } } }));
  return file;
}

describe('demo tokens', () => {
  test('valid until expiry, then expired with the time; altered or foreign tokens are invalid', () => {
    let clock = 1_800_000_000_000;
    const tokens = createDemoTokens('', () => clock);
    const { token, expiresAt } = tokens.issue(600);
    assert.ok(token.startsWith(DEMO_TOKEN_PREFIX));
    assert.equal(expiresAt, clock + 600_000);
    assert.deepEqual(tokens.check(token), { valid: true, expiresAt });
    assert.notEqual(tokens.issue(600).token, token, 'every token is different');

    const [payload, mac] = token.slice(DEMO_TOKEN_PREFIX.length).split('.');
    const longer = Buffer.from(JSON.stringify({ e: expiresAt + 3_600_000, n: 'x' })).toString('base64url');
    assert.deepEqual(tokens.check(`${DEMO_TOKEN_PREFIX}${longer}.${mac}`), { valid: false }, 'a changed expiry breaks the MAC');
    assert.deepEqual(tokens.check(`${DEMO_TOKEN_PREFIX}${payload}.${mac.slice(0, -2)}AA`), { valid: false });
    assert.deepEqual(tokens.check(`${DEMO_TOKEN_PREFIX}${payload}`), { valid: false });
    assert.deepEqual(tokens.check(token.slice(DEMO_TOKEN_PREFIX.length)), { valid: false }, 'the prefix is part of the token');
    assert.deepEqual(createDemoTokens('', () => clock).check(token), { valid: false }, 'another process key');

    clock = expiresAt;
    assert.deepEqual(tokens.check(token), { valid: false, expiredAt: expiresAt });
  });

  test('a configured key makes tokens good on every instance that has it', () => {
    const now = () => 1_800_000_000_000;
    const { token } = createDemoTokens('shared-demo-key', now).issue(60);
    assert.equal(createDemoTokens('shared-demo-key', now).check(token).valid, true);
    assert.equal(createDemoTokens('other-demo-key', now).check(token).valid, false);
  });
});
