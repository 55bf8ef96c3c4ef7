/**
 * `node --import tsx test/helpers/serve-upstream-mirror.ts <folder>`: serves a folder of upstream
 * files on loopback (see upstream-mirror.ts), prints its URL on the first line of stdout, and
 * runs until SIGTERM or SIGINT. `.ci/run` uses it to build the models directory the way
 * `facelive models fetch` does on a user's machine, without internet.
 */
import { startUpstreamMirror } from './upstream-mirror.js';

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: serve-upstream-mirror.ts <folder laid out as owner/repo/commit/path>\n');
  process.exit(2);
}
const mirror = await startUpstreamMirror({ root });
process.stdout.write(`${mirror.url}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void mirror.close());
