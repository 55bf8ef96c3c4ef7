/** Probe of the Tencent Cloud dialect (`POST /`, TC3-HMAC-SHA256 signed as the SDKs sign). */
import { jsonImageProbe } from '../dialect-probe.js';
import { tencentCall } from '../http-server.js';

export const probe = jsonImageProbe({
  raw: (body) => {
    const call = tencentCall(undefined, { rawBody: body.payload.toString('latin1') });
    return { method: 'POST', url: '/', headers: { ...call.headers, 'content-type': body.contentType }, payload: body.payload };
  },
  fields: { base64: 'Image', url: 'Url' },
  numberOf: (response) => {
    const { Response } = response.json();
    if (Response.Error) throw new Error(`an error, not a score: ${response.body}`);
    return Response.Score;
  },
  errorOf: (status, body) => {
    const code = (body as { Response?: { Error?: { Code?: unknown } } }).Response?.Error?.Code;
    return typeof code === 'string' ? `${status} ${code}` : undefined;
  },
  // GET / without a claim is the landing page; any other method at `/` is Tencent's.
  unknownRoute: { method: 'PUT', url: '/' },
});
