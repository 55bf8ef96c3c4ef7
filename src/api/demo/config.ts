/** The `server.demo` config section: the demo page, a native-API client that shows why a photo got its verdict. */
import { Type } from '@sinclair/typebox';

/** Schema of `server.demo`. */
export const DemoConfig = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description:
        'Serve the demo page (GET /demo), its settings (GET /demo/settings) and its tokens (GET /demo/token): anyone who can reach /demo can check photos on the native API. For local testing and evaluation. Env FACELIVE_DEMO=true.',
    }),
    tokenPeriodSeconds: Type.Integer({
      minimum: 60,
      maximum: 86_400,
      default: 600,
      description: 'Lifetime of a demo token, seconds; the token is accepted by POST /v1/liveness only.',
    }),
    tokenSecret: Type.String({
      default: '',
      description:
        "HMAC key of the demo tokens; give every instance behind one address the same value so they accept each other's tokens. Empty = a random key per process (tokens die with a restart).",
    }),
  },
  { default: {}, additionalProperties: false },
);
