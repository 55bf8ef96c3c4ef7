import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../log/logger.js';
import { type CliIo, withEngineOptions, type EngineCliOptions } from './cli-io.js';

/**
 * Adds `facelive worker`: scores batch jobs from the queue on every core until SIGTERM or SIGINT,
 * then finishes the jobs in hand and exits. JSON logs on stdout.
 */
export function registerWorkerCommand(program: Command, _io: CliIo): void {
  withEngineOptions(program.command('worker'))
    .description('Process batch jobs from the Redis queue (see docs/batch.md); run as many as you like')
    .action(async (options: EngineCliOptions) => {
      const config = loadConfig({ configFile: options.config, modelsDir: options.modelsDir, workers: options.workers });
      const logger = createLogger({ level: config.server.logLevel });
      // Loaded here, not at start: BullMQ and its Redis client cost every other command ~90 ms.
      const { startBatchWorker } = await import('../batch/batch-worker.js');
      const worker = await startBatchWorker(config, logger);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          logger.info({ signal }, 'batch worker stopping');
          void worker.close().then(resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      logger.info('batch worker stopped');
    });
}
