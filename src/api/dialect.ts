/**
 * What a vendor dialect (or the native API) declares about itself. Each dialect folder exports one
 * {@link Dialect}; `dialects.ts` lists them, and everything the server does per dialect is derived
 * from that list: route registration, the `server.<name>` config sections, the credential
 * environment variables, the credential registry, OpenAPI tags and security schemes, the error
 * table of docs/errors.md, log redaction, the answer to unknown routes and framework errors, and
 * the generic test matrices. docs/dialects.md explains each field.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { TObject, TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { FaceliveError, HttpErrorCode } from '../errors/catalogue.js';
import type { DialectPluginOptions } from './api-context.js';

/** An error as a dialect answers it; pure data, so raw sockets (431, 408) can send it too. */
export interface RenderedError {
  readonly status: number;
  /** Extra headers (Retry-After, WWW-Authenticate…); content type and request id are added by the sender. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** How a dialect answers errors. */
export interface DialectErrors {
  /** Column heading of this dialect in the table of docs/errors.md, e.g. `Tencent Cloud (HTTP 200)`. */
  readonly heading: string;
  /**
   * The dialect's own `Record<HttpErrorCode, …>` (checked with `satisfies` in its folder), for the
   * coverage test: every HTTP code is mapped, no other.
   */
  readonly mapping: Readonly<Record<HttpErrorCode, unknown>>;
  /** How a code reads in the docs table, e.g. `400 invalid_image`. */
  describe(code: HttpErrorCode): string;
  /** The envelope of `error` for the request `requestId`. */
  render(error: FaceliveError<HttpErrorCode>, requestId: string): RenderedError;
  /** JSON schema of the error envelope (OpenAPI component `<name>Error`; the tests validate framework errors against it). */
  readonly schema: TSchema;
}

/**
 * Where a dialect's credentials are in its config section and which environment variables add
 * one. A credential is a secret (bearer token) or an id/secret pair; every entry may also carry
 * `name`, `ratePerSecond` and `burst` (see `config/credential-fields.ts`).
 */
export interface CredentialSource {
  /** Key of the credential list in the section, e.g. `credentials` for `server.tencent.credentials`. */
  readonly list: string;
  /** Field of the public half of a pair (appears in logs); absent for bearer secrets. */
  readonly idField?: string;
  /** Field of the secret (never logged, never in error messages). */
  readonly secretField: string;
  /** Environment variables that add one credential, by field; all of them or none must be set. */
  readonly env: Readonly<Record<string, string>>;
}

/** An OpenAPI security scheme (components.securitySchemes entry). */
export type SecurityScheme =
  | { readonly type: 'http'; readonly scheme: string; readonly description: string }
  | { readonly type: 'apiKey'; readonly in: 'header' | 'query'; readonly name: string; readonly description: string };

/**
 * A request to `/`, as a root dialect's claim sees it. Vendor RPC APIs (Tencent Cloud, Alibaba
 * Cloud) all post to `/` and name the action in a header or the query string.
 */
export interface RootRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** The query string's parameters (empty when there is none). */
  readonly query: URLSearchParams;
}

/** One HTTP surface: the native API or a vendor dialect. */
export interface Dialect<Name extends string = string, Section extends TObject = TObject> {
  /** Stable name: config section `server.<name>`, log field `dialect`, OpenAPI tag. Lower case. */
  readonly name: Name;
  /** Display name in messages and docs, e.g. `Tencent Cloud`. */
  readonly title: string;
  /**
   * Path prefix the plugin is registered under; errors and unknown routes below it are answered
   * in this dialect's envelope. `''` registers at the root and owns only `/` itself.
   */
  readonly prefix: string;
  /**
   * The path prefixes whose errors and unknown routes this dialect answers, when they are not just
   * `prefix`: a vendor whose routes live under several roots (`/oauth/2.0`, `/rest/2.0/face`)
   * registers at `''` with absolute route paths and lists them here. `''` in the list stands for
   * `/` itself. Default: `[prefix]`.
   */
  readonly owns?: readonly string[];
  /**
   * For a dialect owning `/` (several may: each vendor RPC API posts to `/`): whether a request to
   * `/` is this dialect's, from its method, headers and query. The first root dialect whose claim
   * holds gets the request; an unclaimed request other than GET/HEAD goes to the first root
   * dialect, an unclaimed GET/HEAD to the server's own page. Routes a root dialect registers at
   * `/` only ever see requests it claimed (or the unclaimed ones, for the first).
   */
  readonly claims?: (request: RootRequest) => boolean;
  /**
   * The exact Content-Type of this dialect's JSON answers, when a client needs one (Tencent's
   * Python SDK reads an error only under exactly `application/json`, which Tencent sends without
   * a charset). Default: `application/json; charset=utf-8`.
   */
  readonly contentType?: string;
  /** The fastify plugin, loaded on demand so that the config and log modules stay free of the server. */
  readonly plugin: () => Promise<FastifyPluginAsync<DialectPluginOptions>>;
  readonly errors: DialectErrors;
  /** TypeBox schema of `server.<name>`; every field with its default and description. */
  readonly config: Section;
  readonly credentials: CredentialSource;
  readonly openapi: {
    /** Description of the OpenAPI tag `<name>`. */
    readonly tag: string;
    /** Security schemes its routes name in `security`. */
    readonly securitySchemes: Readonly<Record<string, SecurityScheme>>;
  };
  /** pino redaction paths for fields and headers only this dialect uses (image fields, token headers). */
  readonly redactPaths: readonly string[];
}
