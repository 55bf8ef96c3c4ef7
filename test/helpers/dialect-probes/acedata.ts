/** Probe of the Ace Data Cloud dialect (`POST /face/detect-live`, Bearer token). */
import { jsonImageProbe } from '../dialect-probe.js';
import { ACEDATA_AUTH } from '../http-server.js';

export const probe = jsonImageProbe({
  raw: (body) => ({ method: 'POST', url: '/face/detect-live', headers: { ...ACEDATA_AUTH, 'content-type': body.contentType }, payload: body.payload }),
  fields: { base64: 'image_base64', url: 'image_url' },
  numberOf: (response) => response.json().score,
  errorOf: (status, body) => {
    const code = (body as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? `${status} ${code}` : undefined;
  },
  unknownRoute: { method: 'POST', url: '/face/no-such-api' },
});
