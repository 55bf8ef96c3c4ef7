/**
 * Dialects sharing `/` (vendor RPC APIs name the action in a header or the query, not the path):
 * the router hands each request at `/` to the root dialect that claims it, unclaimed POSTs to the
 * first root dialect, unclaimed GETs to the server's own route; errors and unknown routes go to
 * the owner's envelope. Two small dialects built here exercise the real registration path
 * (`registerDialect`, the constraint strategy, `answerAtRoot`) without models.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiContext } from '../../src/api/api-context.js';
import type { Dialect, DialectErrors } from '../../src/api/dialect.js';
import { answerAtRoot, registerDialect, ROOT_CONSTRAINT, rootDialectStrategy } from '../../src/api/dialect-scope.js';
import { claimantOfRoot, dialectOwning, documentedRootPath, ownedPaths, rootDialects } from '../../src/api/dialects.js';
import { registerOpenApi } from '../../src/api/openapi.js';
import { registerRequestLog } from '../../src/api/request-outcome.js';
import { FaceliveError } from '../../src/errors/catalogue.js';

function errorsNamed(name: string): DialectErrors {
  return {
    heading: name,
    mapping: {} as DialectErrors['mapping'],
    describe: (code) => code,
    render: (error, requestId) => ({ status: 400, headers: {}, body: { dialect: name, code: error.code, requestId } }),
    schema: Type.Object({}),
  };
}

/** A dialect answering `POST /` with its own name, claiming requests by `claims`. */
function rootDialect(name: string, claims: Dialect['claims'], failing = false): Dialect {
  return {
    name,
    title: name,
    prefix: '',
    claims,
    plugin: async () => async (app) => {
      app.post('/', async () => {
        if (failing) throw new FaceliveError('ARGUMENT_MISSING', { field: 'Action', expected: 'an action' });
        return { answeredBy: name };
      });
    },
    errors: errorsNamed(name),
    config: Type.Object({}),
    credentials: { list: 'credentials', secretField: 'secret', env: {} },
    openapi: { tag: name, securitySchemes: {} },
    redactPaths: [],
  };
}

/** A dialect whose routes live under two roots, registered at `''` with absolute paths. */
const twoRoots: Dialect = {
  ...rootDialect('tworoots', undefined),
  owns: ['/oauth/2.0', '/rest/2.0/face'],
  plugin: async () => async (app) => {
    app.post('/oauth/2.0/token', async () => ({ answeredBy: 'tworoots' }));
  },
};

const alpha = rootDialect('alpha', ({ headers }) => headers['x-alpha-action'] !== undefined, true);
const beta = rootDialect('beta', ({ headers, query }) => headers['x-beta-action'] !== undefined || query.get('Action') === 'BetaAction');
const DIALECTS_HERE = [alpha, beta, twoRoots];

async function appWith(dialects: readonly Dialect[]): Promise<FastifyInstance> {
  const app = Fastify({ routerOptions: { constraints: { [ROOT_CONSTRAINT]: rootDialectStrategy(dialects) } } });
  registerRequestLog(app);
  answerAtRoot(app, 1024, dialects);
  // The server's own page at GET /, which unclaimed GETs reach.
  app.get('/', async () => ({ answeredBy: 'server' }));
  const context = { config: { server: { bodyLimitBytes: 1024 } } } as unknown as ApiContext;
  for (const dialect of dialects) await registerDialect(app, dialect, context);
  await app.ready();
  return app;
}

