/** Probe of the native API (`POST /v1/liveness`, Bearer API key; JSON or multipart). */
import { jsonImageProbe } from '../dialect-probe.js';
import { NATIVE_AUTH } from '../http-server.js';

export const probe = jsonImageProbe({
  raw: (body) => ({ method: 'POST', url: '/v1/liveness', headers: { ...NATIVE_AUTH, 'content-type': body.contentType }, payload: body.payload }),
  fields: { base64: 'image', url: 'imageUrl' },
  fileField: 'image',
  numberOf: (response) => response.json().score,
  errorOf: (status, body) => {
    const code = (body as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? `${status} ${code}` : undefined;
  },
  unknownRoute: { method: 'GET', url: '/v1/no-such-route' },
});
