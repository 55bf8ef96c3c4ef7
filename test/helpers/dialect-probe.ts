/**
 * How the generic suites talk to a dialect: one probe per dialect, in
 * `test/helpers/dialect-probes/<name>.ts` (found by the dialect's name, so a new dialect adds its
 * probe file and no line anywhere else). A probe sends an image the dialect's own way, reads the
 * dialect's number and error code from its answers, and builds raw authenticated requests to the
 * dialect's main route for the framework-error cases.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Dialect } from '../../src/api/dialect.js';
import type { LivenessResult } from '../../src/engine/types.js';

/** An image as a case sends it; a probe returns undefined when its dialect cannot carry that form. */
export type ProbeInput =
  | { readonly kind: 'base64'; readonly value: string }
  | { readonly kind: 'url'; readonly url: string }
  /** No image field at all. */
  | { readonly kind: 'none' }
  /** The image field with a value of the wrong JSON type. */
  | { readonly kind: 'wrongType' };

/** A raw request: the body as sent, with its content type. */
export interface RawBody {
  readonly payload: Buffer;
  readonly contentType: string;
}

/** Method, URL, headers and body for `app.inject` (or a socket). */
export interface ProbeRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: Buffer | string;
}

export interface DialectProbe {
  /** Content types the main route reads (the rest must answer REQUEST_CONTENT_TYPE_UNSUPPORTED); `form` is application/x-www-form-urlencoded. */
  readonly accepts: { readonly json: boolean; readonly multipart: boolean; readonly form?: boolean };
  /** Name of the file part carrying the image, when the main route reads multipart. */
  readonly fileField?: string;
  /** An authenticated request to the main route carrying `body` as is. */
  raw(body: RawBody): ProbeRequest;
  /** Whether the dialect can carry `input` at all (AccuAuth takes files, not base64 text; ADVANCE.AI takes no URLs). */
  carries(input: ProbeInput): boolean;
  /** Sends `input` (which it carries); the response that carries the verdict (for flows, the read-back). */
  analyse(app: FastifyInstance, input: ProbeInput): Promise<LightMyRequestResponse>;
  /** The dialect's number in a successful answer. */
  numberOf(response: LightMyRequestResponse): number;
  /** What that number must be for an engine result. */
  expectedNumber(result: LivenessResult): number;
  /** `<HTTP status> <vendor code>` of an error answer, or undefined when it is no error envelope of this dialect. */
  errorOf(status: number, body: unknown): string | undefined;
  /** A path under the dialect's prefix that no route serves, with a method. */
  readonly unknownRoute: { readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'; readonly url: string };
}

/** The probe of `dialect`, from `dialect-probes/<name>.ts`; fails with a clear message when there is none. */
export async function probeOf(dialect: Dialect): Promise<DialectProbe> {
  try {
    const module = (await import(`./dialect-probes/${dialect.name}.ts`)) as { probe: DialectProbe };
    return module.probe;
  } catch (error) {
    throw new Error(`the ${dialect.name} dialect has no test probe: add test/helpers/dialect-probes/${dialect.name}.ts (see docs/dialects.md)`, {
      cause: error,
    });
  }
}

/** multipart/form-data by hand, as SDKs send it: file parts (bytes) and text fields. */
export function multipartBody(parts: readonly ({ name: string; file: Buffer; filename?: string } | { name: string; value: string })[]): RawBody {
  const boundary = '----faceliveProbeBoundary7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('file' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename ?? 'image.jpg'}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        part.file,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** An application/x-www-form-urlencoded body. */
export function formBody(fields: Readonly<Record<string, string>>): RawBody {
  return { payload: Buffer.from(new URLSearchParams(fields).toString()), contentType: 'application/x-www-form-urlencoded' };
}

/** A JSON body. */
export function jsonBody(value: unknown): RawBody {
  return { payload: Buffer.from(JSON.stringify(value)), contentType: 'application/json' };
}

/** Sends a probe request in-process. */
export function send(app: FastifyInstance, request: ProbeRequest): Promise<LightMyRequestResponse> {
  return app.inject({ method: request.method, url: request.url, headers: request.headers, payload: request.payload });
}

/** What differs between dialects whose main route takes the image as a JSON string (base64 or URL). */
export interface JsonImageDialect {
  readonly raw: (body: RawBody) => ProbeRequest;
  /** JSON field names of the base64 image and of its URL. */
  readonly fields: { readonly base64: string; readonly url: string };
  readonly fileField?: string;
  readonly numberOf: DialectProbe['numberOf'];
  readonly errorOf: DialectProbe['errorOf'];
  readonly unknownRoute: DialectProbe['unknownRoute'];
}

/** The probe of a JSON dialect whose number is the engine's score itself (native, Tencent, Ace Data). */
export function jsonImageProbe(dialect: JsonImageDialect): DialectProbe {
  const body = (input: ProbeInput): unknown => {
    switch (input.kind) {
      case 'base64':
        return { [dialect.fields.base64]: input.value };
      case 'url':
        return { [dialect.fields.url]: input.url };
      case 'none':
        return {};
      case 'wrongType':
        return { [dialect.fields.url]: 12345 };
    }
  };
  return {
    accepts: { json: true, multipart: dialect.fileField !== undefined },
    fileField: dialect.fileField,
    raw: dialect.raw,
    carries: () => true,
    analyse: (app, input) => send(app, dialect.raw(jsonBody(body(input)))),
    numberOf: dialect.numberOf,
    expectedNumber: (result) => result.score,
    errorOf: dialect.errorOf,
    unknownRoute: dialect.unknownRoute,
  };
}
