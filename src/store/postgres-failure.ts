/**
 * Why PostgreSQL cannot be used, in words an operator can act on. "Cannot connect" covers a
 * missing database, a refused connection, an unknown host, a wrong password and a server that
 * accepts connections but never answers (a wrong port, a firewall that drops, a frozen server);
 * each needs a different fix, so each gets its own reason in STORE_UNAVAILABLE.
 */

/** Where the store connects, for messages (never the password). */
export interface PostgresTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

/** The host, port and database of a connection URL; the URL's credentials are left out. */
export function targetOf(connectionString: string): PostgresTarget {
  try {
    const url = new URL(connectionString);
    return { host: url.hostname || 'localhost', port: Number(url.port) || 5432, database: decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default)' };
  } catch {
    return { host: '(unparsable URL)', port: 0, database: '' };
  }
}

/** The deadlines a PostgreSQL store runs under, ms (config `store.postgres*TimeoutMs`). */
export interface PostgresTimeouts {
  readonly connectMs: number;
  readonly acquireMs: number;
  readonly queryMs: number;
}

/** An acquire that waited past `store.postgresAcquireTimeoutMs` for a pooled connection. */
export class AcquireTimeoutError extends Error {
  constructor(readonly waitedMs: number) {
    super('no pooled PostgreSQL connection became free in time');
    this.name = 'AcquireTimeoutError';
  }
}

/**
 * The reason for STORE_UNAVAILABLE when `error` came from PostgreSQL at `target`, with what to check.
 *
 * @example
 * throw new FaceliveError('STORE_UNAVAILABLE', { reason: describePostgresFailure(error, target, timeouts) }, { cause: error });
 */
export function describePostgresFailure(error: unknown, target: PostgresTarget, timeouts: PostgresTimeouts): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const where = `${target.host}:${target.port}`;
  const text = typeof message === 'string' ? message : '';
  if (error instanceof AcquireTimeoutError) {
    return `every pooled connection to PostgreSQL at ${where} stayed busy for ${timeouts.acquireMs} ms (store.postgresAcquireTimeoutMs: a slow or frozen server, or too much load)`;
  }
  switch (code) {
    case '3D000':
      return `PostgreSQL at ${where} has no database "${target.database}" (create it, or fix the database in store.postgresUrl)`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${where} refused the credentials of store.postgresUrl (${text.slice(0, 120)})`;
    case '57014':
      return `a statement on PostgreSQL at ${where} ran past ${timeouts.queryMs} ms (store.postgresQueryTimeoutMs, statement_timeout)`;
    case '25006':
      return `PostgreSQL at ${where} is read-only (a standby, or default_transaction_read_only)`;
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${where} (PostgreSQL is down, or the port is wrong)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host "${target.host}" cannot be resolved`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `the connection to PostgreSQL at ${where} was reset`;
    default:
  }
  // The driver's own timers: the connect timeout destroys the socket with "timeout expired"; the
  // query timeout rejects with "Query read timeout".
  if (text === 'timeout expired' || text.includes('connection timeout')) {
    return `no PostgreSQL answer from ${where} within ${timeouts.connectMs} ms of connecting (store.postgresConnectTimeoutMs: a wrong port, a firewall dropping packets, or a frozen server)`;
  }
  if (text === 'Query read timeout') {
    return `PostgreSQL at ${where} did not answer a statement within ${timeouts.queryMs} ms (store.postgresQueryTimeoutMs: a frozen or overloaded server)`;
  }
  if (text.startsWith('Connection terminated')) return `the connection to PostgreSQL at ${where} was closed (${text.slice(0, 120)})`;
  return `PostgreSQL at ${where} failed: ${typeof code === 'string' ? `${code} ` : ''}${text.slice(0, 160)}`;
}
