/** The `server.capture` config section: the capture page, an ADVANCE.AI client for local testing and demos. */
import { Type } from '@sinclair/typebox';

/** Schema of `server.capture`. */
export const CaptureConfig = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description:
        'Serve the capture page (GET /capture) and hand its visitors ADVANCE.AI access tokens (GET /capture/token): anyone who can reach /capture can submit with the key below. For local testing and demos.',
    }),
    accessKey: Type.String({
      default: '',
      description: 'ADVANCE.AI accessKey (one of server.advance.credentials) whose tokens the page gets; its rate limit applies. Empty = the first credential.',
    }),
    tokenPeriodSeconds: Type.Integer({ minimum: 60, maximum: 86_400, default: 600, description: 'Lifetime of a token handed to the page, seconds.' }),
  },
  { default: {}, additionalProperties: false },
);
