import { Type, type Static, type TObject } from '@sinclair/typebox';
import { CaptureConfig } from '../api/capture/config.js';
import { DemoConfig } from '../api/demo/config.js';
import { DIALECTS } from '../api/dialects.js';
import { ABUSE_FIELDS } from './abuse-schema.js';

/**
 * The `server` section of the configuration: listening, limits, admission (queue, rate limits),
 * fetching images by URL, the capture and demo pages, and one section per HTTP dialect (`server.<name>`,
 * each defined in its dialect's folder and listed by `DIALECTS`). Read by `facelive serve`; the
 * CLI's `check` ignores it. `docs/http-api.md` is the reader's copy.
 */

type Dialects = (typeof DIALECTS)[number];

/** `server.<name>` for every dialect, typed from the dialects' own section schemas. */
type DialectSections = { [D in Dialects as D['name']]: D['config'] };

function dialectSections(): DialectSections {
  return Object.fromEntries(DIALECTS.map((dialect) => [dialect.name, dialect.config as TObject])) as unknown as DialectSections;
}

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
      default: 50_331_648,
      description:
        "Largest request body, bytes (48 MiB: the base64 of a 32 MiB image, limits.maxEncodedBytes, is 44.7 MB, plus its JSON or form envelope). Larger bodies get 413 in the dialect's envelope.",
    }),
    requestTimeoutMs: Type.Integer({ minimum: 0, default: 30_000, description: 'Time a client has to send a whole request, ms; 0 = none.' }),
    drainDelayMs: Type.Integer({
      minimum: 0,
      default: 0,
      description:
        'On SIGTERM/SIGINT, how long /readyz answers 503 (draining) while requests are still served normally, before the server stops accepting connections, ms: give the load balancer time to see it (e.g. 2-3 readiness periods; 0 = stop at once). Env FACELIVE_DRAIN_DELAY_MS.',
    }),
    shutdownTimeoutMs: Type.Integer({
      minimum: 0,
      default: 10_000,
      description: 'On SIGTERM/SIGINT, how long in-flight requests may take before the process exits anyway, ms.',
    }),
    shutdownDeadlineMs: Type.Integer({
      minimum: 1,
      default: 15_000,
      description:
        'On SIGTERM/SIGINT, the longest the process takes to exit, ms: past it (a store or worker that hangs) it logs what it was waiting for and exits with code 1. Keep it above shutdownTimeoutMs.',
    }),
    maxQueue: Type.Union([Type.Integer({ minimum: 0 }), Type.Literal('auto')], {
      default: 'auto',
      description:
        'Requests admitted beyond the busy inference workers, their bodies read and queued for a worker. auto = 4 per worker. Beyond them requests wait in the waiting room (admission.*), then get the overload error.',
    }),
    admission: Type.Object(
      {
        maxWaiting: Type.Integer({
          minimum: 0,
          default: 256,
          description:
            'Requests to the engine routes that may wait, bodies unread, for a worker or queue place once workers and queue are taken; first come, first served. Beyond them the overload error is answered at once. 0 = no waiting room.',
        }),
        maxWaitMs: Type.Integer({
          minimum: 1,
          default: 2_000,
          description: 'Longest wait in the waiting room, ms; a request still waiting then gets the overload error.',
        }),
      },
      { default: {} },
    ),
    ...ABUSE_FIELDS,
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
        maxBytes: Type.Integer({
          minimum: 1,
          default: 33_554_432,
          description: 'Largest image body, bytes (32 MiB, as limits.maxEncodedBytes); the download is aborted past it.',
        }),
        maxRedirects: Type.Integer({ minimum: 0, default: 3, description: 'Redirects followed; every hop is checked like the first URL.' }),
      },
      { default: {} },
    ),
    capture: CaptureConfig,
    demo: DemoConfig,
    metrics: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: "Serve GET /metrics (Prometheus text format) on the server's port." }),
        bearerToken: Type.String({
          default: '',
          description:
            'When set, /metrics requires Authorization: Bearer <token> (answered in the native envelope otherwise); empty: open to whoever reaches the port, so keep the port private or set one. Env FACELIVE_METRICS_TOKEN.',
        }),
      },
      { default: {} },
    ),
    tls: Type.Object(
      {
        certFile: Type.String({
          default: '',
          description:
            "PEM certificate (chain) file; with keyFile, the server speaks HTTPS only (browsers open a phone's camera on /capture over HTTPS only). Empty: plain HTTP. Env FACELIVE_TLS_CERT, flag --tls-cert.",
        }),
        keyFile: Type.String({ default: '', description: 'PEM private key file of certFile. Env FACELIVE_TLS_KEY, flag --tls-key.' }),
      },
      { default: {}, additionalProperties: false },
    ),
    publicBaseUrl: Type.String({
      default: '',
      pattern: '^(https?://[^\\s?#]+)?$',
      description:
        "Absolute base URL clients reach this server at (e.g. https://facelive.example.com), for the image URLs of ADVANCE.AI results. Empty: derived from each request's Host header, which a client controls. Env FACELIVE_PUBLIC_BASE_URL.",
    }),
    ...dialectSections(),
  },
  { default: {}, additionalProperties: false },
);

/** The validated `server` section. */
export type ServerConfig = Static<typeof ServerConfigSchema>;
