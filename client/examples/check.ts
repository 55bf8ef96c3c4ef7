// Checks one photo with facelive: npx tsx check.ts selfie.jpg
// FACELIVE_URL (default http://127.0.0.1:8080) and FACELIVE_API_KEY say where and as whom.
import { readFile } from 'node:fs/promises';
import { FaceliveApiError, FaceliveClient } from '@facelive/client';

const client = new FaceliveClient({
  baseUrl: process.env.FACELIVE_URL ?? 'http://127.0.0.1:8080',
  apiKey: process.env.FACELIVE_API_KEY,
  timeoutMs: 15_000, // for the whole call, retries included
  retries: 3, // when facelive is overloaded, still loading or rate-limiting this key
});

const file = process.argv[2] ?? 'selfie.jpg';
try {
  const result = await client.check(await readFile(file));
  console.log(`${file}: ${result.decision}, score ${result.score.toFixed(1)} (live from ${result.threshold})`);
  if (result.decision === 'retry') console.log(`take another photo: ${result.retryReasons.join(', ')}`);
} catch (error) {
  if (!(error instanceof FaceliveApiError)) throw error; // network failure or timeout
  console.error(`${file}: refused, ${error.code} (HTTP ${error.status}, request ${error.requestId}): ${error.message}`);
  process.exitCode = 1;
}
