/**
 * Child process for the failed-write test: opens the SQLite store in argv[2], saves one
 * submission whose image is argv[3] bytes, and prints `{"code": …}` (null when it was stored).
 * The test runs it under a file size limit (`ulimit -f`), so the image write fails for real.
 */
import { randomUUID } from 'node:crypto';
import { openResultStore } from '../../src/store/open-store.js';

const [dataDir, size] = process.argv.slice(2);
const store = await openResultStore({ dataDir });
let code: string | null = null;
try {
  await store.save({
    id: randomUUID(),
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 3_600_000),
    result: { score: 1 },
    images: [{ role: 'single', format: 'jpeg', bytes: new Uint8Array(Number(size)).fill(7) }],
  });
} catch (error) {
  code = (error as { code?: string }).code ?? String(error);
}
await store.close();
process.stdout.write(`${JSON.stringify({ code })}\n`);
