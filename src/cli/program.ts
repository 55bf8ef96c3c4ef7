import { Command } from 'commander';
import { registerCheckCommand } from './check-command.js';
import { processIo, type CliIo } from './cli-io.js';
import { registerModelsCommand } from './models-command.js';

/** Builds the `facelive` program; tests drive it with their own streams. */
export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('facelive')
    .description('Self-hosted single-image face liveness (presentation attack detection)')
    .version('0.1.0')
    .showHelpAfterError();
  registerCheckCommand(program, io);
  registerModelsCommand(program, io);
  return program;
}
