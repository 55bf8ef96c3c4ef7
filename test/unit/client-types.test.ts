/**
 * The client's generated types are the server's: regenerated in memory from the OpenAPI document
 * of a server built in-process (no models) and from the error catalogue, they must equal the
 * committed files. A changed native route, schema or error code without `npm run client:types`
 * fails here, naming the command.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REGENERATE_COMMAND, clientDocument, generateClientTypes, openapiTypes, readServedDocument } from '../../client/scripts/generate-types.js';
import { REPO_ROOT } from '../helpers/paths.js';

test('the committed client types equal what the current server and catalogue generate', async () => {
  const files = await generateClientTypes();
  assert.deepEqual(
    files.map(({ file }) => path.relative(REPO_ROOT, file)),
    ['client/src/generated/openapi.ts', 'client/src/generated/error-codes.ts'],
  );
  for (const { file, text } of files) {
    const committed = readFileSync(file, 'utf8');
    assert.ok(
      committed === text,
      `${path.relative(REPO_ROOT, file)} is out of date: the native API or the error catalogue changed. Run \`${REGENERATE_COMMAND}\` and commit the result.`,
    );
  }
});

test('the client document keeps the native and probe routes only, and a schema change shows in the types', async () => {
  const served = await readServedDocument();
  const document = clientDocument(served);
  assert.deepEqual(Object.keys(document.paths ?? {}).sort(), ['/healthz', '/readyz', '/v1/liveness', '/v1/models']);
  assert.ok(Object.keys(served.paths ?? {}).includes('/face/detect-live'), 'the served document has the dialects too');

  // A field added to the liveness response: the types differ, so the drift test would fail.
  const before = await openapiTypes(document);
  const changed = structuredClone(document) as { paths: Record<string, any> };
  const schema = changed.paths['/v1/liveness'].post.responses['200'].content['application/json'].schema;
  schema.properties.retryHint = { type: 'string' };
  const after = await openapiTypes(changed as typeof document);
  assert.notEqual(after, before);
  assert.match(after, /retryHint\?: string/);
});
