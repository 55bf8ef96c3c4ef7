/**
 * Runs a Python script of `test/helpers/sdk/` with an official vendor SDK on its PYTHONPATH and
 * reads the one JSON line it prints. Debian's interpreter (/usr/bin/python3) is preferred: the
 * SDKs' dependencies are Debian packages (python3-requests, python3-httpx; .ci/run installs them),
 * which another python3 on the PATH (pyenv) does not see.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

/** The interpreter the SDK suites run. */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/**
 * Runs `script` (a file of test/helpers/sdk/) with `job` as JSON on its stdin, `pythonPath`
 * prepended to PYTHONPATH and no proxy (the calls go to loopback); resolves with the parsed last
 * line of its output, rejects with its stderr when it fails.
 *
 * @example
 * const answer = await runPythonSdk('tencent_detect.py', { endpoint: '127.0.0.1:8080', … }, TENCENT_SDK_DIR);
 */
export function runPythonSdk<T = Record<string, any>>(script: string, job: unknown, pythonPath: string): Promise<T> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: pythonPath, NO_PROXY: '*', no_proxy: '*', PYTHONDONTWRITEBYTECODE: '1' };
  delete env.HTTP_PROXY;
  delete env.http_proxy;
  delete env.HTTPS_PROXY;
  delete env.https_proxy;
  return new Promise((resolve, reject) => {
    const child = execFile(
      PYTHON,
      [path.join(REPO_ROOT, 'test/helpers/sdk', script)],
      { env, timeout: 60_000, maxBuffer: 4 << 20 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${script} failed: ${error.message}\n${stderr}`));
        const last = stdout.trim().split('\n').at(-1) ?? '';
        try {
          resolve(JSON.parse(last) as T);
        } catch {
          reject(new Error(`${script} printed no JSON line: ${stdout}\n${stderr}`));
        }
      },
    );
    // On stdin: a base64 image exceeds what one argument may hold (128 KiB on Linux).
    child.stdin?.end(JSON.stringify(job));
  });
}
