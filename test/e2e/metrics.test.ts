/**
 * `GET /metrics` on a listening server: the bearer protection, a scrape parsed as Prometheus
 * text, then known requests (live and spoof photos, non-images, an unknown route, a burst that
 * overflows a queue of 0), then a second scrape: every counter moved by exactly what was sent,
 * histograms counted every request and stage, and the gauges read the pool. Reports the scrape
 * cost in ms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { FACELIVE_VERSION } from '../../src/server.js';
import { API_KEY, httpConfig, listeningServer, testImages, testPool, type TestImages } from '../helpers/http-server.js';
import { parsePrometheusText, type Scrape } from '../helpers/prometheus-text.js';

const TOKEN = 'metrics-test-token-0123456789';

describe('GET /metrics', () => {
  let pool: EnginePool;
  let images: TestImages;
  let server: Awaited<ReturnType<typeof listeningServer>>;
  const config = httpConfig({ server: { metrics: { bearerToken: TOKEN }, admission: { maxWaiting: 0 } } });

  before(async () => {
    images = await testImages();
    // No queue: two analyses at once overflow, so overload refusals can be provoked and counted.
    pool = await testPool(config, 0);
    server = await listeningServer(config, pool);
  });
  after(async () => {
    await server?.app.close();
    await pool?.close();
  });

  async function scrape(): Promise<Scrape> {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  }

  async function liveness(image: Buffer): Promise<{ status: number; body: Record<string, any> }> {
    const response = await fetch(`${server.url}/v1/liveness`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ image: image.toString('base64') }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  test('a bearer token guards the metrics when configured (native envelope)', async () => {
    const missing = await fetch(`${server.url}/metrics`);
    assert.equal(missing.status, 401);
    assert.equal(((await missing.json()) as any).error.code, 'AUTH_CREDENTIAL_MISSING');
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer not-the-token' } });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as any).error.code, 'AUTH_CREDENTIAL_INVALID');
  });

  test('counters move by exactly the requests sent; histograms, gauges, build and process metrics', async (t) => {
    const before = await scrape();
    assert.equal(before.types.get('facelive_http_requests_total'), 'counter');
    assert.equal(before.types.get('facelive_http_request_duration_seconds'), 'histogram');
    assert.equal(before.sum('facelive_build_info', { version: FACELIVE_VERSION, detector: config.models.detector }), 1);
    assert.ok(before.samples.find((s) => s.name === 'facelive_build_info')!.labels.pad_models.includes(config.models.pad[0].id));
    assert.ok(before.sum('process_cpu_user_seconds_total') > 0);
    assert.ok(before.sum('nodejs_heap_size_used_bytes') > 0);
    assert.equal(before.sum('facelive_engine_workers'), 1);
    // The ADVANCE.AI dialect has a credential: its store opened and purged once at start.
    assert.ok(before.sum('facelive_store_operations_total', { operation: 'purge', outcome: 'ok' }) >= 1);

    const answers = [];
    for (const image of [images.live, images.spoof, images.live]) answers.push(await liveness(image));
    for (const image of [images.text, images.noFace]) answers.push(await liveness(image));
    const unknown = await fetch(`${server.url}/v1/nothing-here`, { headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(unknown.status, 404);
    await unknown.text();
    // A burst on a queue of 0: the ones beyond the single worker are refused at once.
    const burst = await Promise.all(Array.from({ length: 4 }, () => liveness(images.live)));
    const overloaded = burst.filter((answer) => answer.body.error?.code === 'SERVER_OVERLOADED').length;
    assert.ok(overloaded >= 1, 'the burst should overflow a queue of 0');
    answers.push(...burst);

    const after = await scrape();
    const moved = (name: string, match?: Record<string, string>) => after.sum(name, match) - before.sum(name, match);
    const route = { dialect: 'native', route: '/v1/liveness', method: 'POST' };
    const judged = answers.filter((answer) => answer.status === 200);
    assert.equal(moved('facelive_http_requests_total', { ...route, code: 'OK' }), judged.length);
    assert.equal(moved('facelive_http_requests_total', { ...route, code: 'IMAGE_FORMAT_UNSUPPORTED' }), 1);
    assert.equal(moved('facelive_http_requests_total', { ...route, code: 'FACE_NOT_FOUND' }), 1);
    assert.equal(moved('facelive_http_requests_total', { ...route, code: 'SERVER_OVERLOADED' }), overloaded);
    assert.equal(moved('facelive_http_requests_total', { dialect: 'native', route: 'unmatched', code: 'ROUTE_NOT_FOUND' }), 1);
    // Nothing else was counted: the scrapes themselves are not.
    assert.equal(moved('facelive_http_requests_total'), answers.length + 1);
    assert.equal(moved('facelive_rejected_overload_total'), overloaded);
    assert.equal(moved('facelive_http_request_duration_seconds_count', { dialect: 'native', route: '/v1/liveness' }), answers.length);

    for (const decision of ['live', 'spoof', 'retry']) {
      assert.equal(moved('facelive_decisions_total', { decision }), judged.filter((answer) => answer.body.decision === decision).length, decision);
    }
    assert.equal(moved('facelive_score_count'), judged.length);
    const scoreSum = judged.reduce((total, answer) => total + (answer.body.score as number), 0);
    assert.ok(Math.abs(moved('facelive_score_sum') - scoreSum) < 1e-6, `${moved('facelive_score_sum')} vs ${scoreSum}`);
    for (const stage of ['engine', 'decode', 'detect', 'classify']) {
      assert.equal(moved('facelive_stage_duration_seconds_count', { stage }), judged.length, stage);
    }
    // Every request admitted decoded its base64; the overloaded ones were refused on arrival,
    // before their body was read (admission, issue 13).
    assert.equal(moved('facelive_stage_duration_seconds_count', { stage: 'input' }), answers.length - overloaded);
    assert.equal(after.sum('facelive_http_in_flight_requests'), 0);
    assert.equal(after.sum('facelive_engine_in_flight'), 0);
    const utilization = after.sum('facelive_engine_utilization_ratio');
    assert.ok(utilization > 0 && utilization <= 1, String(utilization));

    // Scrape cost, as a monitoring system sees it (HTTP round trip included).
    const times: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      await scrape();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    t.diagnostic(`scrape cost: median ${times[10].toFixed(1)} ms, max ${times[19].toFixed(1)} ms (20 scrapes, loopback, loaded machine)`);
  });
});
