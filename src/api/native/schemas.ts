/**
 * Route schemas of the native API. The JSON request body is validated with them; responses are
 * serialised with JSON.stringify, so response schemas document (OpenAPI) without filtering.
 */
import { Type, type Static } from '@sinclair/typebox';

/** JSON body of `POST /v1/liveness`. */
export const LivenessJsonBody = Type.Object(
  {
    image: Type.Optional(
      Type.String({ description: 'The image file (JPEG, PNG, BMP or WebP) as base64; standard or URL-safe alphabet.', contentEncoding: 'base64' }),
    ),
    imageUrl: Type.Optional(Type.String({ maxLength: 8192, description: 'http(s) URL to fetch the image from (see URL rules in docs/http-api.md).' })),
    threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Decision threshold on the 0..100 score for this call.' })),
    returnFaces: Type.Optional(Type.Boolean({ default: true, description: 'Include every detected face (box, landmarks, detector score).' })),
  },
  { additionalProperties: false, description: 'Exactly one of image or imageUrl.' },
);
/** The validated JSON body. */
export type LivenessJsonBody = Static<typeof LivenessJsonBody>;

/** Documentation of the multipart form (validated by hand: the parts are streamed). */
export const LivenessMultipartBody = Type.Object(
  {
    image: Type.Optional(Type.String({ format: 'binary', description: 'The image file.' })),
    imageUrl: Type.Optional(Type.String({ description: 'Instead of a file.', examples: [''] })),
    threshold: Type.Optional(Type.String({ description: 'Number 0..100; empty or absent: the configured threshold.', examples: [''] })),
    returnFaces: Type.Optional(Type.String({ description: 'true | false; empty or absent: true.', examples: [''] })),
  },
  // The empty examples keep the docs page from filling the optional fields with "string";
  // an empty field reads as absent (multipart-form.ts).
  { description: 'One file part named image, or an imageUrl field; empty fields are absent.' },
);

const Box = Type.Object({ x: Type.Number(), y: Type.Number(), width: Type.Number(), height: Type.Number() });
const ModelOpinion = Type.Object({ modelId: Type.String(), liveProbability: Type.Number(), weight: Type.Number() });
const Face = Type.Object({
  box: Box,
  landmarks: Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }), { description: 'Right eye, left eye, nose, right and left mouth corner.' }),
  score: Type.Number({ description: 'Detector confidence 0..1 (not a liveness score).' }),
  liveness: Type.Union(
    [
      Type.Object({
        score100: Type.Number({ description: 'Liveness score 0..100 of this face alone.' }),
        liveProbability: Type.Number({ description: 'Fused live probability 0..1 of this face.' }),
        decision: Type.Union([Type.Literal('live'), Type.Literal('spoof')], { description: 'This face alone at the threshold.' }),
        models: Type.Array(ModelOpinion),
      }),
      Type.Null(),
    ],
    { description: 'The PAD models on this face; null for a face narrower than quality.minFaceSizePx (not judged).' },
  ),
});

/** Success body of `POST /v1/liveness`: the engine result plus the request id. */
export const LivenessResponse = Type.Object(
  {
    requestId: Type.String({ format: 'uuid' }),
    score: Type.Number({ description: 'Liveness score 0..100, higher = more likely live: the lowest score of the judged faces.' }),
    liveProbability: Type.Number({ description: 'Fused live probability 0..1 of the face that sets the score.' }),
    decision: Type.Union([Type.Literal('live'), Type.Literal('spoof'), Type.Literal('retry')]),
    threshold: Type.Number(),
    retryReasons: Type.Array(Type.Union([Type.Literal('insufficientContext'), Type.Literal('monochrome'), Type.Literal('multipleFaces')])),
    retryHints: Type.Array(Type.String(), { description: 'A short hint for the person per retry reason, in the same order.' }),
    models: Type.Array(ModelOpinion, { description: 'PAD models on the primary face.' }),
    faces: Type.Optional(Type.Array(Face, { description: 'Largest first; omitted when returnFaces is false.' })),
    quality: Type.Object({}, { additionalProperties: true, description: 'Quality signals of the primary face (size, context, light, blur, pose).' }),
    image: Type.Object({
      width: Type.Integer(),
      height: Type.Integer(),
      format: Type.String(),
      analysedWidth: Type.Integer({ description: 'Size the image was analysed at (smaller than width x height only above limits.maxDecodedPixels).' }),
      analysedHeight: Type.Integer(),
    }),
    modelIds: Type.Object({ detector: Type.String(), classifiers: Type.Array(Type.String()) }),
    timings: Type.Object({}, { additionalProperties: true, description: 'Milliseconds per engine stage.' }),
  },
  { additionalProperties: true },
);

/** The native error envelope. */
export const NativeError = Type.Object({
  error: Type.Object({ code: Type.String({ description: 'Catalogue code, see docs/errors.md.' }), message: Type.String() }),
  requestId: Type.String(),
});

const ModelInfo = Type.Object({
  id: Type.String({ description: 'role/name@version' }),
  version: Type.String(),
  role: Type.String(),
  file: Type.String(),
  sha256: Type.String(),
  sizeBytes: Type.Integer(),
  licence: Type.String(),
  source: Type.Object({ repo: Type.String(), commit: Type.String(), path: Type.String() }, { additionalProperties: true }),
});

/** Body of `GET /v1/models`. */
export const ModelsResponse = Type.Object({
  ready: Type.Boolean({ description: 'Whether every worker has loaded and warmed the set.' }),
  detector: ModelInfo,
  classifiers: Type.Array(Type.Intersect([ModelInfo, Type.Object({ weight: Type.Number() })])),
  decision: Type.Object({ threshold: Type.Number() }),
});
