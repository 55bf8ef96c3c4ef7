/**
 * The per-image record of an evaluation: what the engine pass produced for one labelled image
 * (kept in `--json`, so figures can be recomputed with `--from` without analysing again), plus
 * the fields derived for the evaluated model set, which `--from` recomputes.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ErrorCode } from '../errors/catalogue.js';
import type { Outcome } from './iso-figures.js';

const BoxSchema = Type.Object({ x: Type.Number(), y: Type.Number(), width: Type.Number(), height: Type.Number() });
const ProbabilitiesSchema = Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 }));
const FaceSchema = Type.Object({
  box: BoxSchema,
  landmarks: Type.Array(Type.Tuple([Type.Number(), Type.Number()])),
  score: Type.Number({ description: 'Detector confidence.' }),
  probabilities: Type.Optional(
    Type.Union([ProbabilitiesSchema, Type.Null()], {
      description:
        'Live probability of every PAD model of the pass for this face; null for a face the engine did not judge (narrower than quality.minFaceSizePx). Absent in results written before faces were judged one by one.',
    }),
  ),
});

/** JSON schema of one image record; `--from` checks every record against it. */
export const ImageRecordSchema = Type.Object({
  file: Type.String({ description: 'Path relative to the evaluated folder, as in labels.csv.' }),
  line: Type.Integer({ description: 'Line of labels.csv.' }),
  label: Type.Union([Type.Literal('live'), Type.Literal('spoof'), Type.Literal('noface')]),
  attack: Type.String({ description: 'PAI species; none for live and noface.' }),
  source: Type.Union([Type.String(), Type.Null()], { description: 'source_repo, when the column exists.' }),
  outcome: Type.Union([Type.Literal('scored'), Type.Literal('retry'), Type.Literal('noFace'), Type.Literal('faceTooSmall'), Type.Literal('error')], {
    description: 'scored, retry (scored with a retry verdict), noFace (FACE_NOT_FOUND), faceTooSmall (FACE_TOO_SMALL), error (any other code).',
  }),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  probabilities: Type.Union([ProbabilitiesSchema, Type.Null()], {
    description: 'Live probability of every PAD model of the pass on the primary face, by model id.',
  }),
  retryReasons: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'Retry reasons raised by quality (they do not depend on the model set); multipleFaces is derived with the decision.',
  }),
  quality: Type.Union([Type.Record(Type.String(), Type.Union([Type.Number(), Type.Boolean()])), Type.Null()]),
  faces: Type.Union([Type.Array(FaceSchema), Type.Null()]),
  image: Type.Union([Type.Object({ width: Type.Integer(), height: Type.Integer(), format: Type.String() }), Type.Null()]),
  liveProbability: Type.Union([Type.Number(), Type.Null()], {
    description: 'Fused for the evaluated model set, of the least live judged face as the engine scores images (recomputed by --from).',
  }),
  score: Type.Union([Type.Number(), Type.Null()], { description: 'Calibrated 0..100 score of liveProbability (recomputed by --from).' }),
  decision: Type.Union([Type.Literal('live'), Type.Literal('spoof'), Type.Literal('retry'), Type.Null()], {
    description: 'At the configured threshold (recomputed by --from).',
  }),
});

/** One image of an evaluation. */
export type ImageRecord = Static<typeof ImageRecordSchema>;

/** The outcome an error code stands for. */
export function outcomeOfError(code: ErrorCode | string): Outcome {
  if (code === 'FACE_NOT_FOUND') return 'noFace';
  if (code === 'FACE_TOO_SMALL') return 'faceTooSmall';
  return 'error';
}
