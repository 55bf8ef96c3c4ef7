/**
 * What a first run tells a person: `GET /` is a landing page (version, surfaces enabled or not
 * with the variables that enable them, links to /docs, /capture when on, the probes) while a
 * Tencent-claimed `GET /` still reaches Tencent; the start-up log names the enabled surfaces and
 * warns when none has a credential; `serve --help` lists every surface's credential variables;
 * URL_ADDRESS_REFUSED names the setting that allows an address.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIALECTS, ownedPaths } from '../../src/api/dialects.js';
import { surfacesHelp } from '../../src/api/surfaces.js';
import { FACELIVE_VERSION } from '../../src/server.js';
import { startServer } from '../../src/server-lifecycle.js';
import { NATIVE_AUTH, captureLogs, crashingPool, envWithout, httpConfig, tencentCall, testServer } from '../helpers/http-server.js';

describe('first run', () => {
  test("GET / is the landing page; GET / with X-TC-Action is still Tencent's", async () => {
    const config = httpConfig({ server: { capture: { enabled: true } } }, envWithout('acedata'));
    const { app } = await testServer(config, crashingPool());
    try {
      const page = await app.inject({ method: 'GET', url: '/' });
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, new RegExp(`<span id="version">${FACELIVE_VERSION.replace(/\./g, '\\.')}</span>`));
      for (const dialect of DIALECTS) assert.ok(page.body.includes(dialect.title), `${dialect.title} listed`);
      assert.match(page.body, /<tr class="on"><td>Tencent Cloud<\/td>/);
      assert.match(page.body, /<tr class="off"><td>Ace Data Cloud<\/td>.*FACELIVE_ACEDATA_TOKEN/);
      for (const link of ['/docs', '/capture', '/healthz', '/readyz']) assert.ok(page.body.includes(`href="${link}"`), link);
      assert.equal((await app.inject({ method: 'HEAD', url: '/' })).statusCode, 200);

      const signed = tencentCall({}, { host: 'localhost:80' });
      const tencent = await app.inject({ method: 'GET', url: '/', headers: { ...signed.headers, 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(tencent.headers['content-type'], 'application/json');
      assert.ok(tencent.json().Response.Error.Code.length > 0, tencent.body);
      // Any other method at `/` stays Tencent's (it answers an action-less call itself).
      assert.equal((await app.inject({ method: 'PUT', url: '/' })).json().Response.Error.Code, 'UnsupportedOperation.UnknowMethod');
    } finally {
      await app.close();
    }
    const withoutCapture = await testServer(httpConfig(), crashingPool());
    try {
      const page = await withoutCapture.app.inject({ method: 'GET', url: '/' });
      assert.ok(!page.body.includes('href="/capture"'), 'no capture link when the page is off');
    } finally {
      await withoutCapture.app.close();
    }
  });

  test('the start-up log names the enabled surfaces and warns when none has a credential', async () => {
    const none = httpConfig({ runtime: { workers: 1 }, server: { port: 0, host: '127.0.0.1' } }, {});
    const logs = captureLogs();
    const running = await startServer(none, { logger: logs.logger });
    try {
      const lines = logs.lines();
      const surfaces = lines.find((line) => String(line.msg).startsWith('surfaces:'));
      assert.deepEqual(surfaces?.enabled, []);
      assert.equal((surfaces?.disabled as string[] | undefined)?.length, DIALECTS.length);
      const warning = lines.find((line) => line.level === 40 && /AUTH_NOT_CONFIGURED/.test(String(line.msg)));
      assert.ok(warning, 'a warning names AUTH_NOT_CONFIGURED');
      for (const name of ['FACELIVE_API_KEY', 'FACELIVE_TENCENT_SECRET_ID', 'FACELIVE_ACEDATA_TOKEN']) assert.ok(String(warning.msg).includes(name), name);
      // And every call indeed answers so.
      const call = await fetch(`${running.url}/v1/models`, { headers: NATIVE_AUTH });
      assert.equal(((await call.json()) as { error: { code: string } }).error.code, 'AUTH_NOT_CONFIGURED');
    } finally {
      await running.shutdown('test end');
    }

    const some = httpConfig(
      { runtime: { workers: 1 }, server: { port: 0, host: '127.0.0.1' } },
      envWithout(...DIALECTS.map((dialect) => dialect.name).filter((name) => name !== 'native' && name !== 'tencent')),
    );
    const logs2 = captureLogs();
    const running2 = await startServer(some, { logger: logs2.logger });
    try {
      const surfaces = logs2.lines().find((line) => String(line.msg).startsWith('surfaces:'));
      assert.deepEqual(surfaces?.enabled, ['native', 'tencent']);
      assert.match(String(surfaces?.msg), /Tencent Cloud \(\/\)/);
      assert.ok(!logs2.lines().some((line) => line.level === 40 && /AUTH_NOT_CONFIGURED/.test(String(line.msg))), 'no warning when a surface has a credential');
    } finally {
      await running2.shutdown('test end');
    }
  });

  test('serve --help lists every surface, its paths and its credential variables', () => {
    const help = surfacesHelp();
    for (const dialect of DIALECTS) {
      const line = help.split('\n').find((candidate) => candidate.includes(`${dialect.title} (`));
      assert.ok(line, dialect.title);
      assert.ok(line.includes(ownedPaths(dialect).join(', ')));
      for (const name of Object.values(dialect.credentials.env)) assert.ok(line.includes(name), `${dialect.title}: ${name}`);
    }
  });

  test('URL_ADDRESS_REFUSED names the setting that allows an address', async () => {
    const { app } = await testServer(httpConfig(), crashingPool());
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/liveness',
        headers: { ...NATIVE_AUTH, 'content-type': 'application/json' },
        payload: JSON.stringify({ imageUrl: 'http://127.0.0.1:9/x.jpg' }),
      });
      assert.equal(response.json().error.code, 'URL_ADDRESS_REFUSED');
      assert.match(response.json().error.message, /server\.urlFetch\.allowCidrs/);
    } finally {
      await app.close();
    }
  });
});
