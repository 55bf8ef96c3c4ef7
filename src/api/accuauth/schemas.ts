/**
 * Route schemas of the AccuAuth dialect, for the OpenAPI description only: the form is streamed
 * and checked by hand (form.ts), the credential headers (OpenAPI security schemes) by auth.ts,
 * so that every failure gets the document's status.
 */
import { Type } from '@sinclair/typebox';

/** The multipart form. */
export const AccuAuthForm = Type.Object(
  {
    liveness_data_file: Type.Optional(
      Type.String({ format: 'binary', description: "The face image (JPEG, PNG, BMP or WebP); the vendor SDK's protobuf is not supported." }),
    ),
    liveness_data_url: Type.Optional(
      Type.String({ description: 'Instead of a file: http(s) URL of the image (see URL rules in docs/http-api.md).', examples: [''] }),
    ),
    image_id: Type.Optional(Type.String({ description: 'Not supported: refused with INVALID_ARGUMENT.', examples: [''] })),
    return_image: Type.Optional(Type.String({ enum: ['0', '1'], description: '1: return the face crop as JPEG base64. Default 0.' })),
    return_extra: Type.Optional(Type.String({ enum: ['0', '1'], description: '1: return the extra fields. Default 0.' })),
  },
  // Empty examples keep the docs page from sending "string"; an empty field reads as absent.
  { description: 'One of liveness_data_file or liveness_data_url; empty fields are absent.' },
);

const Extra = Type.Object(
  {
    mask_proba: Type.Number({ description: 'Always 0.5: facelive has no mask model.' }),
    quality_score: Type.Number({ description: 'Image quality 0..1; below 0.5 exactly when quality_too_low.' }),
    quality_too_low: Type.Boolean(),
    blur_or_dark: Type.Boolean(),
    has_no_face: Type.Boolean({ description: 'Always false on success (no face is DETETION_FAILED).' }),
    face_too_small: Type.Boolean({ description: 'Always false on success (a face under the minimum is DETETION_FAILED).' }),
    image_too_small: Type.Boolean({ description: 'Always false on success (a too small image is INVALID_ARGUMENT).' }),
    masked: Type.Boolean({ description: 'Always false: facelive has no mask model.' }),
    face_quality_low: Type.Boolean(),
    face_quality_score: Type.Number({ description: 'Face quality 0..1; below 0.5 exactly when face_quality_low.' }),
    is_live: Type.Boolean({ description: 'The engine decision is live.' }),
    live_proba: Type.Number({ description: 'The score rescaled to 0..1 with 0.5 at the decision threshold.' }),
    eye_closed: Type.Boolean({ description: 'Always false: facelive has no eye model.' }),
    eye_score: Type.Number({ description: 'Always 0.5: facelive has no eye model.' }),
    multiple_faces: Type.Boolean({
      description: "facelive extension: more than one face was judged; score, is_live and live_proba are then the least live face's.",
    }),
    faces: Type.Array(
      Type.Object({
        rect: Type.Object({ left: Type.Integer(), top: Type.Integer(), width: Type.Integer(), height: Type.Integer() }),
        score: Type.Union([Type.Number(), Type.Null()], {
          description: "This face's hack score 0..1; null when it was not judged (narrower than quality.minFaceSizePx).",
        }),
        is_live: Type.Union([Type.Boolean(), Type.Null()], { description: 'This face alone is live; null when not judged.' }),
      }),
      { description: 'facelive extension: every detected face, largest first (the first is the primary face).' },
    ),
  },
  { description: 'Present when return_extra=1.' },
);

/** Success body. */
export const AccuAuthSuccessResponse = Type.Object({
  request_id: Type.String(),
  status: Type.Literal('OK'),
  score: Type.Number({ description: 'Hack score 0..1, higher = attack; below 0.98 a real person (0.98 sits on the facelive decision threshold).' }),
  extra: Type.Optional(Extra),
  image_base64: Type.Optional(
    Type.String({ description: 'Present when return_image=1: the face region (10 % margin, clamped to the image) as JPEG, base64.' }),
  ),
});

/** Error body of the document. */
export const AccuAuthErrorResponse = Type.Object({
  status: Type.String({ description: "The document's status (INVALID_ARGUMENT, DETETION_FAILED, …); see docs/errors.md." }),
  reason: Type.String({ description: 'Starts with the facelive error code.' }),
  request_id: Type.String(),
});
