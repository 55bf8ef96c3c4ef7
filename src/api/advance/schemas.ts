/** Route schemas of the ADVANCE.AI dialect (bodies are validated; unknown fields are ignored). */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** `data`, or null (errors and lookups that found nothing answer in the same envelope). */
function orNull(data: TSchema) {
  return Type.Union([data, Type.Null()]);
}

/** The envelope around `data`. */
function envelope(data: TSchema) {
  return Type.Object({
    code: Type.String({ description: 'SUCCESS, or an error code (docs/errors.md).' }),
    message: Type.String({ description: 'OK, or the facelive code and message of the error.' }),
    data,
    extra: Type.Null(),
    transactionId: Type.String({ description: 'The request id (x-request-id).' }),
    pricingStrategy: Type.Literal('FREE'),
  });
}

/** `POST /openapi/auth/ticket/v1/generate-token` body. */
export const TokenRequestBody = Type.Object(
  {
    accessKey: Type.String({ maxLength: 128 }),
    timestamp: Type.Union([Type.String({ maxLength: 32 }), Type.Integer()], { description: 'Unix time in milliseconds.' }),
    signature: Type.String({ maxLength: 128, description: 'hex SHA-256 of accessKey + secretKey + timestamp (as sent).' }),
    periodSecond: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 16 })], { description: 'Token lifetime, seconds (default 3600).' })),
  },
  { additionalProperties: true },
);
/** The validated body. */
export type TokenRequestBodyType = Static<typeof TokenRequestBody>;

/** Token API answer. */
export const TokenResponse = envelope(orNull(Type.Object({ token: Type.String(), expiredTime: Type.Integer({ description: 'ms since epoch' }) })));

/** `POST /openapi/liveness/v3/submit` JSON body. */
export const SubmitJsonBody = Type.Object(
  {
    image: Type.Optional(Type.String({ description: 'One photo, base64.' })),
    imageFar: Type.Optional(Type.String({ description: 'Far photo of a pair, base64.' })),
    imageNear: Type.Optional(Type.String({ description: 'Near photo of a pair, base64.' })),
  },
  { additionalProperties: true },
);
/** The validated JSON body. */
export type SubmitJsonBodyType = Static<typeof SubmitJsonBody>;

/** The same as multipart file parts (OpenAPI only; the handler streams the parts). */
export const SubmitMultipartBody = Type.Object({
  image: Type.Optional(Type.String({ format: 'binary' })),
  imageFar: Type.Optional(Type.String({ format: 'binary' })),
  imageNear: Type.Optional(Type.String({ format: 'binary' })),
});

/** Submission answer. */
export const SubmitResponse = envelope(orNull(Type.Object({ livenessId: Type.String() })));

/** `POST /openapi/liveness/v3/detection-result` body. */
export const DetectionResultBody = Type.Object(
  {
    livenessId: Type.Optional(Type.String({ description: 'From the submission.' })),
    signatureId: Type.Optional(Type.String({ description: 'Accepted as a livenessId (facelive has no signatureId API); wins over livenessId.' })),
    resultType: Type.Optional(Type.String({ description: 'IMAGE_URL (default) or IMAGE_BASE64: the form of detectionResult.' })),
    region: Type.Optional(Type.String({ description: 'Accepted and ignored.' })),
  },
  { additionalProperties: true },
);
/** The validated body. */
export type DetectionResultBodyType = Static<typeof DetectionResultBody>;

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableTime = Type.Union([Type.Integer(), Type.Null()]);

/** Detection-result answer. */
export const DetectionResultResponse = envelope(
  orNull(
    Type.Object({
      detectionResult: Type.String({ description: 'The near photo (or the single photo): URL or base64 per resultType.' }),
      livenessScore: Type.Number({ description: "0..100; < 50 possible attack. 50 sits on facelive's decision threshold." }),
      auditImageUrl: Type.Null(),
      imageFarUrl: NullableString,
      imageNearUrl: NullableString,
      farImageTime: NullableTime,
      nearImageTime: NullableTime,
      attackType: Type.Union([Type.Literal(1), Type.Literal(3), Type.Null()], { description: '1 presentation attack, 3 unsure (retry), null live.' }),
      attackSubType: Type.Null(),
    }),
  ),
);

/** Every error, and the lookup answers without data (LIVENESS_ID_NOT_EXISTED, RESULT_NOT_FOUND). */
export const AdvanceErrorResponse = envelope(Type.Null());

/** `GET /openapi/liveness/v3/image/:token` */
export const ImageParams = Type.Object({ token: Type.String() });