describe('dialects sharing /', () => {
  test('the root dialects are those owning /, in list order; owned paths read as paths', () => {
    assert.deepEqual(
      rootDialects(DIALECTS_HERE).map((d) => d.name),
      ['alpha', 'beta'],
    );
    assert.deepEqual(ownedPaths(alpha), ['/']);
    assert.deepEqual(ownedPaths(twoRoots), ['/oauth/2.0', '/rest/2.0/face']);
  });

  test('a claim by header or query picks the dialect; an unclaimed POST goes to the first, an unclaimed GET to none', () => {
    const claimant = (method: string, url: string, headers: Record<string, string> = {}) => claimantOfRoot({ method, url, headers }, DIALECTS_HERE)?.name;
    assert.equal(claimant('POST', '/', { 'x-beta-action': 'X' }), 'beta');
    assert.equal(claimant('POST', '/?Action=BetaAction&Version=1'), 'beta');
    assert.equal(claimant('GET', '/?Action=BetaAction'), 'beta');
    assert.equal(claimant('POST', '/', { 'x-alpha-action': 'X' }), 'alpha');
    assert.equal(claimant('POST', '/'), 'alpha');
    assert.equal(claimant('GET', '/'), undefined);
  });

  test('ownership: the longest owned prefix wins, / by claim, unowned paths nobody', () => {
    assert.equal(dialectOwning({ url: '/rest/2.0/face/v3/nope?x=1' }, DIALECTS_HERE)?.name, 'tworoots');
    assert.equal(dialectOwning({ url: '/oauth/2.0' }, DIALECTS_HERE)?.name, 'tworoots');
    assert.equal(dialectOwning({ url: '/oauth/2.00' }, DIALECTS_HERE), undefined);
    assert.equal(dialectOwning({ url: '/', method: 'POST', headers: { 'x-beta-action': 'X' } }, DIALECTS_HERE)?.name, 'beta');
    // Without headers (a request Node's parser refused) `/` is the dialect its query claims it for, else the first root dialect's.
    assert.equal(dialectOwning({ url: '/' }, DIALECTS_HERE)?.name, 'alpha');
    assert.equal(dialectOwning({ url: '/?Action=BetaAction' }, DIALECTS_HERE)?.name, 'beta');
  });

  test('the router sends each request at / to its claimant', async () => {
    const app = await appWith(DIALECTS_HERE);
    try {
      const beta1 = await app.inject({ method: 'POST', url: '/', headers: { 'x-beta-action': 'X' }, payload: {} });
      assert.deepEqual(beta1.json(), { answeredBy: 'beta' });
      const beta2 = await app.inject({ method: 'POST', url: '/?Action=BetaAction', payload: {} });
      assert.deepEqual(beta2.json(), { answeredBy: 'beta' });
      const server = await app.inject({ method: 'GET', url: '/' });
      assert.deepEqual(server.json(), { answeredBy: 'server' });
      const twoRootsAnswer = await app.inject({ method: 'POST', url: '/oauth/2.0/token', payload: {} });
      assert.deepEqual(twoRootsAnswer.json(), { answeredBy: 'tworoots' });
    } finally {
      await app.close();
    }
  });

  test("errors and unknown routes are answered in the owner's envelope", async () => {
    const app = await appWith(DIALECTS_HERE);
    try {
      // alpha throws: its own envelope, also for an unclaimed POST (alpha is the first root dialect).
      for (const headers of [{ 'x-alpha-action': 'X' }, {}]) {
        const answer = await app.inject({ method: 'POST', url: '/', headers, payload: {} });
        assert.equal(answer.json().dialect, 'alpha');
        assert.equal(answer.json().code, 'ARGUMENT_MISSING');
      }
      // beta has no PUT /: unknown route in beta's envelope.
      const put = await app.inject({ method: 'PUT', url: '/', headers: { 'x-beta-action': 'X' }, payload: {} });
      assert.deepEqual([put.json().dialect, put.json().code], ['beta', 'ROUTE_NOT_FOUND']);
      const unknown = await app.inject({ method: 'GET', url: '/rest/2.0/face/v9/nope' });
      assert.deepEqual([unknown.json().dialect, unknown.json().code], ['tworoots', 'ROUTE_NOT_FOUND']);
    } finally {
      await app.close();
    }
  });

  test("OpenAPI documents each root dialect's `/` routes: the first at /, the others at /#<name>", async () => {
    assert.equal(documentedRootPath('alpha', DIALECTS_HERE), '/');
    assert.equal(documentedRootPath('beta', DIALECTS_HERE), '/#beta');
    const app = Fastify({ routerOptions: { constraints: { [ROOT_CONSTRAINT]: rootDialectStrategy(DIALECTS_HERE) } } });
    registerRequestLog(app);
    await registerOpenApi(app, '0.0.0', DIALECTS_HERE);
    const context = { config: { server: { bodyLimitBytes: 1024 } } } as unknown as ApiContext;
    for (const dialect of DIALECTS_HERE) await registerDialect(app, dialect, context);
    await app.ready();
    try {
      const paths = Object.keys((app.swagger() as { paths: Record<string, unknown> }).paths).sort();
      assert.deepEqual(paths, ['/', '/#beta', '/oauth/2.0/token']);
    } finally {
      await app.close();
    }
  });
});
