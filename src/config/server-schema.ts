import { Type, type Static } from '@sinclair/typebox';

/**
 * The `server` section of the configuration: listening, limits, admission (queue, rate limits),
 * fetching images by URL, and the credentials of each HTTP dialect. Read by `facelive serve`;
 * the CLI's `check` ignores it. `docs/http-api.md` is the reader's copy.
 */

/** Optional per-credential override of the default rate limit. */
const CredentialLimitFields = {
  ratePerSecond: Type.Optional(Type.Number({ minimum: 0, description: 'This credential\'s sustained requests per second; 0 = no limit. Default: server.rateLimit.ratePerSecond.' })),
  burst: Type.Optional(Type.Integer({ minimum: 1, description: 'This credential\'s bucket size. Default: server.rateLimit.burst.' })),
};

const NameField = Type.Optional(
  Type.String({ minLength: 1, description: 'Label used in logs instead of the secret. Default: a short fingerprint of the secret.' }),
);

/** Schema of the `server` section; every field with its default and unit. */
export const ServerConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'TCP port; 0 = any free port. Env FACELIVE_PORT, flag --port.' }),
    host: Type.String({
      default: '127.0.0.1',
      description: 'Address to listen on; 0.0.0.0 (or ::) for every interface, e.g. in a container. Env FACELIVE_HOST, flag --host.',
    }),
    logLevel: Type.Union(
      [
        Type.Literal('fatal'),
        Type.Literal('error'),
        Type.Literal('warn'),
        Type.Literal('info'),
        Type.Literal('debug'),
        Type.Literal('trace'),
        Type.Literal('silent'),
      ],
      { default: 'info', description: 'pino log level; info writes one line per request. Env FACELIVE_LOG_LEVEL.' },
    ),
    bodyLimitBytes: Type.Integer({
      minimum: 1024,
      default: 6_291_456,
      description: 'Largest request body, bytes (6 MiB: a 5 MiB base64 image plus JSON). Larger bodies get 413 in the dialect\'s envelope.',
    }),
    requestTimeoutMs: Type.Integer({ minimum: 0, default: 30_000, description: 'Time a client has to send a whole request, ms; 0 = none.' }),
    shutdownTimeoutMs: Type.Integer({
      minimum: 0,
      default: 10_000,
      description: 'On SIGTERM/SIGINT, how long in-flight requests may take before the process exits anyway, ms.',
    }),
    maxQueue: Type.Union([Type.Integer({ minimum: 0 }), Type.Literal('auto')], {
      default: 'auto',
      description: 'Requests that may wait for a busy inference worker; beyond that the overload error is answered at once. auto = 4 per worker.',
    }),
    rateLimit: Type.Object(
      {
        ratePerSecond: Type.Number({ minimum: 0, default: 0, description: 'Sustained requests per second per credential (token bucket); 0 = no limit.' }),
        burst: Type.Integer({ minimum: 1, default: 20, description: 'Bucket size: requests a credential may send at once.' }),
      },
      { default: {} },
    ),
    urlFetch: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'Whether image URLs (imageUrl, Url, image_url) are accepted at all.' }),
        allowCidrs: Type.Array(Type.String(), {
          default: [],
          description: 'CIDRs fetched from even though they are loopback/private/link-local/… (e.g. "10.1.2.0/24" for an internal image store).',
        }),
        connectTimeoutMs: Type.Integer({ minimum: 1, default: 3_000, description: 'Time to establish a connection (TCP and TLS), ms.' }),
        totalTimeoutMs: Type.Integer({ minimum: 1, default: 10_000, description: 'Time for the whole fetch, redirects and body included, ms.' }),
        maxBytes: Type.Integer({ minimum: 1, default: 3_932_160, description: 'Largest image body, bytes; the download is aborted past it.' }),
        maxRedirects: Type.Integer({ minimum: 0, default: 3, description: 'Redirects followed; every hop is checked like the first URL.' }),
      },
      { default: {} },
    ),
    capture: Type.Object(
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
      { default: {} },
    ),
    native: Type.Object(
      {
        auth: Type.Object(
          {
            enabled: Type.Boolean({
              default: true,
              description: 'false opens the native API without keys, for local use; ignored when any API key is configured (file or FACELIVE_API_KEY).',
            }),
          },
          { default: {} },
        ),
        apiKeys: Type.Array(
          Type.Object({ key: Type.String({ minLength: 16, description: 'Bearer API key.' }), name: NameField, ...CredentialLimitFields }, { additionalProperties: false }),
          { default: [], description: 'API keys of the native API. Env FACELIVE_API_KEY adds one.' },
        ),
      },
      { default: {} },
    ),
    tencent: Type.Object(
      {
        credentials: Type.Array(
          Type.Object(
            {
              secretId: Type.String({ minLength: 1, description: 'SecretId (public half, appears in logs).' }),
              secretKey: Type.String({ minLength: 16, description: 'SecretKey (signing secret).' }),
              name: NameField,
              ...CredentialLimitFields,
            },
            { additionalProperties: false },
          ),
          { default: [], description: 'SecretId/SecretKey pairs of the Tencent Cloud dialect. Env FACELIVE_TENCENT_SECRET_ID + FACELIVE_TENCENT_SECRET_KEY add one.' },
        ),
        maxClockSkewSeconds: Type.Integer({
          minimum: 1,
          default: 300,
          description: 'Largest difference between X-TC-Timestamp and the server clock, seconds (Tencent Cloud uses 300).',
        }),
      },
      { default: {} },
    ),
    acedata: Type.Object(
      {
        tokens: Type.Array(
          Type.Object({ token: Type.String({ minLength: 16, description: 'Bearer token.' }), name: NameField, ...CredentialLimitFields }, { additionalProperties: false }),
          { default: [], description: 'Tokens of the Ace Data Cloud dialect. Env FACELIVE_ACEDATA_TOKEN adds one.' },
        ),
      },
      { default: {} },
    ),
    accuauth: Type.Object(
      {
        credentials: Type.Array(
          Type.Object(
            {
              apiId: Type.String({ minLength: 1, maxLength: 128, description: 'API ID, sent as X-DF-API-ID (public half, appears in logs).' }),
              apiSecret: Type.String({ minLength: 16, description: 'API secret, sent as X-DF-API-SECRET.' }),
              name: NameField,
              expiresAt: Type.Optional(
                Type.String({
                  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
                  description:
                    'ISO 8601 instant from which the key is refused with KEY_EXPIRED: a date (2027-01-31 = 00:00 UTC of that day) or a date-time with zone (2027-01-31T18:00:00+01:00). Default: never.',
                }),
              ),
              callQuota: Type.Optional(
                Type.Integer({
                  minimum: 0,
                  description:
                    'Successful calls (answered OK) this key may make; then OUT_OF_QUOTA. Counted per API ID in server memory (restarts reset it). Default: unlimited.',
                }),
              ),
              ...CredentialLimitFields,
            },
            { additionalProperties: false },
          ),
          { default: [], description: 'API ID/secret pairs of the AccuAuth dialect. Env FACELIVE_ACCUAUTH_API_ID + FACELIVE_ACCUAUTH_API_SECRET add one.' },
        ),
      },
      { default: {} },
    ),
    advance: Type.Object(
      {
        credentials: Type.Array(
          Type.Object(
            {
              accessKey: Type.String({ minLength: 1, maxLength: 128, description: 'accessKey (public half, appears in logs and inside access tokens).' }),
              secretKey: Type.String({ minLength: 16, description: 'secretKey: signs token requests and the access tokens issued for this accessKey.' }),
              name: NameField,
              ...CredentialLimitFields,
            },
            { additionalProperties: false },
          ),
          { default: [], description: 'accessKey/secretKey pairs of the ADVANCE.AI dialect. Env FACELIVE_ADVANCE_ACCESS_KEY + FACELIVE_ADVANCE_SECRET_KEY add one.' },
        ),
        maxClockSkewSeconds: Type.Integer({
          minimum: 1,
          default: 300,
          description: 'Largest difference between a token request\'s timestamp and the server clock, seconds.',
        }),
        tokenDefaultPeriodSeconds: Type.Integer({ minimum: 1, default: 3600, description: 'Lifetime of an access token when the request has no periodSecond, seconds.' }),
        tokenMaxPeriodSeconds: Type.Integer({ minimum: 1, default: 86_400, description: 'Largest periodSecond a token request may ask for, seconds.' }),
      },
      { default: {} },
    ),
    publicBaseUrl: Type.String({
      default: '',
      pattern: '^(https?://[^\\s?#]+)?$',
      description:
        'Absolute base URL clients reach this server at (e.g. https://facelive.example.com), for the image URLs of ADVANCE.AI results. Empty: derived from each request\'s Host header, which a client controls. Env FACELIVE_PUBLIC_BASE_URL.',
    }),
  },
  { default: {}, additionalProperties: false },
);

/** The validated `server` section. */
export type ServerConfig = Static<typeof ServerConfigSchema>;
