/**
 * Rate limits and call quotas shared through Redis by listening instances: 200 concurrent calls
 * split over two instances on an AccuAuth key with a quota of 50 (exactly 50 succeed, 150 get
 * OUT_OF_QUOTA), the counter surviving an instance restart; then a private redis-server SIGKILLed
 * under load (every answer in the dialect's envelope, none hangs), the rate limit failing open
 * and closed per `redis.rateLimitFailOpen`, and recovery once Redis is back. The shared Redis is
 * the machine's (keys under a prefix of this run, deleted after); the killed one is this test's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../src/config/schema.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { ACCUAUTH_HTTP_STATUS } from '../../src/api/accuauth/errors.js';
import { API_KEY, TEST_ENV, httpConfig, listeningServer, testImages, testPool, type TestImages } from '../helpers/http-server.js';
import { multipartBody } from '../helpers/dialect-probe.js';
import { parsePrometheusText } from '../helpers/prometheus-text.js';
import { TEST_REDIS_URL, deleteKeys, startPrivateRedis, uniqueKeyPrefix, type PrivateRedis } from '../helpers/redis.js';

const API_ID = 'quota-app';
const API_SECRET = 'quota-app-secret-0123456789abcdef';
const ACCUAUTH = '/face/liveness_anti_hack';

interface Answer {
  readonly status: number;
  readonly body: Record<string, any> | undefined;
  readonly ms: number;
}

/** POSTs an AccuAuth form; the body parsed when it is JSON (undefined otherwise: no envelope). */
async function postAccuAuth(base: string, image: Buffer, timeoutMs = 20_000): Promise<Answer> {
  const { payload, contentType } = multipartBody([{ name: 'liveness_data_file', file: image }]);
  const started = performance.now();
  const response = await fetch(`${base}${ACCUAUTH}`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-df-api-id': API_ID, 'x-df-api-secret': API_SECRET },
    body: payload,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let body: Record<string, any> | undefined;
  try {
    body = JSON.parse(text) as Record<string, any>;
  } catch {
    body = undefined;
  }
  return { status: response.status, body, ms: performance.now() - started };
}

/** The AccuAuth status of an answer, after checking it is in the dialect's envelope. */
function accuAuthStatus(answer: Answer): string {
  assert.ok(answer.body, `HTTP ${answer.status} without a JSON envelope`);
  assert.equal(typeof answer.body.request_id, 'string');
  const status = String(answer.body.status);
  assert.ok(status === 'OK' || status in ACCUAUTH_HTTP_STATUS, `unknown status ${status}`);
  if (status !== 'OK') assert.equal(answer.status, ACCUAUTH_HTTP_STATUS[status as keyof typeof ACCUAUTH_HTTP_STATUS]);
  return status;
}

function configWith(redisUrl: string, keyPrefix: string, callQuota: number, patch: Record<string, unknown> = {}): Config {
  return httpConfig(
    {
      redis: { url: redisUrl, keyPrefix, ...((patch.redis as object) ?? {}) },
      server: { ...((patch.server as object) ?? {}), maxQueue: 256, accuauth: { credentials: [{ apiId: API_ID, apiSecret: API_SECRET, callQuota }] } },
    },
    TEST_ENV,
  );
}

describe('limits shared through Redis by listening instances', { concurrency: false }, () => {
  let images: TestImages;
  let pools: EnginePool[];
  const prefix = uniqueKeyPrefix('quota');

  before(async () => {
    images = await testImages();
    pools = await Promise.all([testPool(httpConfig(), 256), testPool(httpConfig(), 256)]);
  });
  after(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  test('200 concurrent calls over two instances on a quota of 50: exactly 50 succeed, 150 get OUT_OF_QUOTA, and the count survives a restart', async () => {
    const config = configWith(TEST_REDIS_URL, prefix, 50);
    const servers = await Promise.all(pools.map((pool) => listeningServer(config, pool)));
    let restarted: { app: FastifyInstance; url: string } | undefined;
    try {
      const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => postAccuAuth(servers[i % 2].url, images.live)));
      const statuses = answers.map(accuAuthStatus);
      const count = (status: string) => statuses.filter((s) => s === status).length;
      assert.equal(count('OK'), 50, JSON.stringify(statuses));
      assert.equal(count('OUT_OF_QUOTA'), 150);
      for (const answer of answers.filter((a) => a.body?.status === 'OUT_OF_QUOTA'))
        assert.match(answer.body!.reason, /^CALL_QUOTA_EXCEEDED: .*quota of 50 calls/);
      // Both instances served successes (the quota is one, not one per instance).
      const okOn = new Set(answers.map((answer, i) => (answer.body?.status === 'OK' ? i % 2 : -1)).filter((side) => side >= 0));
      assert.equal(okOn.size, 2);

      const ready = (await (await fetch(`${servers[0].url}/readyz`)).json()) as { redis?: unknown };
      assert.deepEqual(ready.redis, { status: 'ready' });

      // A restarted instance reads the same counter.
      await servers[0].app.close();
      restarted = await listeningServer(config, pools[0]);
      const again = await postAccuAuth(restarted.url, images.live);
      assert.equal(accuAuthStatus(again), 'OUT_OF_QUOTA');
    } finally {
      await Promise.all([servers[1].app.close(), servers[0].app.close(), restarted?.app.close()]);
    }
  });

  describe('Redis killed mid-run (a private redis-server)', () => {
    let redis: PrivateRedis;
    const privatePrefix = uniqueKeyPrefix('outage');
    before(async () => {
      redis = await startPrivateRedis();
    });
    after(() => redis?.kill());

    test('every answer in the AccuAuth envelope, none hangs; quotas refuse while Redis is gone and count again once it is back', async () => {
      // A quota that never runs out: every refusal here is the outage's.
      const config = configWith(redis.url, privatePrefix, 100_000);
      const servers = await Promise.all(pools.map((pool) => listeningServer(config, pool)));
      try {
        const answers: Answer[] = [];
        let sent = 0;
        let killed = false;
        const worker = async (lane: number) => {
          while (sent < 60) {
            sent += 1;
            if (!killed && sent > 12) {
              killed = true;
              await redis.kill();
            }
            answers.push(await postAccuAuth(servers[lane % 2].url, images.live, 15_000));
          }
        };
        await Promise.all([0, 1, 2, 3].map(worker));
        assert.equal(answers.length, 60);
        const statuses = answers.map(accuAuthStatus);
        assert.ok(statuses.includes('OK'));
        const refused = answers.filter((answer) => answer.body?.status !== 'OK');
        assert.ok(refused.length > 0, 'some calls after the kill must be refused');
        for (const answer of refused) {
          assert.equal(answer.body!.status, 'INTERNAL_ERROR');
          assert.match(answer.body!.reason, /^LIMITS_STORE_UNAVAILABLE: /);
        }
        // No call waited on a dead Redis longer than a few command timeouts.
        const slowestRefusal = Math.max(...refused.map((answer) => answer.ms));
        assert.ok(slowestRefusal < 5_000, `a refusal took ${slowestRefusal} ms`);
        const ready = (await (await fetch(`${servers[0].url}/readyz`)).json()) as { redis?: unknown };
        assert.deepEqual(ready.redis, { status: 'unavailable' });
        const metrics = parsePrometheusText(await (await fetch(`${servers[0].url}/metrics`)).text());
        assert.ok(metrics.sum('facelive_redis_errors_total') > 0, 'the outage shows in facelive_redis_errors_total');

        await redis.restart();
        const deadline = Date.now() + 10_000;
        while (((await (await fetch(`${servers[1].url}/readyz`)).json()) as { redis: { status: string } }).redis.status !== 'ready') {
          assert.ok(Date.now() < deadline, 'the instance did not reconnect to Redis');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(accuAuthStatus(await postAccuAuth(servers[1].url, images.live)), 'OK');
      } finally {
        await Promise.all(servers.map((server) => server.app.close()));
      }
    });

    for (const failOpen of [true, false]) {
      test(`rate limit with Redis down, rateLimitFailOpen ${failOpen}: ${failOpen ? 'served under per-instance limits' : 'refused with the service-busy error'}`, async () => {
        await redis.kill();
        const config = configWith(redis.url, privatePrefix, 100_000, {
          redis: { rateLimitFailOpen: failOpen },
          server: { rateLimit: { ratePerSecond: 1, burst: 2 } },
        });
        const { app, url } = await listeningServer(config, pools[0]);
        try {
          const call = async () => {
            const response = await fetch(`${url}/v1/liveness`, {
              method: 'POST',
              headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
              body: JSON.stringify({ image: images.text.toString('base64') }),
              signal: AbortSignal.timeout(10_000),
            });
            return { status: response.status, body: (await response.json()) as { error: { code: string } } };
          };
          const answers = [await call(), await call(), await call()];
          if (failOpen) {
            // Past the limiter (the text is then refused as an image), and the memory bucket of 2 still limits.
            assert.deepEqual(
              answers.map((a) => a.body.error.code),
              ['IMAGE_FORMAT_UNSUPPORTED', 'IMAGE_FORMAT_UNSUPPORTED', 'RATE_LIMITED'],
            );
          } else {
            for (const answer of answers) {
              assert.equal(answer.status, 503);
              assert.equal(answer.body.error.code, 'LIMITS_STORE_UNAVAILABLE');
            }
          }
        } finally {
          await app.close();
        }
      });
    }
  });
});
