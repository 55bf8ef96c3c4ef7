/**
 * The success body of `POST /face/liveness_anti_hack`, renamed from the engine's result: the
 * verdict fields come from `accuauthAssessment` (score.ts) and the quality fields from the
 * engine's `summariseQuality`. Fields that need a model facelive does not have (mask, eyes) carry fixed
 * neutral values, documented in docs/http-api.md.
 */
import type { Config } from '../../config/schema.js';
import { summariseQuality } from '../../engine/quality/quality-summary.js';
import type { LivenessResult } from '../../engine/types.js';
import { FaceliveError } from '../../errors/catalogue.js';
import { accuauthAssessment, accuauthHackScore } from './score.js';

/**
 * Probability reported by the fields facelive has no model for (`mask_proba`, `eye_score`):
 * 0.5 means "no information", and the matching flags (`masked`, `eye_closed`) stay false, so
 * that only a value strictly beyond 0.5 would raise them.
 */
export const NO_MODEL_PROBABILITY = 0.5;

/** `extra`, with every field of the document. */
export interface AccuAuthExtra {
  readonly mask_proba: number;
  readonly quality_score: number;
  readonly quality_too_low: boolean;
  readonly blur_or_dark: boolean;
  readonly has_no_face: boolean;
  readonly face_too_small: boolean;
  readonly image_too_small: boolean;
  readonly masked: boolean;
  readonly face_quality_low: boolean;
  readonly face_quality_score: number;
  readonly is_live: boolean;
  readonly live_proba: number;
  readonly eye_closed: boolean;
  readonly eye_score: number;
  /** facelive's extension: more than one face was judged (the verdict above is the least live one's). */
  readonly multiple_faces: boolean;
  /** facelive's extension: every detected face, largest first, with its own hack score (null: not judged, too small). */
  readonly faces: readonly AccuAuthFace[];
}

/** One detected face in `extra.faces`. */
export interface AccuAuthFace {
  /** Pixels of the (EXIF-oriented) image, rounded. */
  readonly rect: { readonly left: number; readonly top: number; readonly width: number; readonly height: number };
  /** This face's hack score 0..1 (below 0.98 a real person), or null when it was not judged. */
  readonly score: number | null;
  /** This face alone is live at the threshold; null when it was not judged. */
  readonly is_live: boolean | null;
}

function facesOf(result: LivenessResult): AccuAuthFace[] {
  return result.faces.map((face) => ({
    rect: { left: Math.round(face.box.x), top: Math.round(face.box.y), width: Math.round(face.box.width), height: Math.round(face.box.height) },
    score: face.liveness ? accuauthHackScore(face.liveness.score100, result.threshold) : null,
    is_live: face.liveness ? face.liveness.decision === 'live' : null,
  }));
}

/** The success body. */
export interface AccuAuthSuccessBody {
  readonly request_id: string;
  readonly status: 'OK';
  readonly score: number;
  readonly extra?: AccuAuthExtra;
  readonly image_base64?: string;
}

/** What the caller asked for. */
export interface AccuAuthReturns {
  readonly returnExtra: boolean;
  readonly returnImage: boolean;
}

function extraOf(result: LivenessResult, config: Config): AccuAuthExtra {
  const verdict = accuauthAssessment(result);
  const quality = summariseQuality(result.quality, result.image, { ...config.quality, minShortSide: config.limits.minShortSide });
  return {
    mask_proba: NO_MODEL_PROBABILITY,
    quality_score: quality.imageScore,
    quality_too_low: quality.imageLow,
    blur_or_dark: quality.blurOrDark,
    has_no_face: quality.noFace,
    face_too_small: quality.faceTooSmall,
    image_too_small: quality.imageTooSmall,
    masked: false,
    face_quality_low: quality.faceLow,
    face_quality_score: quality.faceScore,
    is_live: verdict.isLive,
    live_proba: verdict.liveProbability,
    eye_closed: false,
    eye_score: NO_MODEL_PROBABILITY,
    multiple_faces: result.faces.filter((face) => face.liveness !== null).length > 1,
    faces: facesOf(result),
  };
}

/**
 * The success body for an engine result (analysed with `returnFaceCrop` when `returnImage`).
 *
 * @example
 * reply.send(accuAuthSuccess(request.id, result, config, { returnExtra: true, returnImage: false }));
 */
export function accuAuthSuccess(requestId: string, result: LivenessResult, config: Config, returns: AccuAuthReturns): AccuAuthSuccessBody {
  const body: AccuAuthSuccessBody = { request_id: requestId, status: 'OK', score: accuauthAssessment(result).hackScore };
  if (returns.returnImage && !result.faceCrop) throw new FaceliveError('INTERNAL_ERROR');
  return {
    ...body,
    ...(returns.returnExtra && { extra: extraOf(result, config) }),
    ...(returns.returnImage && result.faceCrop && { image_base64: Buffer.from(result.faceCrop.jpeg).toString('base64') }),
  };
}
