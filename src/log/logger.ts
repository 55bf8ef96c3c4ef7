/**
 * The process logger: pino, JSON, one object per line. Request lines carry a request id and never
 * image data; the redaction list is a second guard in case a body or header ever reaches a log
 * call by mistake.
 */
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

/** Logger settings; `destination` defaults to standard output (tests pass a capture stream). */
export interface LoggerOptions {
  readonly level?: LevelWithSilent;
  readonly destination?: DestinationStream;
}

/** Paths censored wherever they appear at these depths: secrets and image payloads. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-tc-token"]',
  'req.headers["x-access-token"]',
  'headers.authorization',
  'body',
  'req.body',
  'image',
  'Image',
  'image_base64',
  '*.body',
  '*.image',
  '*.Image',
  '*.image_base64',
  '*.imageBase64',
  'imageFar',
  'imageNear',
  '*.imageFar',
  '*.imageNear',
  'secretKey',
  '*.secretKey',
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
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
