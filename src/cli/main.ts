/*
 * The osiris-fi command line. Commands are declared here and implemented
 * one per file; this is the only place that exits the process.
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from './errors';

const pkg = require('../../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('osiris-fi')
    .description('Fault-injection campaigns against a simulated MINIX-like OS with OSIRIS recovery')
    .version(pkg.version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('suite')
    .description('boot the simulated OS and run the test programs (the golden run)')
    .option('--tests <names>', 'comma-separated test names or patterns (e.g. "pipe_*")')
    .option('--list', 'list the test programs and exit')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      if (opts.list) {
        const { testNames } = require('../os/system') as typeof import('../os/system');
        process.stdout.write(testNames().join('\n') + '\n');
        return;
      }
      const { runSuiteCommand } = require('./suite') as typeof import('./suite');
      process.exitCode = runSuiteCommand(opts);
    });

  return program;
}

export function main(argv: string[]): void {
  const program = buildProgram();
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`osiris-fi: ${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    throw e;
  }
}
