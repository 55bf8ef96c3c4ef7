/**
 * Child process for the store crash test: saves two-image submissions in a loop until it is
 * killed. argv: <sqlite|postgres> <dataDir or connection string> [schema]
 */
import { randomUUID } from 'node:crypto';
import { openResultStore } from '../../src/store/open-store.js';

const [kind, location, schema] = process.argv.slice(2);
const store = await openResultStore(kind === 'postgres' ? { dataDir: '', postgresUrl: location, postgresSchema: schema } : { dataDir: location });
const image = new Uint8Array(256 * 1024).fill(7);
process.stdout.write('ready\n');
for (;;) {
  await store.save({
    id: randomUUID(),
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 3_600_000),
    result: { score: 50 },
    images: [
      { role: 'far', format: 'jpeg', bytes: image },
      { role: 'near', format: 'jpeg', bytes: image },
    ],
  });
}
