import type { Command } from 'commander';
import { DIALECTS } from '../api/dialects.js';
import { surfacesHelp } from '../api/surfaces.js';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../log/logger.js';
import { startServer } from '../server-lifecycle.js';
import { parseNumberOption, type CliIo, withEngineOptions, type EngineCliOptions } from './cli-io.js';

/** Options of `facelive serve`. */
interface ServeOptions extends EngineCliOptions {
  readonly port?: number;
  readonly host?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
}

/**
 * Adds `facelive serve` to the program: the HTTP service (every surface of `DIALECTS`) in the
 * foreground, JSON logs on stdout, until SIGTERM or SIGINT. A model-set failure at start exits with its catalogue error.
 */
export function registerServeCommand(program: Command, _io: CliIo): void {
  withEngineOptions(program.command('serve'))
    .description(`Run the HTTP service with the ${DIALECTS.map((dialect) => dialect.title).join(', ')} APIs (see docs/http-api.md)`)
    .option('--port <port>', 'TCP port (else FACELIVE_PORT, else the config, else 8080)', parseNumberOption)
    .option('--host <address>', 'address to listen on (else FACELIVE_HOST, else 127.0.0.1)')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (with --tls-key; else FACELIVE_TLS_CERT)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert (else FACELIVE_TLS_KEY)')
    .addHelpText('after', surfacesHelp())
    .action(async (options: ServeOptions) => {
      const config = loadConfig({
        configFile: options.config,
        modelsDir: options.modelsDir,
        workers: options.workers,
        port: options.port,
        host: options.host,
        tlsCert: options.tlsCert,
        tlsKey: options.tlsKey,
      });
      const logger = createLogger({ level: config.server.logLevel });
      const running = await startServer(config, { logger, signals: ['SIGTERM', 'SIGINT'], exit: (code) => process.exit(code) });
      await running.ready;
      await running.closed;
    });
}
