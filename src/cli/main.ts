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
    .option('--checking <mode>', 'strict (every call checked, the default) or minix (housekeeping calls unchecked)')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      if (opts.list) {
        const { testNames, extendedNames } = require('../sim/programs') as typeof import('../sim/programs');
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

  program
    .command('run')
    .description('run a fault-injection campaign (campaigns/*.json) and print the survivability table')
    .argument('<campaign>', 'campaign file')
    .option('--workers <n>', 'worker threads (default: one per core)')
    .option('--shard <i/n>', 'run only slice i of n (1-based) of the runs')
    .option('--resume <dir>', 'continue an interrupted campaign in this results directory')
    .option('--out <dir>', 'results directory (default results/<campaign>-<id>)')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print machine-readable JSON')
    .action((campaign: string, opts) => {
      const { runRunCommand } = require('./run') as typeof import('./run');
      return runRunCommand(campaign, opts).then((code) => { process.exitCode = code; }, reportAsync);
    });

  program
    .command('merge')
    .description("join the results directories of a campaign's shards")
    .argument('<dirs...>', 'shard results directories')
    .requiredOption('--out <dir>', 'the merged results directory')
    .option('--json', 'print machine-readable JSON')
    .action((dirs: string[], opts) => {
      const { runMergeCommand } = require('./merge') as typeof import('./merge');
      process.exitCode = runMergeCommand(dirs, opts);
    });

  program
    .command('compare')
    .description('recovery modes side by side: survivability with 95% intervals, per-fault transitions, the oracle')
    .argument('<results...>', 'results directories (one campaign; its shards may be given together)')
    .option('--paper', "show the paper's Table II (fail-stop) or III (EDFI) beside ours")
    .option('--modes <a,b>', 'the two modes of the transition matrix (default: naive,enhanced, else the first two)')
    .option('--json', 'print machine-readable JSON')
    .action((dirs: string[], opts) => {
      const { runCompareCommand } = require('./compare') as typeof import('./compare');
      process.exitCode = runCompareCommand(dirs, opts);
    });

  program
    .command('export')
    .description('results as CSV: the survivability table, every run, or the transition matrix')
    .argument('<results...>', 'results directories (one campaign; its shards may be given together)')
    .requiredOption('--table <name>', 'survivability, runs or transitions')
    .option('--csv <file>', 'write the CSV to this file (default: stdout)')
    .option('--modes <a,b>', 'the two modes of --table transitions (default: naive,enhanced, else the first two)')
    .action((dirs: string[], opts) => {
      const { runExportCommand } = require('./export') as typeof import('./export');
      process.exitCode = runExportCommand(dirs, opts);
    });

  program
    .command('replay')
    .description('re-run one recorded run of a campaign and confirm it ends the same way')
    .argument('<results>', 'results directory')
    .requiredOption('--run <key>', 'the run\'s key, "<blockId>|<faultType>|<mode>" as in runs.jsonl')
    .option('--trace', 'also print the message trace of the run')
    .option('--json', 'print machine-readable JSON')
    .action((dir: string, opts) => {
      const { runReplayCommand } = require('./replay') as typeof import('./replay');
      process.exitCode = runReplayCommand(dir, opts);
    });

  program
    .command('coverage')
    .description('recovery coverage (Table I): share of executed statements inside the recovery window, per server and policy')
    .option('--modes <policies>', 'comma-separated policies or policy files', 'pessimistic,enhanced')
    .option('--csv <file>', 'also write the table as CSV')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      const { runCoverageCommand } = require('./coverage') as typeof import('./coverage');
      process.exitCode = runCoverageCommand(opts);
    });

  program
    .command('bench')
    .description('Unixbench-like programs under baseline, ckpt, osiris-pessimistic, osiris-enhanced (Tables IV/V)')
    .option('--runs <n>', 'wall-time runs per program and configuration (median)', '5')
    .option('--programs <names>', 'only these Unixbench-like programs (comma-separated)')
    .option('--csv <file>', 'also write the table as CSV')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      const { runBenchCommand } = require('./bench') as typeof import('./bench');
      process.exitCode = runBenchCommand(opts);
    });

  program
    .command('memory')
    .description('memory overhead per server (Table VI): data section, spare clone, largest undo log')
    .option('--csv <file>', 'also write the table as CSV')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      const { runMemoryCommand } = require('./memory') as typeof import('./memory');
      process.exitCode = runMemoryCommand(opts);
    });

  program
    .command('disruption')
    .description('Unixbench-like scores while PM crashes at regular simulated intervals, the rate doubling (Fig. 3)')
    .option('--start <ns>', 'the first (longest) crash interval, in simulated ns', '4000000')
    .option('--steps <n>', 'number of intervals, each half the previous', '11')
    .option('--programs <names>', 'only these Unixbench-like programs (comma-separated)')
    .option('--csv <file>', 'also write the table as CSV')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      const { runDisruptionCommand } = require('./disruption') as typeof import('./disruption');
      process.exitCode = runDisruptionCommand(opts);
    });

  program
    .command('rcb')
    .description('the Reliable Computing Base in lines of code (SLOCCount rule) against the whole code base')
    .option('--files', 'list the files of each part')
    .option('--csv <file>', 'also write the table as CSV')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      const { runRcbCommand } = require('./rcb') as typeof import('./rcb');
      process.exitCode = runRcbCommand(opts);
    });

  program
    .command('seep-audit')
    .description('check the SEEP table against what each message and kernel call did to its receiver while the suite ran')
    .option('--tests <names>', 'comma-separated test names or patterns (default: the suite)')
    .option('--no-pretests', 'skip the recovery pre-tests (run first by default)')
    .option('--results <dir>', "instead of the suite, run again every run of the campaign recorded in this results directory")
    .option('--no-progress', 'no progress line (with --results)')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      const { runSeepAuditCommand } = require('./seep-audit') as typeof import('./seep-audit');
      process.exitCode = runSeepAuditCommand(opts);
    });

  program
    .command('report')
    .description('every experiment and the latest campaign results as one HTML page with charts, and a Markdown twin')
    .option('--out <dir>', 'where to write report.html, report.md and charts/ (default results/report)')
    .option('--results <dir>', 'campaign results: a results directory, or a folder of them (default results)')
    .action((opts) => {
      const { runReportCommand } = require('./report') as typeof import('./report');
      return runReportCommand(opts).then((code) => { process.exitCode = code; }, reportAsync);
    });

  program
    .command('oracle')
    .description('the consistency oracle: --self-test plants every inconsistency it knows; otherwise check a fault-free run')
    .option('--self-test', 'plant each inconsistency in a fixture world and report whether the oracle named it')
    .option('--list', 'list the invariants')
    .option('--tests <names>', 'programs to run before the check (default: the suite)')
    .option('--json', 'print machine-readable JSON')
    .action((opts) => {
      const { runOracleCommand } = require('./oracle') as typeof import('./oracle');
      process.exitCode = runOracleCommand(opts);
    });

  return program;
}

/** Errors of asynchronous commands, reported as main() reports synchronous ones. */
function reportAsync(e: unknown): void {
  if (e instanceof UsageError) {
    process.stderr.write(`osiris-fi: ${e.message}\n`);
    process.exitCode = e.exitCode;
    return;
  }
  throw e;
}

export function main(argv: string[]): void {
  // Output piped into a reader that stops early (`| head`): stop quietly, as Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
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
