/**
 * What the demo page needs besides the check itself (`GET /demo/settings`): the decision
 * threshold, the score ladder 5/10/40/70/90 with what each step meant on the calibration data
 * (APCER and BPCER of the fit in use), and the quality limits behind the signal chips. Built once,
 * at registration, from the config and the calibration file the engine uses.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Config } from '../../config/schema.js';
import { findFit, readCalibrationFile } from '../../engine/calibrate/calibration-file.js';
import { calibrationFileOf } from '../../engine/calibrate/load-score-map.js';
import { RECOMMENDED_THRESHOLD, SCORE_LADDER } from '../../engine/calibrate/score-ladder.js';

const Rate = Type.Union([
  Type.Object({
    value: Type.Number({ description: 'Fraction 0..1.' }),
    errors: Type.Integer(),
    total: Type.Integer(),
  }),
  Type.Null(),
]);

/** Body of `GET /demo/settings`. */
export const DemoSettings = Type.Object({
  threshold: Type.Number({ description: 'decision.threshold: a score at or above it is live.' }),
  recommendedThreshold: Type.Number(),
  calibrated: Type.Boolean({ description: 'false when calibration.enabled is false: the ladder figures then do not apply.' }),
  calibration: Type.Union([
    Type.Object({
      dataset: Type.String(),
      images: Type.Integer(),
      bonaFide: Type.Integer({ description: 'Live images the figures were measured on.' }),
      attacks: Type.Integer({ description: 'Attack images the figures were measured on.' }),
      modelSet: Type.String(),
    }),
    Type.Null(),
  ]),
  ladder: Type.Array(
    Type.Object({
      score100: Type.Number(),
      apcer: Rate,
      bpcer: Rate,
    }),
    { description: 'The ladder steps, strictest last; APCER = attacks accepted as live, BPCER = live people refused, at that threshold.' },
  ),
  quality: Type.Object({}, { additionalProperties: true, description: 'The quality.* limits of the config.' }),
  maxImageBytes: Type.Integer({ description: 'limits.maxEncodedBytes: larger files are shrunk in the browser first.' }),
  tokenPeriodSeconds: Type.Integer(),
});
/** The settings body. */
export type DemoSettings = Static<typeof DemoSettings>;

type RateFigure = { value: number | null; errors: number; total: number };

function rate(figure: RateFigure | undefined): Static<typeof Rate> {
  return figure && figure.value !== null ? { value: figure.value, errors: figure.errors, total: figure.total } : null;
}

/**
 * The settings for `config`; the ladder figures come from the fit for the configured model set
 * (none when calibration is off or the file has no fit: the engine then refuses to start anyway).
 *
 * @example
 * const settings = await demoSettings(config);
 * settings.ladder.map((step) => step.score100); // [5, 10, 40, 70, 90]
 */
export async function demoSettings(config: Config): Promise<DemoSettings> {
  const fit = config.calibration.enabled
    ? await readCalibrationFile(calibrationFileOf(config)).then((file) => ({
        file,
        fit: findFit(file, { detector: config.models.detector, pad: config.models.pad }),
      }))
    : undefined;
  const points = fit?.fit?.ladder ?? [];
  return {
    threshold: config.decision.threshold,
    recommendedThreshold: RECOMMENDED_THRESHOLD,
    calibrated: config.calibration.enabled,
    calibration: fit?.fit
      ? {
          dataset: fit.file.dataset.name,
          images: fit.file.dataset.images,
          bonaFide: fit.fit.population.bonaFide,
          attacks: fit.fit.population.attacks,
          modelSet: fit.fit.name,
        }
      : null,
    ladder: SCORE_LADDER.map((score100) => {
      const point = points.find((p) => p.score100 === score100);
      return { score100, apcer: rate(point?.calibration.apcer), bpcer: rate(point?.calibration.bpcer) };
    }),
    quality: { ...config.quality },
    maxImageBytes: config.limits.maxEncodedBytes,
    tokenPeriodSeconds: config.server.demo.tokenPeriodSeconds,
  };
}
