/**
 * A stored submission as the detection-result document shows it. `detectionResult` is the near
 * photo of a pair (the larger face), or the single photo, as a URL or base64 per `resultType`;
 * `imageFarUrl`/`imageNearUrl` are always URLs (null for a single photo); both image times are
 * the submission's time for a pair (the SDK's capture times are not sent), null for one photo.
 * Image URLs point at facelive itself: `<base>/openapi/liveness/v3/image/<token>`, valid while
 * the result is retained.
 */
import type { FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import type { ImageRole, StoredImage, StoredSubmission } from '../../store/result-store.js';
import { advanceAssessment, type AdvanceAttackType } from './score.js';
import type { StoredVerdict } from './submission.js';

/** Path of the stored-image route, below the server root. */
export const IMAGE_PATH = '/openapi/liveness/v3/image';

/** The two forms of detectionResult. */
export type ResultType = 'IMAGE_URL' | 'IMAGE_BASE64';

/** `data` of a detection-result answer. */
export interface DetectionData {
  readonly detectionResult: string;
  readonly livenessScore: number;
  readonly auditImageUrl: null;
  readonly imageFarUrl: string | null;
  readonly imageNearUrl: string | null;
  readonly farImageTime: number | null;
  readonly nearImageTime: number | null;
  readonly attackType: AdvanceAttackType | null;
  readonly attackSubType: null;
}

/** A host name or address with an optional port; anything else in Host is not turned into a URL. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Base of absolute URLs: `server.publicBaseUrl` when configured; otherwise the request's own
 * scheme and Host header, which the client chooses (see docs/http-api.md). A Host that is not a
 * plain host[:port] is refused rather than echoed into a URL.
 */
export function publicBaseOf(request: FastifyRequest, configured: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  const host = request.host;
  if (!host || !HOST.test(host)) {
    throw new FaceliveError('REQUEST_MALFORMED', { reason: 'the Host header is not a host name with an optional port (set server.publicBaseUrl)' });
  }
  return `${request.protocol}://${host}`;
}

/** What building the view needs from the route. */
export interface ViewContext {
  readonly resultType: ResultType;
  readonly baseUrl: string;
  /** Bytes of a stored image, or undefined once it is gone. */
  readonly loadImage: (token: string) => Promise<StoredImage | undefined>;
}

/**
 * The `data` object, or undefined when an image disappeared between the lookup and the read
 * (retention ran out in between): the caller answers RESULT_NOT_FOUND.
 */
export async function detectionData(submission: StoredSubmission, verdict: StoredVerdict, view: ViewContext): Promise<DetectionData | undefined> {
  const tokenOf = (role: ImageRole) => submission.images.find((image) => image.role === role)?.token;
  const urlOf = (token: string | undefined) => (token === undefined ? null : `${view.baseUrl}${IMAGE_PATH}/${token}`);
  const shownToken = verdict.kind === 'pair' ? tokenOf('near') : tokenOf('single');
  if (shownToken === undefined) throw new FaceliveError('INTERNAL_ERROR', {}, { cause: new Error(`submission ${submission.id} has no image to show`) });
  let detectionResult: string;
  if (view.resultType === 'IMAGE_BASE64') {
    const image = await view.loadImage(shownToken);
    if (!image) return undefined;
    detectionResult = Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength).toString('base64');
  } else {
    detectionResult = urlOf(shownToken)!;
  }
  const { livenessScore, attackType } = advanceAssessment(verdict);
  const time = verdict.kind === 'pair' ? submission.createdAt.getTime() : null;
  return {
    detectionResult,
    livenessScore,
    auditImageUrl: null,
    imageFarUrl: urlOf(tokenOf('far')),
    imageNearUrl: urlOf(tokenOf('near')),
    farImageTime: time,
    nearImageTime: time,
    attackType,
    attackSubType: null,
  };
}
