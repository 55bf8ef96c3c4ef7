/**
 * Probe of the Alibaba Cloud dialect (`POST /`, form body). Images go V3-signed (the SDK's
 * default); raw requests carry the legacy RPC signature, whose `?Action=` in the request line lets
 * the server tell the dialect even for a request whose headers Node's parser refused.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { signAcs3, signRpc, type AcsSignInput } from '../../../src/api/alibaba/acs-signature.js';
import { alibabaVerdict } from '../../../src/api/alibaba/score.js';
import { send, type DialectProbe, type ProbeInput, type ProbeRequest, type RawBody } from '../dialect-probe.js';
import { ALIBABA_ACCESS_KEY_ID, ALIBABA_ACCESS_KEY_SECRET } from '../http-server.js';

/** `YYYY-MM-DDTHH:mm:ssZ` of `ms`. */
export function acsDate(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Everything a signer needs, with test defaults; override any part to produce the auth errors. */
export function signInput(body: string | Buffer, overrides: Partial<AcsSignInput> = {}): AcsSignInput {
  return {
    accessKeyId: ALIBABA_ACCESS_KEY_ID,
    accessKeySecret: ALIBABA_ACCESS_KEY_SECRET,
    host: 'localhost:80',
    body,
    action: 'DetectLivingFace',
    version: '2019-12-30',
    date: acsDate(),
    nonce: randomBytes(16).toString('hex'),
    ...overrides,
  };
}

/** A V3-signed DetectLivingFace call carrying `body` (a form). */
export function acs3Call(body: string, overrides: Partial<AcsSignInput> = {}): ProbeRequest {
  const input = signInput(body, overrides);
  return { method: 'POST', url: '/', headers: signAcs3(input), payload: body };
}

/** An RPC-signed DetectLivingFace call carrying `body` as is, with its content type. */
export function rpcCall(body: RawBody, overrides: Partial<AcsSignInput> = {}): ProbeRequest {
  const input = signInput(body.payload, { contentType: body.contentType, ...overrides });
  return {
    method: 'POST',
    url: `/?${signRpc(input)}`,
    headers: { host: input.host, 'content-type': body.contentType, 'x-acs-action': input.action, 'x-acs-version': input.version },
    payload: body.payload,
  };
}

/** The form of one task for a probe input. */
export function taskForm(input: ProbeInput): string {
  switch (input.kind) {
    case 'base64':
      return new URLSearchParams({ 'Tasks.1.ImageData': input.value }).toString();
    case 'url':
      return new URLSearchParams({ 'Tasks.1.ImageURL': input.url }).toString();
    case 'none':
      return '';
    case 'wrongType':
      // A form has no types; the nearest is a task given as a value instead of fields.
      return 'Tasks.1=12345';
  }
}

/** The first result of an answer, or an error naming the body. */
function firstResult(response: LightMyRequestResponse): { Label: string; Rate: number } {
  const body = response.json();
  const result = body.Data?.Elements?.[0]?.Results?.[0];
  if (response.statusCode !== 200 || !result || body.Data.Elements[0].FaceNumber === 0)
    throw new Error(`not a verdict: ${response.statusCode} ${response.body}`);
  return result;
}

export const probe: DialectProbe = {
  accepts: { json: false, multipart: false, form: true },
  raw: (body) => rpcCall(body),
  carries: () => true,
  analyse: (app, input) => send(app, acs3Call(taskForm(input))),
  // Rate is the confidence in Label; the sign keeps the label.
  numberOf: (response) => {
    const { Label, Rate } = firstResult(response);
    return Label === 'normal' ? Rate : -Rate;
  },
  expectedNumber: (result) => {
    const { Label, Rate } = alibabaVerdict(result);
    return Label === 'normal' ? Rate : -Rate;
  },
  errorOf: (status, body) => {
    const { Code, Data } = body as { Code?: unknown; Data?: { Elements?: { FaceNumber?: number; Results?: { Suggestion?: string }[] }[] } };
    if (typeof Code === 'string') return `${status} ${Code}`;
    const element = Data?.Elements?.[0];
    return element?.FaceNumber === 0 && element.Results?.[0]?.Suggestion === 'block' ? `${status} no face: block` : undefined;
  },
  unknownRoute: { method: 'GET', url: '/?Action=DetectLivingFace' },
};
