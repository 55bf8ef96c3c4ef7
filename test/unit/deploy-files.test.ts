/**
 * What can be checked of deploy/ without container tooling (none runs on these machines): the
 * compose file and the Kubernetes manifests parse; every FACELIVE_* variable they (and the
 * Dockerfile) set is one the configuration reads, and their values load as a valid config; the
 * probe paths answer on a server built from the code, on the port the manifests use; every
 * command they run is the package's bin with a subcommand of the CLI; the Dockerfile installs and
 * starts facelive with the README's commands.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { parse, parseAllDocuments } from 'yaml';
import { DIALECTS } from '../../src/api/dialects.js';
import { buildProgram } from '../../src/cli/program.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { buildServer } from '../../src/server.js';
import { REPO_ROOT } from '../helpers/paths.js';

/**
 * Subcommands the deploy files may run before the CLI has them (none today). Once the CLI has a
 * command listed here, the test fails until the entry is removed, so the check tightens itself.
 */
const PENDING_COMMANDS = new Set<string>([]);

const DEPLOY = path.join(REPO_ROOT, 'deploy');
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

type Json = Record<string, any>;

const compose = parse(read('deploy/compose.yaml'), { merge: true }) as Json;
const manifests: Json[] = readdirSync(path.join(DEPLOY, 'k8s'))
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(read(`deploy/k8s/${file}`)).map((doc) => {
      assert.deepEqual(doc.errors, [], `deploy/k8s/${file}`);
      return doc.toJS() as Json;
    }),
  );
const dockerfile = read('deploy/Dockerfile');
const packageJson = JSON.parse(read('package.json')) as Json;

function ofKind(kind: string): Json[] {
  return manifests.filter((manifest) => manifest.kind === kind);
}

/** Dockerfile instructions with their arguments, continuation lines joined. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** ENV of the Dockerfile: KEY=VALUE pairs. */
function dockerfileEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructions(dockerfile).filter((i) => i.op === 'ENV')) {
    for (const pair of args.split(/\s+/)) {
      const [key, value] = pair.split('=');
      env[key] = value;
    }
  }
  return env;
}

/** Every FACELIVE_* variable the configuration reads: load-config.ts and the dialects' credential variables. */
function knownVariables(): Set<string> {
  const fromLoader = read('src/config/load-config.ts').match(/FACELIVE_[A-Z0-9_]+/g) ?? [];
  const fromDialects = DIALECTS.flatMap((dialect) => Object.values(dialect.credentials.env as Record<string, string>));
  return new Set([...fromLoader, ...fromDialects]);
}

/** Every container spec of the manifests, with its Deployment. */
function containers(): { deployment: Json; container: Json }[] {
  return ofKind('Deployment').flatMap((deployment) => (deployment.spec.template.spec.containers as Json[]).map((container) => ({ deployment, container })));
}

