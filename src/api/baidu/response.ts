/**
 * A faceverify success from an engine result: the envelope with `error_code 0`, `thresholds`,
 * `face_liveness` and one `face_list` entry (the primary face of the one image). Numbers that
 * facelive does not measure are not invented, except `angle.pitch`, which Baidu clients index
 * directly: it is 0 (no pitch estimate).
 */
import { createHash } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { LivenessResult } from '../../engine/types.js';
import { baiduEnvelope, type BaiduEnvelope } from './envelope.js';
import type { BaiduFace, FaceverifyResult } from './schemas.js';
import { baiduAssessment, baiduThresholds } from './score.js';

const round2 = (value: number) => Math.round(value * 100) / 100;

/** 32 hex digits, the same for the same image and face (a digest of what the engine saw). */
function faceToken(result: LivenessResult): string {
  const face = result.faces[0];
  const seen = { image: result.image, box: face.box, landmarks: face.landmarks, score: face.score };
  return createHash('sha256').update(JSON.stringify(seen)).digest('hex').slice(0, 32);
}

function faceOf(result: LivenessResult, livemapscore: number): Static<typeof BaiduFace> {
  const { box, score } = result.faces[0];
  const { yawDeg, rollDeg } = result.quality;
  return {
    face_token: faceToken(result),
    location: { left: round2(box.x), top: round2(box.y), width: Math.round(box.width), height: Math.round(box.height), rotation: Math.round(rollDeg) },
    face_probability: round2(score),
    angle: { yaw: round2(yawDeg), pitch: 0, roll: round2(rollDeg) },
    liveness: { livemapscore },
  };
}

/**
 * The success envelope of `result` for `requestId`.
 *
 * @example
 * reply.send(faceverifyResult(result, request.id, Date.now()));
 */
export function faceverifyResult(result: LivenessResult, requestId: string, nowMs: number): BaiduEnvelope<Static<typeof FaceverifyResult>> {
  const livemapscore = baiduAssessment(result);
  return baiduEnvelope(requestId, nowMs, 0, 'SUCCESS', {
    thresholds: baiduThresholds(result.threshold),
    face_liveness: livemapscore,
    face_list: [faceOf(result, livemapscore)],
  });
}
