/** Probe of the AccuAuth dialect (`POST /face/liveness_anti_hack`, multipart, API ID and secret headers). */
import { accuauthAssessment } from '../../../src/api/accuauth/score.js';
import type { LivenessResult } from '../../../src/engine/types.js';
import { multipartBody, send, type DialectProbe, type ProbeInput, type RawBody } from '../dialect-probe.js';
import { ACCUAUTH_AUTH } from '../http-server.js';

const raw = (body: RawBody) => ({
  method: 'POST' as const,
  url: '/face/liveness_anti_hack',
  headers: { ...ACCUAUTH_AUTH, 'content-type': body.contentType },
  payload: body.payload,
});

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The form for `input`: the image as a file part (decoded from the case's base64), or the URL field. */
function form(input: ProbeInput): RawBody | undefined {
  switch (input.kind) {
    case 'base64':
      // The form carries bytes: only base64 that decodes to exactly those bytes can be sent.
      return BASE64.test(input.value) ? multipartBody([{ name: 'liveness_data_file', file: Buffer.from(input.value, 'base64') }]) : undefined;
    case 'url':
      return multipartBody([{ name: 'liveness_data_url', value: input.url }]);
    case 'none':
      return multipartBody([]);
    case 'wrongType':
      return undefined;
  }
}

export const probe: DialectProbe = {
  accepts: { json: false, multipart: true },
  fileField: 'liveness_data_file',
  raw,
  carries: (input) => form(input) !== undefined,
  analyse: (app, input) => {
    const body = form(input);
    if (!body) throw new Error(`AccuAuth cannot carry a ${input.kind} image`);
    return send(app, raw(body));
  },
  numberOf: (response) => response.json().score,
  expectedNumber: (result: LivenessResult) => accuauthAssessment(result).hackScore,
  errorOf: (status, body) => {
    const { status: vendor, reason } = body as { status?: unknown; reason?: unknown };
    return typeof vendor === 'string' && typeof reason === 'string' ? `${status} ${vendor}` : undefined;
  },
  unknownRoute: { method: 'GET', url: '/face/liveness_anti_hack' },
};
