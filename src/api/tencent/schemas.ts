/** OpenAPI description of the Tencent Cloud dialect (documentation only; see routes.ts). */
import { Type } from '@sinclair/typebox';

/** Headers of a TC3-signed call (a v1-signed call carries the same facts as parameters instead). */
export const TencentHeaders = Type.Object({
  'x-tc-action': Type.Optional(Type.String({ description: 'DetectLiveFaceAccurate (TC3; v1 sends the Action parameter).' })),
  'x-tc-version': Type.Optional(Type.String({ description: '2020-03-03' })),
  'x-tc-timestamp': Type.Optional(Type.String({ description: 'Unix time in seconds; at most server.tencent.maxClockSkewSeconds from the server clock.' })),
  'x-tc-region': Type.Optional(Type.String({ description: 'Accepted and ignored.' })),
  'x-tc-token': Type.Optional(
    Type.String({
      description: 'Session token of a temporary credential; must equal the token configured with the SecretId (server.tencent.credentials[].token).',
    }),
  ),
  authorization: Type.Optional(
    Type.String({ description: 'TC3-HMAC-SHA256 Credential=<SecretId>/<YYYY-MM-DD>/iai/tc3_request, SignedHeaders=content-type;host, Signature=<hex>' }),
  ),
});

/** Query of `GET /`: the action's parameters, and for signature v1 the common ones. */
export const TencentQuery = Type.Object({
  Image: Type.Optional(Type.String({ description: 'base64 of the image (mind the 16 KB request-line limit).' })),
  Url: Type.Optional(Type.String({ description: 'URL of the image; wins over Image when both are given.' })),
  FaceModelVersion: Type.Optional(Type.String({ description: 'Only "3.0".' })),
  Action: Type.Optional(Type.String({ description: 'v1: DetectLiveFaceAccurate.' })),
  Version: Type.Optional(Type.String({ description: 'v1: 2020-03-03.' })),
  SecretId: Type.Optional(Type.String({ description: 'v1: the SecretId.' })),
  Timestamp: Type.Optional(Type.String({ description: 'v1: Unix time in seconds.' })),
  Nonce: Type.Optional(Type.String({ description: 'v1: a random positive integer.' })),
  SignatureMethod: Type.Optional(Type.String({ description: 'v1: HmacSHA1 (default) or HmacSHA256.' })),
  Signature: Type.Optional(Type.String({ description: 'v1: base64 HMAC of <METHOD><host><path>?<sorted parameters>.' })),
  Token: Type.Optional(Type.String({ description: 'v1: session token of a temporary credential.' })),
  Region: Type.Optional(Type.String({ description: 'Accepted and ignored.' })),
});

/** Request body of DetectLiveFaceAccurate (JSON for TC3; v1 sends the same fields form-encoded, with its common parameters). */
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
