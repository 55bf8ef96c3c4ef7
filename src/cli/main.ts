#!/usr/bin/env node
/** `facelive` command line entry point: `check` images, `models fetch|verify` the model pack. */
import { FaceliveError } from '../errors/catalogue.js';
import { processIo } from './cli-io.js';
import { buildProgram } from './program.js';

const io = processIo();
try {
  await buildProgram(io).parseAsync(process.argv);
} catch (error) {
  if (error instanceof FaceliveError) io.stderr.write(`error ${error.code}: ${error.message}\n`);
  else io.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 2;
}
