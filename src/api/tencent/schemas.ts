/** OpenAPI description of the Tencent Cloud dialect (documentation only; see routes.ts). */
import { Type } from '@sinclair/typebox';

/** Headers of a signed call. */
export const TencentHeaders = Type.Object({
  'x-tc-action': Type.String({ description: 'DetectLiveFaceAccurate' }),
  'x-tc-version': Type.String({ description: '2020-03-03' }),
  'x-tc-timestamp': Type.String({ description: 'Unix time in seconds; at most server.tencent.maxClockSkewSeconds from the server clock.' }),
  'x-tc-region': Type.Optional(Type.String({ description: 'Accepted and ignored.' })),
  authorization: Type.String({
    description: 'TC3-HMAC-SHA256 Credential=<SecretId>/<YYYY-MM-DD>/iai/tc3_request, SignedHeaders=content-type;host, Signature=<hex>',
  }),
});

/** Request body of DetectLiveFaceAccurate. */
export const TencentRequestBody = Type.Object({
  Image: Type.Optional(Type.String({ description: 'base64 of the image; at most 5 MB of base64.' })),
  Url: Type.Optional(Type.String({ description: 'URL of the image; wins over Image when both are given.' })),
  FaceModelVersion: Type.Optional(Type.String({ description: 'Only "3.0".' })),
});

/** Success envelope. */
export const TencentSuccessResponse = Type.Object({
  Response: Type.Object({
    Score: Type.Number({ description: 'Liveness score 0..100 (the engine score); Tencent recommends 40 as threshold.' }),
    FaceModelVersion: Type.String(),
    RequestId: Type.String({ format: 'uuid' }),
  }),
});

/** Error envelope (HTTP 200). */
export const TencentErrorResponse = Type.Object({
  Response: Type.Object({
    Error: Type.Object({ Code: Type.String({ description: 'See docs/errors.md.' }), Message: Type.String() }),
    RequestId: Type.String(),
  }),
});
