/**
 * `node --import tsx bench/rss.ts`: resident memory of a `facelive serve` process with 1 and 2
 * inference workers, after the models are loaded and warmed and again after 20 analyses of a
 * sample photo (the figure docs/deploy.md sizes containers with). Not a test.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT, rssMiB } from './environment.js';

const modelsDir = path.resolve(process.env.FACELIVE_MODELS_DIR ?? path.join(REPO_ROOT, 'models'));
const photo = readFileSync(path.join(REPO_ROOT, '../shared/models/samples/image_T1.jpg'));

async function measure(workers: number): Promise<{ workers: number; readyMiB: number; afterMiB: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--workers', String(workers)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, FACELIVE_MODELS_DIR: modelsDir, FACELIVE_API_KEY: 'bench-key-0123456789abcdef', FACELIVE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let url = '';
  await new Promise<void>((resolve) =>
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = JSON.parse(line) as { msg: string; url?: string };
      if (parsed.url) url = parsed.url;
      if (parsed.msg === 'ready') resolve();
    }),
  );
  const readyMiB = Math.round(rssMiB(child.pid!));
  for (let i = 0; i < 20; i += 1) {
    const response = await fetch(`${url}/v1/liveness`, {
      method: 'POST',
      headers: { authorization: 'Bearer bench-key-0123456789abcdef', 'content-type': 'application/json' },
      body: JSON.stringify({ image: photo.toString('base64') }),
    });
    await response.arrayBuffer();
  }
  const afterMiB = Math.round(rssMiB(child.pid!));
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { workers, readyMiB, afterMiB };
}

for (const workers of [1, 2]) {
  const { readyMiB, afterMiB } = await measure(workers);
  console.log(`workers ${workers}: RSS ${readyMiB} MiB when ready, ${afterMiB} MiB after 20 analyses of the 640x480 sample photo`);
}
