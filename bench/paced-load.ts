/**
 * An open-loop load at a fixed rate: one request every `1000 / rate` ms, whatever the server's
 * answers do, each on a free keep-alive connection (a new one when all are busy). autocannon's
 * `overallRate` is not that: each of its connections sends back to back until its quota for the
 * second is used, then waits for the next second, so "60 req/s" arrives as a burst at the start of
 * every second and the latencies measure the burst's queue. Latency here runs from the moment a
 * request was due, so a generator that falls behind counts against the server, not in its favour
 * (no coordinated omission).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.js';

/** One request of the rotation. */
export interface PacedRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a paced run measured. */
export interface PacedResult {
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Most connections open at once (how far the server fell behind the pace). */
  readonly peakConnections: number;
}

const round = (ms: number) => Number(ms.toFixed(1));

function send(agent: http.Agent, origin: URL, request: PacedRequest, isOk: (status: number, body: string) => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ agent, host: origin.hostname, port: origin.port, path: request.path, method: 'POST', headers: request.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(isOk(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      response.on('error', () => resolve(false));
    });
    req.on('error', () => resolve(false));
    req.end(request.body);
  });
}

/**
 * Sends `requests` in rotation at `rate` per second for `seconds`, and waits for every answer.
 *
 * @example
 * const result = await pacedLoad('http://127.0.0.1:8080', requests, 60, 10, (status) => status === 200);
 */
export async function pacedLoad(
  url: string,
  requests: readonly PacedRequest[],
  rate: number,
  seconds: number,
  isOk: (status: number, body: string) => boolean,
): Promise<PacedResult> {
  const origin = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let ok = 0;
  let inFlight = 0;
  let peakConnections = 0;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight++;
    peakConnections = Math.max(peakConnections, inFlight);
    pending.push(
      send(agent, origin, requests[i % requests.length], isOk).then((answered) => {
        inFlight--;
        latencies.push(performance.now() - due);
        if (answered) ok++;
      }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    sent: total,
    ok,
    failed: total - ok,
    requestsPerSecond: round(ok / elapsed),
    p50Ms: round(percentile(sorted, 0.5)),
    p90Ms: round(percentile(sorted, 0.9)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted.at(-1) ?? 0),
    peakConnections,
  };
}
