#!/usr/bin/env node
/**
 * @module cli/main
 * The `shopsight` command. Each subcommand lives in cli/commands/<name>.ts and is a thin caller of
 * the library: no SQL and no business logic here.
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { generateCommand } from './commands/generate.js';
import { analyzeCommand } from './commands/analyze.js';
import { demoCommand } from './commands/demo.js';
import { importCommand } from './commands/import.js';
import { modelsCommand } from './commands/models.js';
import { trainCommand } from './commands/train.js';
import { predictCommand } from './commands/predict.js';
import { evaluateCommand } from './commands/evaluate.js';
import { quarantineCommand } from './commands/quarantine.js';
import { recommendCommand } from './commands/recommend.js';
import { statusCommand } from './commands/status.js';
import { clvCommand } from './commands/clv.js';
import { keysCommand } from './commands/keys.js';
import { serveCommand } from './commands/serve.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

const program = new Command('shopsight')
  .description(
    'Open-source data mining for e-commerce: clean tables, analytics, predictions, recommendations.',
  )
  .version(version)
  .showHelpAfterError();

// Subcommands register here, one line each.
program.addCommand(demoCommand());
program.addCommand(importCommand());
program.addCommand(statusCommand());
program.addCommand(quarantineCommand());
program.addCommand(generateCommand());
program.addCommand(analyzeCommand());
program.addCommand(modelsCommand());
program.addCommand(trainCommand());
program.addCommand(predictCommand());
program.addCommand(evaluateCommand());
program.addCommand(recommendCommand());
program.addCommand(clvCommand());
program.addCommand(serveCommand());
program.addCommand(keysCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`shopsight: ${message}\n`);
  process.exitCode = 1;
});
