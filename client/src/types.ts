/**
 * The client's names for the generated types (`generated/openapi.ts`, made from the OpenAPI
 * document the server serves): one alias per body the client sends or returns, nothing redefined
 * by hand, so that a schema change reaches the client by `npm run client:types` alone.
 */
import type { paths } from './generated/openapi.js';

type LivenessOperation = paths['/v1/liveness']['post'];

/** Result of {@link FaceliveClient.check}: score, decision, per-model probabilities, faces, quality, timings. */
export type LivenessResult = LivenessOperation['responses'][200]['content']['application/json'];

/** Per-call settings of `POST /v1/liveness`. */
export type LivenessSettings = Pick<LivenessOperation['requestBody']['content']['application/json'], 'threshold' | 'returnFaces'>;

/** Result of {@link FaceliveClient.models}: the loaded model set and the decision threshold. */
export type ModelSet = paths['/v1/models']['get']['responses'][200]['content']['application/json'];

/** Body of `GET /healthz`. */
export type ProcessHealth = paths['/healthz']['get']['responses'][200]['content']['application/json'];

/** Body of `GET /readyz` (status `ready`, `loading`, `failed`, or `unavailable` when a dependency such as the result store is not). */
export type Readiness = paths['/readyz']['get']['responses'][200]['content']['application/json'];

/** The native error envelope. */
export type ErrorBody = LivenessOperation['responses']['4XX']['content']['application/json'];

/** An image: its bytes (any format facelive decodes: JPEG, PNG, BMP, WebP), or an http(s) URL facelive fetches. */
export type ImageInput = Uint8Array | ArrayBuffer | Blob | string;
