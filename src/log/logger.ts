/**
 * The process logger: pino, JSON, one object per line. Request lines carry a request id and never
 * image data; the redaction list is a second guard in case a body or header ever reaches a log
 * call by mistake.
 */
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { DIALECTS } from '../api/dialects.js';

/** Logger settings; `destination` defaults to standard output (tests pass a capture stream). */
export interface LoggerOptions {
  readonly level?: LevelWithSilent;
  readonly destination?: DestinationStream;
}

/** Paths censored whatever the dialect: the Authorization header and request bodies. */
const COMMON_REDACTED_PATHS = ['req.headers.authorization', 'headers.authorization', 'body', 'req.body', '*.body', 'imageBase64', '*.imageBase64'];

/**
 * Paths censored wherever they appear at these depths: secrets and image payloads. Each
 * dialect adds its own image fields and token headers, and its credentials' secret field.
 */
export const REDACTED_PATHS: readonly string[] = [
  ...new Set([
    ...COMMON_REDACTED_PATHS,
    ...DIALECTS.flatMap((dialect) => [...dialect.redactPaths, dialect.credentials.secretField, `*.${dialect.credentials.secretField}`]),
  ]),
];

/**
 * Creates the logger the server and CLI pass around explicitly.
 *
 * @example
 * const log = createLogger({ level: 'info' });
 * log.info({ port: 8080 }, 'listening');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'facelive' },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
