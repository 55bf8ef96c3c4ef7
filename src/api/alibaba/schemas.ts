/** OpenAPI description of the Alibaba Cloud dialect (documentation only; routes.ts checks fields itself). */
import { Type } from '@sinclair/typebox';

/** Headers of a V3-signed call (the legacy RPC signature puts its parameters in the query instead). */
export const AlibabaHeaders = Type.Object({
  'x-acs-action': Type.Optional(Type.String({ description: 'DetectLivingFace (or the query parameter Action with the RPC signature)' })),
  'x-acs-version': Type.Optional(Type.String({ description: '2019-12-30 (or the query parameter Version)' })),
  'x-acs-date': Type.Optional(Type.String({ description: 'YYYY-MM-DDTHH:mm:ssZ; at most server.alibaba.maxClockSkewSeconds from the server clock.' })),
  'x-acs-signature-nonce': Type.Optional(Type.String({ description: 'Unique per request; a nonce used again within the window is refused.' })),
  'x-acs-content-sha256': Type.Optional(Type.String({ description: 'Hex SHA-256 of the body as sent.' })),
  authorization: Type.Optional(Type.String({ description: 'ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>' })),
});

/** The form body of DetectLivingFace, flattened as the SDKs send it. */
export const AlibabaRequestBody = Type.Object(
  {
    'Tasks.1.ImageURL': Type.Optional(
      Type.String({ description: "http(s) URL of the image of task 1; wins over Tasks.1.ImageData. Fetched through the server's URL guard." }),
    ),
    'Tasks.1.ImageData': Type.Optional(Type.String({ description: 'base64 of the image of task 1.' })),
  },
  { description: 'application/x-www-form-urlencoded; Tasks.N.ImageURL / Tasks.N.ImageData for N = 1..10 (the form above shows task 1).' },
);

/** A face box in pixels. */
export const AlibabaRect = Type.Object({
  Left: Type.Integer(),
  Top: Type.Integer(),
  Width: Type.Integer(),
  Height: Type.Integer(),
});

/** One verdict of a task. */
export const AlibabaResult = Type.Object({
  Label: Type.Union([Type.Literal('normal'), Type.Literal('liveness')], {
    description: 'normal: a live capture; liveness: a re-capture (attack), or no face.',
  }),
  Rate: Type.Number({ minimum: 50, maximum: 100, description: 'Confidence 50..100 in Label, from the calibrated score (docs/http-api.md).' }),
  Suggestion: Type.Union([Type.Literal('pass'), Type.Literal('review'), Type.Literal('block')]),
  Rect: AlibabaRect,
  MessageTips: Type.String(),
  Frames: Type.Array(Type.Object({ Rate: Type.Number(), Url: Type.String() }), { description: 'Deprecated by the vendor; always empty.' }),
});

/** The answer for one task. */
export const AlibabaElement = Type.Object({
  TaskId: Type.String(),
  ImageURL: Type.String({ description: "The task's ImageURL; empty for ImageData." }),
  FaceNumber: Type.Integer({ minimum: 0 }),
  Results: Type.Array(AlibabaResult, { minItems: 1 }),
});

/** Success envelope (also the answer when a task has no face: a `block` result). */
export const AlibabaSuccessResponse = Type.Object({
  RequestId: Type.String(),
  Data: Type.Object({ Elements: Type.Array(AlibabaElement) }),
});

/** Error envelope. */
export const AlibabaErrorBody = Type.Object({
  RequestId: Type.String(),
  HostId: Type.String(),
  Code: Type.String({ description: 'See docs/errors.md.' }),
  Message: Type.String(),
  Recommend: Type.String(),
});

/** What errors render to: the error envelope, or, for FACE_NOT_FOUND, the vendor's 200 `block` verdict. */
export const AlibabaErrorResponse = Type.Union([AlibabaErrorBody, AlibabaSuccessResponse]);
