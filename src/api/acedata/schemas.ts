/** Route schemas of the Ace Data Cloud dialect (the body is validated; unknown fields are ignored). */
import { Type, type Static } from '@sinclair/typebox';

/** `POST /face/detect-live` body. */
export const AceDataRequestBody = Type.Object(
  {
    image_url: Type.Optional(Type.String({ maxLength: 8192, description: 'URL of the face image.' })),
    image_base64: Type.Optional(Type.String({ description: 'facelive extension: the image as base64, used when image_url is absent.' })),
    face_model_version: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: 'Only "3.0".' })),
  },
  { additionalProperties: true },
);
/** The validated body. */
export type AceDataRequestBodyType = Static<typeof AceDataRequestBody>;

/** Success body, as the vendor document shows it. */
export const AceDataSuccessResponse = Type.Object({
  score: Type.Number({ description: 'Liveness score 0..100 (the engine score); the vendor recommends 40 as threshold.' }),
  face_model_version: Type.String(),
});

/** Error envelope of the vendor document. */
export const AceDataErrorResponse = Type.Object({
  success: Type.Boolean(),
  error: Type.Object({
    code: Type.String({ description: 'See docs/errors.md.' }),
    message: Type.String({ description: 'Starts with the facelive error code.' }),
  }),
  trace_id: Type.String(),
});
