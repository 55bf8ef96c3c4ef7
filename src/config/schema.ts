import { Type, type Static } from '@sinclair/typebox';
import { RedisConfigSchema } from './redis-schema.js';
import { ServerConfigSchema } from './server-schema.js';

/**
 * The one configuration schema of facelive. Every field has its default, unit and meaning here;
 * `docs/configuration.md` is the reader's copy. Values come from these defaults, then a JSON
 * config file, then `FACELIVE_*` environment variables, then CLI flags (see `load-config.ts`).
 */
export const ConfigSchema = Type.Object(
  {
    modelsDir: Type.String({
      default: 'models',
      description: 'Directory holding the model pack; relative to the working directory. Env FACELIVE_MODELS_DIR, flag --models-dir.',
    }),
    models: Type.Object(
      {
        detector: Type.String({ default: 'detector/yunet-s@2023.1', description: 'Face detector model id.' }),
        pad: Type.Array(
          Type.Object({
            id: Type.String({ description: 'PAD model id from the manifest.' }),
            weight: Type.Number({ exclusiveMinimum: 0, description: 'Fusion weight (weighted mean of live probabilities).' }),
          }),
          {
            minItems: 1,
            default: [
              { id: 'pad/minifasnet-v2-s2.7@1.0', weight: 1 },
              { id: 'pad/minifasnet-v1se-s4.0@1.0', weight: 1 },
            ],
            description: 'PAD models fused into the live probability. Default: the MiniFASNet pair.',
          },
        ),
      },
      { default: {} },
    ),
    detection: Type.Object(
      {
        scoreThreshold: Type.Number({ minimum: 0, maximum: 1, default: 0.6, description: 'Minimum detector score, sqrt(cls*obj).' }),
        nmsIouThreshold: Type.Number({ minimum: 0, maximum: 1, default: 0.3, description: 'IoU above which the weaker of two boxes is dropped.' }),
        topK: Type.Integer({ minimum: 1, default: 5000, description: 'Candidates kept before NMS.' }),
      },
      { default: {} },
    ),
    limits: Type.Object(
      {
        maxEncodedBytes: Type.Integer({
          minimum: 1,
          default: 33_554_432,
          description:
            'Largest encoded image, bytes (32 MiB: real 48-50 MP camera JPEGs are 10-25 MB). Applies to every surface; server.bodyLimitBytes must leave room for its base64.',
        }),
        maxPixelsJpeg: Type.Integer({
          minimum: 1,
          default: 67_108_864,
          description: 'Most pixels (width x height) of a JPEG, checked from the header: 64 Mi px admits 48, 50 and 64 MP camera photos.',
        }),
        maxLongSideJpeg: Type.Integer({ minimum: 1, default: 12_000, description: 'Longest side of a JPEG, px.' }),
        maxLongSideOther: Type.Integer({ minimum: 1, default: 2000, description: 'Longest side of PNG/BMP/WebP, px (decoded in full, so kept small).' }),
        minShortSide: Type.Integer({ minimum: 1, default: 64, description: 'Shortest side of any image, px.' }),
        maxDecodedPixels: Type.Integer({
          minimum: 4096,
          default: 16_777_216,
          description:
            'Largest frame analysed, px: a larger image is decoded downscaled to this many pixels (bounds memory; 16 Mi px decodes 12 MP photos in full, see docs/engine.md).',
        }),
      },
      { default: {} },
    ),
    quality: Type.Object(
      {
        minFaceSizePx: Type.Number({ minimum: 0, default: 100, description: 'Face box width below which FACE_TOO_SMALL is returned, px.' }),
        minContextFraction: Type.Number({
          minimum: 0,
          maximum: 1,
          default: 0.25,
          description:
            'Fraction of the MiniFASNet scale-2.7 context window around the face (before the scale clamp and shift) that must lie inside the image; below it the verdict is retry (insufficientContext). 0.25, chosen on pad-dev: docs/evaluation.md.',
        }),
        darkBelow: Type.Number({ default: 50, description: 'Mean face luma (0..255) below which the face is flagged dark.' }),
        overexposedAbove: Type.Number({ default: 210, description: 'Mean face luma above which the face is flagged overexposed.' }),
        blurryBelow: Type.Number({ default: 20, description: 'Laplacian variance of the 128 px face patch below which it is flagged blurry.' }),
        maxAbsYawDeg: Type.Number({ default: 35, description: 'Estimated |yaw| above which pose is flagged extreme, degrees.' }),
        maxAbsRollDeg: Type.Number({ default: 30, description: 'Estimated |roll| above which pose is flagged extreme, degrees.' }),
        monochromeBelow: Type.Number({ default: 3, description: 'Mean face chroma (0..255) below which the image is monochrome: verdict retry.' }),
      },
      { default: {} },
    ),
    decision: Type.Object(
      {
        secondaryFaceVerdict: Type.Union([Type.Literal('spoof'), Type.Literal('retry')], {
          default: 'spoof',
          description:
            'Verdict when the primary face scores live but another face at least quality.minFaceSizePx wide scores below the threshold: spoof, or retry with reason multipleFaces. Either way the image score is the lowest face score.',
        }),
        threshold: Type.Number({
          minimum: 0,
          maximum: 100,
          default: 40,
          description:
            'Score (0..100, calibrated) at or above which the decision is live. 40 is the recommended threshold of the documented ladder 5/10/40/70/90 (docs/evaluation.md). Env FACELIVE_THRESHOLD, flag --threshold.',
        }),
      },
      { default: {} },
    ),
    calibration: Type.Object(
      {
        file: Type.String({
          default: '',
          description:
            'Calibration JSON (written by `facelive calibrate`) mapping the fused live probability to the 0..100 score; relative to the working directory. Empty: calibration/default.json shipped with facelive, fitted on pad-dev. It must hold a fit for the configured detector and PAD set (ids and relative weights), else start-up fails with CONFIG_INVALID. Env FACELIVE_CALIBRATION.',
        }),
        enabled: Type.Boolean({
          default: true,
          description: 'false: score = 100 × liveProbability, uncalibrated, so the documented thresholds mean nothing; for evaluation and calibration runs.',
        }),
      },
      { default: {} },
    ),
    runtime: Type.Object(
      {
        workers: Type.Integer({ minimum: 0, default: 0, description: 'Inference worker threads; 0 = one per core.' }),
      },
      { default: {} },
    ),
    server: ServerConfigSchema,
    redis: RedisConfigSchema,
    batch: Type.Object(
      {
        queuePrefix: Type.String({
          default: 'facelive',
          pattern: '^[A-Za-z0-9_.-]{1,64}$',
          description: 'Prefix of every Redis key of the batch queue, so several deployments (or test runs) share one Redis. Env FACELIVE_BATCH_QUEUE_PREFIX.',
        }),
        attempts: Type.Integer({
          minimum: 1,
          default: 5,
          description:
            'Tries of an image whose failure is transient (store or URL unreachable, worker crash); after the last one its error is recorded as its result.',
        }),
        backoffMs: Type.Integer({ minimum: 0, default: 2_000, description: 'Delay before the first retry, ms; doubled at each further retry.' }),
        lockDurationMs: Type.Integer({
          minimum: 1_000,
          default: 30_000,
          description: 'How long a job stays with a worker that stops renewing its lock (a killed process) before another worker takes it, ms.',
        }),
        maxStalledCount: Type.Integer({
          minimum: 1,
          default: 5,
          description: 'Times a job may be taken back from a worker that died holding it before it fails for good.',
        }),
        jobsPerThread: Type.Integer({
          minimum: 1,
          default: 2,
          description: 'Jobs a worker process holds per engine thread, so the next image is read while one is analysed.',
        }),
      },
      { default: {} },
    ),
    store: Type.Object(
      {
        dataDir: Type.String({
          default: 'data',
          description: 'Directory of the embedded SQLite store (database and image files); relative to the working directory. Env FACELIVE_DATA_DIR.',
        }),
        postgresUrl: Type.String({
          default: '',
          description: 'postgres:// connection URL; when set, the shared PostgreSQL store is used instead of SQLite. Env FACELIVE_STORE_POSTGRES_URL.',
        }),
        postgresSchema: Type.String({ default: 'facelive', pattern: '^[a-z_][a-z0-9_]{0,62}$', description: 'PostgreSQL schema holding the store tables.' }),
        retentionHours: Type.Number({ exclusiveMinimum: 0, default: 24, description: 'How long results and images are kept, hours.' }),
        tombstoneRetentionHours: Type.Number({
          minimum: 0,
          default: 720,
          description: 'How long a purged id is remembered (answering "purged" rather than "unknown"), hours.',
        }),
        purgeIntervalMinutes: Type.Number({ exclusiveMinimum: 0, default: 10, description: 'How often the server purges expired results, minutes.' }),
        postgresConnectTimeoutMs: Type.Integer({
          minimum: 1,
          default: 5_000,
          description:
            'Time to open a PostgreSQL connection (TCP, TLS and start-up), ms; past it the connection is dropped and the store reports STORE_UNAVAILABLE.',
        }),
        postgresAcquireTimeoutMs: Type.Integer({
          minimum: 1,
          default: 5_000,
          description: 'Time a store operation waits for a free PostgreSQL connection of the pool, ms.',
        }),
        postgresQueryTimeoutMs: Type.Integer({
          minimum: 1,
          default: 5_000,
          description: 'Time one PostgreSQL statement may take, ms (client-side, and statement_timeout on the server); the connection is dropped past it.',
        }),
        operationTimeoutMs: Type.Integer({
          minimum: 1,
          default: 10_000,
          description:
            'Time a whole store operation may take (a save with its images, a lookup, a purge, closing the store), ms; past it the caller gets STORE_UNAVAILABLE. Bounds the SQLite store (a stalled disk) as well.',
        }),
        readinessTimeoutMs: Type.Integer({
          minimum: 1,
          default: 2_000,
          description: 'Time GET /readyz gives the result store to prove it can write, ms; past it the server reports not ready.',
        }),
      },
      { default: {} },
    ),
  },
  { additionalProperties: false },
);

/** The validated, frozen configuration. */
export type Config = Static<typeof ConfigSchema>;

/**
 * The sections the engine reads. A worker thread receives exactly these, never `server` or
 * `store` (which hold every credential and the database URL).
 */
export const ENGINE_SECTIONS = ['modelsDir', 'models', 'detection', 'limits', 'quality', 'decision', 'calibration', 'runtime'] as const;

/** The engine's part of the configuration. */
export type EngineConfig = Pick<Config, (typeof ENGINE_SECTIONS)[number]>;

/**
 * A copy of `config` with only the engine's sections.
 *
 * @example
 * new Piscina({ workerData: { config: engineConfigOf(config) } });
 */
export function engineConfigOf(config: EngineConfig): EngineConfig {
  return Object.fromEntries(ENGINE_SECTIONS.map((section) => [section, config[section]])) as unknown as EngineConfig;
}
