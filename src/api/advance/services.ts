/**
 * What only the ADVANCE.AI dialect (and the capture page, its client) needs: the token issuer,
 * and the result store with its purge schedule. The plugin opens them in its own scope and only
 * when ADVANCE.AI has a credential, so a server without one never touches the store (no SQLite
 * file, no PostgreSQL connection).
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/schema.js';
import { countedStore } from '../../store/counted-store.js';
import type { ApiContext } from '../api-context.js';
import { openResultStore } from '../../store/open-store.js';
import { schedulePurges } from '../../store/purge-schedule.js';
import type { ResultStore } from '../../store/result-store.js';
import { AccessTokenIssuer } from './token-issuer.js';

/** The issuer of `X-ACCESS-TOKEN`s for the configured accessKeys (stateless: any instance verifies any other's). */
export function createAdvanceTokenIssuer(config: Config, now: () => number): AccessTokenIssuer {
  const { advance } = config.server;
  return new AccessTokenIssuer(advance.credentials, {
    defaultPeriodSeconds: advance.tokenDefaultPeriodSeconds,
    maxPeriodSeconds: advance.tokenMaxPeriodSeconds,
    now,
  });
}

/** The dialect's open services. */
export interface AdvanceServices {
  readonly tokens: AccessTokenIssuer;
  readonly store: ResultStore;
}

/**
 * Opens the store (`config.store`: SQLite in `dataDir`, or PostgreSQL), purges it once and then
 * every `purgeIntervalMinutes`, reports to `/readyz` whether it can write, and closes both with
 * `app` (after the in-flight requests). A store that cannot be opened fails the registration
 * with STORE_UNAVAILABLE.
 *
 * @example
 * const services = await openAdvanceServices(app, context);
 */
export async function openAdvanceServices(
  app: FastifyInstance,
  context: Pick<ApiContext, 'config' | 'now' | 'readiness' | 'metrics'>,
): Promise<AdvanceServices> {
  const { config, now } = context;
  const tokens = createAdvanceTokenIssuer(config, now);
  const store = countedStore(await openResultStore(config.store), (op, ok) => context.metrics.recordStoreOp(op, ok));
  context.readiness.add('resultStore', () => store.checkWritable(), config.store.readinessTimeoutMs);
  const purges = schedulePurges(store, config.store, { logger: app.log, now });
  let closing: Promise<void> | undefined;
  // The purge in progress finishes, then the store closes; once, whoever asks first.
  const close = () => (closing ??= purges.stop().then(() => store.close()));
  app.addHook('onClose', close);
  try {
    await purges.first;
  } catch (error) {
    // Registration fails and the app may never close: the store must not stay open (a PostgreSQL pool would hold the process).
    await close();
    throw error;
  }
  return { tokens, store };
}
