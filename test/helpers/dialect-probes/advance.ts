/**
 * Probe of the ADVANCE.AI dialect: an access token issued for the test credential (tokens are
 * stateless, so the probe issues them as the server would), `POST /openapi/liveness/v3/submit`
 * with JSON base64, then the detection result that carries the verdict.
 */
import type { LightMyRequestResponse } from 'fastify';
import { advanceAssessment } from '../../../src/api/advance/score.js';
import { AccessTokenIssuer } from '../../../src/api/advance/token-issuer.js';
import type { LivenessResult } from '../../../src/engine/types.js';
import { jsonBody, send, type DialectProbe, type ProbeInput, type RawBody } from '../dialect-probe.js';
import { ADVANCE_ACCESS_KEY, ADVANCE_SECRET_KEY } from '../http-server.js';

const issuer = new AccessTokenIssuer([{ accessKey: ADVANCE_ACCESS_KEY, secretKey: ADVANCE_SECRET_KEY }]);

const raw = (body: RawBody) => ({
  method: 'POST' as const,
  url: '/openapi/liveness/v3/submit',
  headers: { 'x-access-token': issuer.issue(ADVANCE_ACCESS_KEY).token, 'content-type': body.contentType },
  payload: body.payload,
});

function fields(input: ProbeInput): unknown {
  switch (input.kind) {
    case 'base64':
      return { image: input.value };
    case 'none':
      return {};
    case 'wrongType':
      return { image: 12345 };
    case 'url':
      return undefined;
  }
}

export const probe: DialectProbe = {
  accepts: { json: true, multipart: true },
  fileField: 'image',
  raw,
  carries: (input) => fields(input) !== undefined,
  analyse: async (app, input): Promise<LightMyRequestResponse> => {
    const body = fields(input);
    if (body === undefined) throw new Error(`ADVANCE.AI cannot carry a ${input.kind} image`);
    const submitted = await send(app, raw(jsonBody(body)));
    const { code, data } = submitted.json();
    if (code !== 'SUCCESS') return submitted;
    const token = issuer.issue(ADVANCE_ACCESS_KEY).token;
    return send(app, {
      method: 'POST',
      url: '/openapi/liveness/v3/detection-result',
      headers: { 'x-access-token': token, 'content-type': 'application/json' },
      payload: JSON.stringify({ livenessId: data.livenessId }),
    });
  },
  numberOf: (response) => {
    const { code, data } = response.json();
    if (code !== 'SUCCESS') throw new Error(`an error, not a score: ${response.body}`);
    return data.livenessScore;
  },
  expectedNumber: (result: LivenessResult) => advanceAssessment(result).livenessScore,
  errorOf: (status, body) => {
    const { code, transactionId } = body as { code?: unknown; transactionId?: unknown };
    return typeof code === 'string' && code !== 'SUCCESS' && typeof transactionId === 'string' ? `${status} ${code}` : undefined;
  },
  unknownRoute: { method: 'POST', url: '/openapi/liveness/v3/no-such-api' },
};
