/**
 * `npx facelive --help` in the project prints the help and nothing on stderr: no npm warning
 * (an unknown key in a project .npmrc, for one, makes npm warn on every call). Needs `dist/`,
 * which `npm ci` builds.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../helpers/paths.js';

test('npx facelive --help: the help on stdout, nothing on stderr', async () => {
  assert.ok(existsSync(path.join(REPO_ROOT, 'dist/cli/main.js')), 'dist/ is built (npm ci runs the build)');
  const { stdout, stderr } = await promisify(execFile)('npx', ['--no-install', 'facelive', '--help'], { cwd: REPO_ROOT });
  assert.match(stdout, /^Usage: facelive \[options\] \[command\]/);
  assert.match(stdout, /models +fetch and verify the model pack/);
  assert.equal(stderr, '');
});
