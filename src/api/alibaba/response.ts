/** The answer elements of DetectLivingFace: one per task, from an engine result or for no face. */
import type { LivenessResult } from '../../engine/types.js';
import { alibabaVerdict, NO_FACE_VERDICT, type AlibabaVerdict } from './score.js';

/** The vendor's two documented MessageTips. */
export const MESSAGE_TIPS = {
  noFace: 'no face detected, try again please.',
  quality: 'blurred, occluded or large angle face, please check.',
} as const;

/** One result of an element. */
export interface AlibabaResultBody extends AlibabaVerdict {
  readonly Rect: { readonly Left: number; readonly Top: number; readonly Width: number; readonly Height: number };
  readonly MessageTips: string;
  readonly Frames: readonly never[];
}

/** One element of `Data.Elements`. */
export interface AlibabaElementBody {
  readonly TaskId: string;
  readonly ImageURL: string;
  readonly FaceNumber: number;
  readonly Results: readonly AlibabaResultBody[];
}

/** The vendor's quality tip when quality flagged the face, else the retry hints of a `retry`, else nothing. */
function messageTipsOf(result: LivenessResult): string {
  const { quality } = result;
  if (quality.blurry || quality.poseExtreme || quality.faceCutOff) return MESSAGE_TIPS.quality;
  return result.retryHints.join(' ');
}

/**
 * The element of a task the engine judged: one result, the image's verdict (set by its least
 * live face), with the primary face's box; FaceNumber counts every detected face.
 *
 * @example
 * judgedElement('3f2c…-1', '', await context.liveness.analyse(request, input));
 */
export function judgedElement(taskId: string, imageUrl: string, result: LivenessResult): AlibabaElementBody {
  const box = result.faces[0]?.box ?? { x: 0, y: 0, width: 0, height: 0 };
  return {
    TaskId: taskId,
    ImageURL: imageUrl,
    FaceNumber: result.faces.length,
    Results: [
      {
        ...alibabaVerdict(result),
        Rect: { Left: Math.round(box.x), Top: Math.round(box.y), Width: Math.round(box.width), Height: Math.round(box.height) },
        MessageTips: messageTipsOf(result),
        Frames: [],
      },
    ],
  };
}

/** The element of a task without a face: 200 with the vendor's `block` verdict, not an error. */
export function noFaceElement(taskId: string, imageUrl: string): AlibabaElementBody {
  return {
    TaskId: taskId,
    ImageURL: imageUrl,
    FaceNumber: 0,
    Results: [{ ...NO_FACE_VERDICT, Rect: { Left: 0, Top: 0, Width: 0, Height: 0 }, MessageTips: MESSAGE_TIPS.noFace, Frames: [] }],
  };
}

/** The id of task `index` (1-based) of request `requestId`: unique, and leads back to the request's log line. */
export function taskIdOf(requestId: string, index: number): string {
  return `${requestId}-${index}`;
}
