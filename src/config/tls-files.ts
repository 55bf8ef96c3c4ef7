/**
 * The certificate and key of `server.tls`, read once at start-up. HTTPS matters beyond
 * encryption here: browsers open a phone's camera (the capture page) only on a secure origin.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { FaceliveError } from '../errors/catalogue.js';
import type { ServerConfig } from './server-schema.js';

/** PEM contents for node:https. */
export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

function readPem(file: string, setting: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new FaceliveError(
      'CONFIG_INVALID',
      { reason: `${setting}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})` },
      { cause: error },
    );
  }
}

/**
 * The certificate and key when `server.tls` names them, else undefined (plain HTTP); an
 * unreadable file, or a pair that does not work, is CONFIG_INVALID naming the setting.
 *
 * @example
 * const tls = readTlsFiles(config.server.tls); // { cert, key } or undefined
 */
export function readTlsFiles(tls: ServerConfig['tls']): TlsFiles | undefined {
  if (!tls.certFile || !tls.keyFile) return undefined;
  const files = { cert: readPem(tls.certFile, 'server.tls.certFile'), key: readPem(tls.keyFile, 'server.tls.keyFile') };
  try {
    // Fails on a file that is not PEM, or a key that is not the certificate's.
    createSecureContext(files);
  } catch (error) {
    throw new FaceliveError(
      'CONFIG_INVALID',
      { reason: `server.tls: the certificate and key cannot be used together (${(error as Error).message.slice(0, 120)})` },
      { cause: error },
    );
  }
  return files;
}
