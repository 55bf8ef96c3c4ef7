import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import type { CalibrationFit } from '../engine/calibrate/calibration-file.js';
import { FaceliveError } from '../errors/catalogue.js';
import { buildCalibrationFile, fitCalibration, type FitRequest } from '../eval/fit-calibration.js';
import { rateText, textTable } from '../eval/format.js';
import { CANDIDATE_FUSIONS, missingModels, parseModelsOption } from '../eval/fusion.js';
import { obtainResults } from '../eval/obtain-results.js';
import { type CliIo, withEngineOptions, type EngineCliOptions } from './cli-io.js';
import { configuredSet, progressOn, writeOutput } from './eval-command.js';

/** Options of `facelive calibrate`. */
interface CalibrateOptions extends EngineCliOptions {
  readonly out?: string;
  readonly from?: string;
  readonly models?: string[];
  readonly allCandidates?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function ladderTable(fit: CalibrationFit): string {
  const rows = fit.ladder.map((point) => [
    String(point.score100),
    `${(100 * point.apcerTarget).toFixed(0)}%`,
    point.liveProbability.toFixed(6),
    rateText(point.calibration.apcer),
    rateText(point.calibration.bpcer),
    rateText(point.scene.apcer),
    rateText(point.scene.bpcer),
  ]);
  return textTable(['score', 'APCER target', 'raw p', 'APCER', 'BPCER', 'scene APCER', 'scene BPCER'], rows);
}

/** Adds `facelive calibrate [dir] --out <file>` to the program. */
export function registerCalibrateCommand(program: Command, io: CliIo): void {
  withEngineOptions(program.command('calibrate'))
    .description('Fit the score calibration (fused live probability → 0..100) on a labelled folder (or on saved eval results)')
    .argument('[dir]', 'folder holding labels.csv and the images it lists')
    .requiredOption('--out <file>', 'calibration JSON to write (use it with calibration.file or --calibration)')
    .option('--from <file>', 'fit on the results of an earlier `facelive eval --json` instead of analysing images')
    .option('--models <set>', 'model set to fit: a candidate name or id[=weight],… (repeatable; default: configured)', collect)
    .option('--all-candidates', 'fit every candidate fusion the engine pass can form (how calibration/default.json is made)')
    .action(async (dir: string | undefined, options: CalibrateOptions) => {
      const config = loadConfig({ configFile: options.config, modelsDir: options.modelsDir, workers: options.workers });
      const requested = options.models?.length ? options.models.map(parseModelsOption) : [configuredSet(config)];
      const results = await obtainResults(
        { dir, from: options.from },
        config,
        requested.map((r) => r.models),
        progressOn(io, 'calibrating'),
      );
      const detector = results.run.detector;
      const requests: FitRequest[] = requested.map((r, i) => ({ name: r.name ?? `custom-${i + 1}`, detector, models: r.models }));
      if (options.allCandidates) {
        for (const c of CANDIDATE_FUSIONS) {
          if (missingModels(c.models, results.run.padModels).length === 0 && !requests.some((r) => r.name === c.name)) {
            requests.push({ name: c.name, detector, models: c.models });
          }
        }
      }
      const fits = requests.map((request) => fitCalibration(results.records, request));
      const names = fits.map((f) => f.name);
      if (new Set(names).size !== names.length) {
        throw new FaceliveError('INVALID_ARGUMENT', { field: '--models', expected: 'each set once', received: names.join(', ') });
      }
      const file = buildCalibrationFile(fits, {
        name: path.basename(path.resolve(results.dataset.dir)),
        dir: results.dataset.dir,
        labelsSha256: results.dataset.labelsSha256,
        images: results.records.length,
        engineRunAt: results.run.startedAt,
        configHash: results.run.configHash,
      });
      await writeOutput(options.out as string, `${JSON.stringify(file, null, 1)}\n`);
      for (const fit of fits) {
        io.stdout.write(
          `${fit.name} (${fit.models.map((m) => `${m.id}×${m.weight}`).join(', ')}): ${fit.population.bonaFide} live, ${fit.population.attacks} attacks\n`,
        );
        io.stdout.write(`${ladderTable(fit)}\n`);
        for (const warning of fit.warnings) io.stdout.write(`  warning: ${warning}\n`);
        io.stdout.write('\n');
      }
      io.stdout.write(`wrote ${options.out} (${fits.length} fit${fits.length > 1 ? 's' : ''})\n`);
    });
}