function facelive(command: readonly string[]): string {
  const bin = String(packageJson.bin.facelive).replace(/^\.\//, '');
  assert.deepEqual(command.slice(0, 2), ['node', bin], `${command.join(' ')} should run the package's bin`);
  assert.equal(command.length, 3, command.join(' '));
  return command[2];
}

describe('deploy/', () => {
  test('the compose file: PostgreSQL, Redis, two facelive instances, one batch worker', () => {
    const services = compose.services as Json;
    assert.ok(services.postgres.image.startsWith('postgres:'));
    assert.ok(services.redis.image.startsWith('redis:'));
    const built = Object.entries(services).filter(([, service]) => service.build?.dockerfile === 'deploy/Dockerfile');
    const servers = built.filter(([, service]) => service.command === undefined);
    const workers = built.filter(([, service]) => service.command !== undefined);
    assert.equal(servers.length, 2);
    assert.deepEqual(
      workers.map(([, service]) => facelive(service.command)),
      ['worker'],
    );
    for (const [, service] of built) assert.equal(service.environment.FACELIVE_REDIS_URL, 'redis://redis:6379');
  });

  test('the manifests: server and worker Deployments, Service, HPA, PDB, Secret, ConfigMap, all pointing at each other', () => {
    const deployments = ofKind('Deployment');
    assert.deepEqual(deployments.map((d) => facelive(d.spec.template.spec.containers[0].command)).sort(), ['serve', 'worker']);
    const server = deployments.find((d) => d.spec.template.spec.containers[0].command.includes('serve'))!;
    const podLabels = server.spec.template.metadata.labels as Json;
    const selects = (selector: Json) => Object.entries(selector).every(([key, value]) => podLabels[key] === value);
    assert.ok(selects(ofKind('Service')[0].spec.selector));
    assert.ok(selects(ofKind('PodDisruptionBudget')[0].spec.selector.matchLabels));
    assert.equal(ofKind('HorizontalPodAutoscaler')[0].spec.scaleTargetRef.name, server.metadata.name);
    const configMap = ofKind('ConfigMap')[0].metadata.name;
    const secret = ofKind('Secret')[0].metadata.name;
    for (const { container } of containers()) {
      assert.deepEqual(container.envFrom, [{ configMapRef: { name: configMap } }, { secretRef: { name: secret } }]);
      assert.ok(container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.memory);
    }
  });

  test('every FACELIVE_* variable set is one the configuration reads, and the values load', () => {
    const known = knownVariables();
    const composeEnv = Object.values(compose.services as Json).flatMap((service) => Object.keys(service.environment ?? {}));
    const configMap = ofKind('ConfigMap')[0].data as Record<string, string>;
    const secret = ofKind('Secret')[0].stringData as Record<string, string>;
    const set = [...composeEnv, ...Object.keys(configMap), ...Object.keys(secret), ...Object.keys(dockerfileEnv())].filter((name) =>
      name.startsWith('FACELIVE_'),
    );
    assert.ok(set.length > 10);
    assert.deepEqual(
      set.filter((name) => !known.has(name)),
      [],
    );
    // NODE_ENV and the like aside, nothing else is set.
    assert.deepEqual(
      [...Object.keys(configMap), ...Object.keys(secret)].filter((name) => !name.startsWith('FACELIVE_')),
      [],
    );
    const config = loadConfig({}, { ...dockerfileEnv(), ...configMap, ...secret });
    assert.equal(config.redis.url, secret.FACELIVE_REDIS_URL);
    assert.equal(config.server.drainDelayMs, Number(configMap.FACELIVE_DRAIN_DELAY_MS));
  });

  test('probe paths answer on a server built from the code, on the port the manifests and the image use', async () => {
    const port = Number(dockerfileEnv().FACELIVE_PORT);
    assert.ok(instructions(dockerfile).some((i) => i.op === 'EXPOSE' && i.args === String(port)));
    assert.equal(Number(ofKind('ConfigMap')[0].data.FACELIVE_PORT), port);
    const paths = new Set<string>();
    for (const { container } of containers().filter(({ container }) => container.command.includes('serve'))) {
      const named = new Map((container.ports as Json[]).map((p) => [p.name, p.containerPort]));
      assert.equal(named.get('http'), port);
      assert.equal(container.readinessProbe.httpGet.path, '/readyz');
      assert.equal(container.livenessProbe.httpGet.path, '/healthz');
      for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe].filter(Boolean)) {
        assert.equal(named.get(probe.httpGet.port) ?? probe.httpGet.port, port);
        paths.add(probe.httpGet.path);
      }
    }
    const healthcheck = instructions(dockerfile).find((i) => i.op === 'HEALTHCHECK')!;
    const checked = /http:\/\/127\.0\.0\.1:(\d+)(\/\w+)/.exec(healthcheck.args)!;
    assert.equal(Number(checked[1]), port);
    paths.add(checked[2]);

    // The models never load here (no model pack in unit tests): /readyz answers 503 "loading".
    const never = new Promise<EnginePool>(() => undefined);
    const app = await buildServer(loadConfig({}, {}), { logger: pino({ level: 'silent' }), engine: never });
    try {
      const expected: Record<string, [number, string]> = { '/healthz': [200, 'ok'], '/readyz': [503, 'loading'] };
      for (const probePath of paths) {
        const response = await app.inject({ method: 'GET', url: probePath });
        assert.deepEqual([response.statusCode, response.json().status], expected[probePath], probePath);
      }
    } finally {
      await app.close();
    }
  });

  test('every command run is a facelive subcommand (or one pending from issue 11 batch)', () => {
    const subcommands = new Set(buildProgram().commands.map((command) => command.name()));
    const used = [
      ...containers().map(({ container }) => facelive(container.command)),
      ...Object.values(compose.services as Json)
        .filter((s) => s.command && s.build)
        .map((s) => facelive(s.command)),
      facelive(JSON.parse(instructions(dockerfile).find((i) => i.op === 'CMD')!.args)),
    ];
    for (const name of used) assert.ok(subcommands.has(name) || PENDING_COMMANDS.has(name), `facelive ${name} is not a command`);
    for (const pending of PENDING_COMMANDS) assert.ok(!subcommands.has(pending), `facelive ${pending} exists now: remove it from PENDING_COMMANDS`);
  });

  test("the Dockerfile installs and starts facelive with the README's commands", () => {
    const readme = read('README.md');
    const quickStart = /```sh\n([^\n]+)\n/.exec(readme.slice(readme.indexOf('## Quick start')))![1];
    const readmeSteps = quickStart.split('&&').map((step) => step.trim());
    const runs = instructions(dockerfile)
      .filter((i) => i.op === 'RUN')
      .map((i) => i.args);
    // Install: the README's `npm ci` (output flags only) and `npx facelive models fetch`.
    assert.ok(readmeSteps.includes('npm ci'));
    assert.ok(
      runs.some((run) => /^npm ci( --no-audit| --no-fund)*$/.test(run)),
      runs.join('\n'),
    );
    assert.ok(readmeSteps.includes('npx facelive models fetch'));
    assert.ok(runs.some((run) => run.includes('then npx facelive models fetch;')));
    // Start: the CMD is what `npm start` runs, and the README starts the service with `npm start`.
    // `npm start` may set environment variables first (VAR=value …): those must be in an ENV.
    const cmd = JSON.parse(instructions(dockerfile).find((i) => i.op === 'CMD')!.args) as string[];
    const startWords = (packageJson.scripts.start as string).split(' ');
    const assignments = startWords.filter((word) => /^[A-Z_]+=/.test(word));
    assert.equal(cmd.join(' '), startWords.slice(assignments.length).join(' '));
    const envs = instructions(dockerfile)
      .filter((i) => i.op === 'ENV')
      .map((i) => i.args.split(/\s+/));
    for (const assignment of assignments)
      assert.ok(
        envs.some((words) => words.includes(assignment)),
        `the Dockerfile sets ${assignment}`,
      );
    assert.ok(readme.includes('`npm start`'));
    // Not root at run time.
    const users = instructions(dockerfile).filter((i) => i.op === 'USER');
    assert.equal(users.at(-1)?.args, 'node');
    assert.ok(instructions(dockerfile).filter((i) => i.op === 'FROM').length >= 2, 'multi-stage');
  });
});
