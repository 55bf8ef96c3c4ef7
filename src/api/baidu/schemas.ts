/** OpenAPI description of the Baidu AI Cloud dialect (the faceverify body is checked in faceverify-request.ts, in Baidu's order). */
import { Type, type Static } from '@sinclair/typebox';

const envelopeFields = {
  error_code: Type.Integer({ description: '0 on success; see docs/errors.md.' }),
  error_msg: Type.String({ description: "`SUCCESS`, or Baidu's text for the code." }),
  log_id: Type.Integer({ minimum: 0, description: 'Request number, below 2^53, derived from request_id.' }),
  timestamp: Type.Integer({ description: 'Unix seconds.' }),
  cached: Type.Literal(0),
  request_id: Type.String({ description: 'facelive: the x-request-id of this answer.' }),
};

/** One image of a faceverify call. */
export const FaceverifyImage = Type.Object({
  image: Type.String({ description: 'base64 of the image (no data: prefix, at most limits.maxEncodedBytes decoded), or its http(s) URL.' }),
  image_type: Type.String({ description: '`BASE64` or `URL` (`FACE_TOKEN` is refused: facelive keeps no face store).' }),
  face_field: Type.Optional(Type.String({ description: 'Comma-separated extras; accepted, none is produced (facelive has no attribute models).' })),
  option: Type.Optional(Type.String({ description: 'Scene hint (`COMMON`, `GATE`…); accepted and ignored.' })),
});

/** The faceverify body: a JSON array of one image (sent as JSON or, as the Node SDK does, with the form content type). */
export const FaceverifyBody = Type.Array(FaceverifyImage, { minItems: 1, maxItems: 1 });

/** Query of a faceverify call. */
export const FaceverifyQuery = Type.Object({
  access_token: Type.Optional(
    Type.String({ description: 'From POST /oauth/2.0/token; the value is cut at a second `?` (the Node SDK appends `?aipSdk=node` to it).' }),
  ),
  aipSdk: Type.Optional(Type.String({ description: 'Sent by the SDK; ignored.' })),
});

/** One face of `face_list`. */
export const BaiduFace = Type.Object({
  face_token: Type.String({ description: '32 hex digits, stable for the same image and face.' }),
  location: Type.Object({
    left: Type.Number(),
    top: Type.Number(),
    width: Type.Integer(),
    height: Type.Integer(),
    rotation: Type.Integer({ description: 'Roll of the eye line, degrees, clockwise.' }),
  }),
  face_probability: Type.Number({ description: 'Detector confidence 0..1.' }),
  angle: Type.Object({
    yaw: Type.Number(),
    pitch: Type.Number({ description: 'Not estimated: 0.' }),
    roll: Type.Number(),
  }),
  liveness: Type.Object({ livemapscore: Type.Number({ minimum: 0, maximum: 1 }) }),
});

/** `result` of a faceverify success. */
export const FaceverifyResult = Type.Object({
  thresholds: Type.Object({
    'frr_1e-4': Type.Number({ description: 'Lenient: the map of the ladder rung below the decision threshold.' }),
    'frr_1e-3': Type.Number({ description: 'The decision threshold: 0.3.' }),
    'frr_1e-2': Type.Number({ description: 'Strict: the map of the ladder rung above the decision threshold.' }),
  }),
  face_liveness: Type.Number({ minimum: 0, maximum: 1, description: 'Liveness 0..1; live when at or above the chosen threshold.' }),
  face_list: Type.Array(BaiduFace),
});

/** Success envelope. */
export const FaceverifySuccess = Type.Object({ ...envelopeFields, error_code: Type.Literal(0), error_msg: Type.Literal('SUCCESS'), result: FaceverifyResult });

/** Error envelope (HTTP 200). */
export const BaiduErrorResponse = Type.Object({
  ...envelopeFields,
  result: Type.Null(),
  error_detail: Type.String({ description: 'facelive: `<catalogue code>: <message>`.' }),
});

/** Token request fields, in the query and/or a form body. */
export const TokenParams = Type.Object({
  grant_type: Type.Optional(Type.String({ description: '`client_credentials`' })),
  client_id: Type.Optional(Type.String({ description: 'API Key' })),
  client_secret: Type.Optional(Type.String({ description: 'Secret Key' })),
});

/** Token request fields as read. */
export type TokenParamsType = Static<typeof TokenParams>;

/** Token granted. */
export const TokenResponse = Type.Object({
  access_token: Type.String({ description: '`24.<32 hex>.<expires_in>.<expiry>.<n>-<API Key>`, HMAC-signed (no server state).' }),
  expires_in: Type.Integer({ description: 'Seconds: server.baidu.tokenLifetimeSeconds.' }),
  scope: Type.String({ description: 'Contains `brain_all_scope` (the SDK signs with bce-auth-v1 otherwise).' }),
  refresh_token: Type.String({ description: 'Placeholder (not accepted anywhere).' }),
  session_key: Type.String({ description: 'Placeholder.' }),
  session_secret: Type.String({ description: 'Placeholder.' }),
});

/** Token refused (OAuth shape). */
export const OAuthErrorResponse = Type.Object({
  error: Type.String({ description: '`invalid_client`, `unsupported_grant_type`, `invalid_request`' }),
  error_description: Type.String(),
});
