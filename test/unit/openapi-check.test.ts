/**
 * The test helper that checks answers against the server's OpenAPI document can fail: a body
 * that does not match the documented schema, an undocumented status, a wrong media type, and a
 * JSON answer on an undocumented path that is not the owning dialect's error envelope are all
 * refused. Model-free: the server is built around an engine that never loads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { buildServer } from '../../src/server.js';
import { captureLogs, envWithout, httpConfig } from '../helpers/http-server.js';
import { openApiChecker, type OpenApiChecker } from '../helpers/openapi-check.js';

describe('answers checked against the OpenAPI document', () => {
  let app: FastifyInstance;
  let checker: OpenApiChecker;
  const json = 'application/json; charset=utf-8';

  before(async () => {
    // No ADVANCE.AI credential: no result store is opened.
    app = await buildServer(httpConfig({}, envWithout('advance')), { logger: captureLogs().logger, engine: new Promise<EnginePool>(() => undefined) });
    checker = openApiChecker((await app.inject('/docs/json')).json());
  });
  after(() => app?.close());

  test('documented answers pass', () => {
    checker.check('GET', '/healthz', 200, json, '{"status":"ok"}');
    checker.check('POST', '/v1/liveness', 400, json, '{"error":{"code":"IMAGE_EMPTY","message":"x"},"requestId":"r"}');
    checker.check('GET', '/openapi/liveness/v3/image/abc', 200, 'image/png', 'PNG…');
    checker.check('GET', '/no/such/route', 404, json, '{"error":{"code":"ROUTE_NOT_FOUND","message":"x"},"requestId":"r"}');
    checker.check('GET', '/face/nope', 400, json, '{"success":false,"error":{"code":"api_not_implemented","message":"x"},"trace_id":"r"}');
  });

  test('a body off its schema, an undocumented status, a wrong media type or envelope fail', () => {
    assert.throws(() => checker.check('GET', '/healthz', 200, json, '{"status":"fine"}'), /does not match its schema/);
    assert.throws(() => checker.check('POST', '/v1/liveness', 200, json, '{"requestId":"r","score":"high"}'), /does not match its schema/);
    assert.throws(() => checker.check('GET', '/healthz', 404, json, '{}'), /status not documented/);
    assert.throws(() => checker.check('GET', '/openapi/liveness/v3/image/abc', 200, 'text/html', '<p>'), /documented as image/);
    assert.throws(
      () => checker.check('GET', '/face/nope', 404, json, '{"error":{"code":"ROUTE_NOT_FOUND","message":"x"},"requestId":"r"}'),
      /does not match its schema/,
    );
  });
});
