import { Command } from 'commander';
import { registerBatchCommand } from './batch-command.js';
import { registerCalibrateCommand } from './calibrate-command.js';
import { registerCheckCommand } from './check-command.js';
import { processIo, type CliIo } from './cli-io.js';
import { registerEvalCommand } from './eval-command.js';
import { registerModelsCommand } from './models-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerWorkerCommand } from './worker-command.js';

/** Builds the `facelive` program; tests drive it with their own streams. */
export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('facelive')
    .description('Self-hosted single-image face liveness (presentation attack detection)')
    .version('0.1.0')
    .showHelpAfterError();
  registerCheckCommand(program, io);
  registerModelsCommand(program, io);
  registerServeCommand(program, io);
  registerEvalCommand(program, io);
  registerCalibrateCommand(program, io);
  registerBatchCommand(program, io);
  registerWorkerCommand(program, io);
  return program;
}
