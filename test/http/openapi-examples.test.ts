/**
 * What the docs page needs to work: every operation of /docs/json documents a real example for
 * its JSON request body and every JSON answer (success and error envelopes), each one valid
 * against its own schema; and a multipart form sent the way HTML forms and Swagger UI's "Try it
 * out" send it (every field, the unfilled ones empty) reads the empty fields as absent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { multipartBody } from '../helpers/dialect-probe.js';
import { ACCUAUTH_AUTH, NATIVE_AUTH, httpConfig, testImages, testPool, testServer, type TestImages } from '../helpers/http-server.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface Media {
  readonly schema?: unknown;
  readonly example?: unknown;
  readonly examples?: Record<string, { value: unknown }>;
}

function examplesOf(media: Media): unknown[] {
  if (media.example !== undefined) return [media.example];
  return Object.values(media.examples ?? {}).map((entry) => entry.value);
}

function pointer(...parts: string[]): string {
  return `#/${parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

describe('docs page: examples and empty form fields', () => {
  let pool: EnginePool;
  let app: FastifyInstance;
  let images: TestImages;

  before(async () => {
    images = await testImages();
    const config = httpConfig();
    pool = await testPool(config);
    ({ app } = await testServer(config, pool));
  });
  after(async () => {
    await app?.close();
    await pool?.close();
  });

  test('every operation has a valid example for its JSON body and each JSON answer', async () => {
    const spec = (await app.inject({ url: '/docs/json' })).json();
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(spec, 'spec');
    const problems: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries<Record<string, any>>(spec.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        const media: [string, Media, string][] = [];
        const json = operation.requestBody?.content?.['application/json'];
        if (json) media.push([`${where} request`, json, pointer('paths', path, method, 'requestBody', 'content', 'application/json', 'schema')]);
        for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
          const answer = response.content?.['application/json'];
          if (answer) media.push([`${where} ${status}`, answer, pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')]);
        }
        for (const [name, entry, schemaPointer] of media) {
          const examples = examplesOf(entry);
          if (examples.length === 0) problems.push(`${name}: no example`);
          const validate = ajv.getSchema(`spec${schemaPointer}`)!;
          for (const example of examples) {
            checked += 1;
            if (JSON.stringify(example).includes('"string"')) problems.push(`${name}: a placeholder "string"`);
            if (!validate(example)) problems.push(`${name}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(example).slice(0, 200)}`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(checked >= 25, `only ${checked} examples`);
  });

  test('native multipart: empty imageUrl, threshold and returnFaces fields are absent', async () => {
    const form = multipartBody([
      { name: 'image', file: images.live },
      { name: 'imageUrl', value: '' },
      { name: 'threshold', value: '' },
      { name: 'returnFaces', value: '' },
    ]);
    const response = await app.inject({
      method: 'POST',
      url: '/v1/liveness',
      headers: { ...NATIVE_AUTH, 'content-type': form.contentType },
      payload: form.payload,
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.score, (await pool.analyse(images.live)).score);
    assert.ok(Array.isArray(body.faces), 'returnFaces defaults to true');
  });

  test('a file input with no file chosen (filename="") is absent too; a filled field still counts', async () => {
    const form = multipartBody([
      { name: 'image', file: Buffer.alloc(0), filename: '' },
      { name: 'imageUrl', value: 'not a url' },
      { name: 'threshold', value: '' },
    ]);
    const response = await app.inject({
      method: 'POST',
      url: '/v1/liveness',
      headers: { ...NATIVE_AUTH, 'content-type': form.contentType },
      payload: form.payload,
    });
    assert.equal(response.json().error.code, 'URL_INVALID', response.body);
    const bad = multipartBody([
      { name: 'image', file: images.live },
      { name: 'threshold', value: 'abc' },
    ]);
    const refused = await app.inject({
      method: 'POST',
      url: '/v1/liveness',
      headers: { ...NATIVE_AUTH, 'content-type': bad.contentType },
      payload: bad.payload,
    });
    assert.equal(refused.json().error.code, 'INVALID_ARGUMENT');
  });

  test('AccuAuth: empty optional fields of its form are absent as well', async () => {
    const form = multipartBody([
      { name: 'liveness_data_file', file: images.live },
      { name: 'liveness_data_url', value: '' },
      { name: 'return_image', value: '' },
      { name: 'return_extra', value: '' },
    ]);
    const response = await app.inject({
      method: 'POST',
      url: '/face/liveness_anti_hack',
      headers: { ...ACCUAUTH_AUTH, 'content-type': form.contentType },
      payload: form.payload,
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().status, 'OK');
  });
});
