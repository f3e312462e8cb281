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
    .option('--extended', 'also run the installed programs outside the 89-program suite')
    .option('--variant <name>', 'run on an instrumented build: baseline, ckpt, osiris, osiris+edfi, osiris+prof')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      if (opts.list) {
        const { testNames, extendedNames } = require('../os/system') as typeof import('../os/system');
        process.stdout.write([...testNames(), ...(opts.extended ? extendedNames() : [])].join('\n') + '\n');
        return;
      }
      const { runSuiteCommand } = require('./suite') as typeof import('./suite');
      process.exitCode = runSuiteCommand(opts);
    });

  program
    .command('sites')
    .description('list the blocks of the instrumented servers and their fault candidates')
    .option('--server <name>', 'only this server (pm, vm, vfs, ds, rs)')
    .option('--type <fault>', 'only blocks where this fault type applies')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      const { runSitesCommand } = require('./sites') as typeof import('./sites');
      process.exitCode = runSitesCommand(opts);
    });

  program
    .command('profile')
    .description('golden profiling run: blocks executed at boot and by each test; eligible fault locations')
    .option('--no-cache', 'profile again even if this build was profiled before')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      const { runProfileCommand } = require('./profile') as typeof import('./profile');
      process.exitCode = runProfileCommand(opts);
    });

  program
    .command('inject')
    .description('one run with one armed fault, telling its story')
    .requiredOption('--block <id>', 'the block to arm (an id from `osiris-fi sites`)')
    .option('--type <fault>', "null-pointer (fail-stop) or the block's compiled EDFI fault (default)")
    .requiredOption('--mode <policy>', 'recovery policy: stateless, naive, pessimistic, enhanced, optimistic, or a policy .json file')
    .option('--tests <names>', 'programs to run (default: the tests that execute the block)')
    .option('--no-pretests', 'skip the recovery pre-tests')
    .option('--seed <seed>', 'seed of the values faults draw', 'inject')
    .option('--trace', 'print the message trace')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      const { runInjectCommand } = require('./inject') as typeof import('./inject');
      process.exitCode = runInjectCommand(opts);
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
