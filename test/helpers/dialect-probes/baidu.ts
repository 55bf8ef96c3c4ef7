/**
 * Probe of the Baidu AI Cloud dialect: `POST /rest/2.0/face/v3/faceverify` with an access token
 * issued for the test credential (tokens are stateless, so the probe issues them as the server
 * would), and the URL exactly as the Node SDK builds it (the doubled `?aipSdk=node`).
 */
import type { LightMyRequestResponse } from 'fastify';
import { issueBaiduToken } from '../../../src/api/baidu/access-token.js';
import { baiduAssessment } from '../../../src/api/baidu/score.js';
import type { LivenessResult } from '../../../src/engine/types.js';
import { jsonBody, send, type DialectProbe, type ProbeInput, type RawBody } from '../dialect-probe.js';
import { BAIDU_API_KEY, BAIDU_SECRET_KEY } from '../http-server.js';

/** The faceverify URL with a fresh token, as the SDK sends it. */
export function baiduUrl(token = issueBaiduToken(BAIDU_API_KEY, BAIDU_SECRET_KEY, 2_592_000, Date.now()).accessToken): string {
  return `/rest/2.0/face/v3/faceverify?aipSdk=node&access_token=${token}?aipSdk=node`;
}

const raw = (body: RawBody) => ({
  method: 'POST' as const,
  url: baiduUrl(),
  headers: { host: 'aip.baidubce.com', 'content-type': body.contentType },
  payload: body.payload,
});

function images(input: ProbeInput): unknown {
  switch (input.kind) {
    case 'base64':
      return [{ image: input.value, image_type: 'BASE64' }];
    case 'url':
      return [{ image: input.url, image_type: 'URL' }];
    case 'none':
      return [{ image_type: 'BASE64' }];
    case 'wrongType':
      return [{ image: 12345, image_type: 'URL' }];
  }
}

export const probe: DialectProbe = {
  accepts: { json: true, multipart: false },
  raw,
  carries: () => true,
  // The SDK's content type: a JSON array sent as a form.
  analyse: (app, input): Promise<LightMyRequestResponse> =>
    send(app, raw({ payload: jsonBody(images(input)).payload, contentType: 'application/x-www-form-urlencoded' })),
  numberOf: (response) => {
    const body = response.json();
    if (body.error_code !== 0) throw new Error(`an error, not a score: ${response.body}`);
    assert(body.result.face_list[0].liveness.livemapscore === body.result.face_liveness, 'livemapscore is face_liveness for one image');
    return body.result.face_liveness;
  },
  expectedNumber: (result: LivenessResult) => baiduAssessment(result),
  errorOf: (status, body) => {
    const { error_code, log_id } = body as { error_code?: unknown; log_id?: unknown };
    return typeof error_code === 'number' && error_code !== 0 && typeof log_id === 'number' ? `${status} ${error_code}` : undefined;
  },
  unknownRoute: { method: 'POST', url: '/rest/2.0/face/v3/no-such-api' },
};

function assert(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}
