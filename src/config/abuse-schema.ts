import { Type } from '@sinclair/typebox';

/**
 * Fields of the `server` section that bound what a client can make the server spend before and
 * around authentication (issue 13): the body limit of routes that read their body before any
 * credential is checked, the JSON depth cap, the request bytes in flight, and the throttle on
 * failed authentication. Spread into `ServerConfigSchema`; `docs/configuration.md` lists them.
 */
export const ABUSE_FIELDS = {
  preAuthBodyLimitBytes: Type.Integer({
    minimum: 256,
    default: 16_384,
    description:
      'Largest body, bytes, of routes that read their body before a credential is checked (the ADVANCE.AI token route: a token request is a few hundred bytes). Larger bodies get 413 before they are read.',
  }),
  maxJsonDepth: Type.Integer({
    minimum: 2,
    default: 32,
    description: 'Deepest nesting of arrays and objects accepted in a JSON body; deeper bodies get REQUEST_MALFORMED before they are parsed.',
  }),
  inFlight: Type.Object(
    {
      maxBytes: Type.Integer({
        minimum: 0,
        default: 268_435_456,
        description:
          'Request body bytes held in flight at once, over all clients, bytes (256 MiB). A request reserves its Content-Length on arrival and gets SERVER_IN_FLIGHT_LIMITED (503) before its body is read when that would exceed it; a chunked one reserves its bytes as they arrive and gets the same error mid-body. This bounds memory: a body costs about 2-3 times its size while parsed (base64 JSON), so 256 MiB of bodies is roughly 0.75 GiB besides the workers (about 100 MiB each decoding a 48 MP photo); lower it on a small container. 0 = no cap.',
      }),
      maxBytesPerClient: Type.Integer({
        minimum: 0,
        default: 67_108_864,
        description:
          'The same per client address, bytes (64 MiB: one full-size 48 MiB body, or two 25 MB camera photos as base64 JSON at once; four addresses fill the global budget); beyond it CLIENT_IN_FLIGHT_LIMITED (429). 0 = no cap.',
      }),
    },
    { default: {} },
  ),
  authThrottle: Type.Object(
    {
      freeFailures: Type.Integer({
        minimum: 0,
        default: 10,
        description: 'Failed authentications a client address may make before it is throttled.',
      }),
      baseDelayMs: Type.Integer({
        minimum: 0,
        default: 1_000,
        description:
          'Lockout after the first failure beyond the free ones, ms; it doubles with every further failure. While locked out, every request of that address to an API gets AUTH_THROTTLED (429). 0 = no throttle.',
      }),
      maxDelayMs: Type.Integer({ minimum: 0, default: 300_000, description: 'Longest lockout, ms (5 min).' }),
      forgetAfterMs: Type.Integer({
        minimum: 1,
        default: 900_000,
        description: 'An address with no failed authentication for this long starts again from zero, ms (15 min).',
      }),
    },
    { default: {} },
  ),
};
