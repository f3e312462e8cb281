/*
 * Every command of the tool as data: its arguments, its options (declared
 * once, with commander's choices and argument parsers, required ones
 * marked), an example for its help, and the action, which loads the
 * command's module only when the command runs (so --help stays instant).
 * main.ts walks this table; adding a command is adding one entry here.
 * Only light modules (lists of names) are imported at the top.
 *
 * The entry points into this file are:
 *   COMMANDS     the table
 *   CommandSpec  one entry
 */
import os from 'node:os';
import { InvalidArgumentError } from 'commander';
import { FAULT_TYPES } from '../edfi/fault-types';
import { VARIANTS } from '../osiris/build-variants';
import { RECOVERABLE } from '../os/proto/endpoints';

export interface OptionSpec {
  /** Commander's flags, e.g. "--workers <n>" or "--no-progress". */
  flags: string;
  description: string;
  default?: string;
  choices?: readonly string[];
  /** Checks and converts the value; throws InvalidArgumentError (a usage error, exit 2). */
  parse?: (value: string) => unknown;
  required?: boolean;
}

export interface ArgumentSpec { name: string; description: string }

export interface CommandSpec {
  name: string;
  description: string;
  args?: ArgumentSpec[];
  options: OptionSpec[];
  /** Shown under "Examples:" in the command's help. */
  examples: string[];
  /** Positional arguments (in order), then the options; returns the exit status. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run: (args: any[], opts: any) => number | Promise<number>;
}

/** At most this many workers: more than four threads per core only adds memory, not speed. */
export const MAX_WORKERS = 4 * os.availableParallelism();

export function positiveInt(what: string, max = Number.MAX_SAFE_INTEGER, why = ''): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected ${what} (a positive integer)`);
    if (n > max) throw new InvalidArgumentError(`expected at most ${max}${why}`);
    return n;
  };
}

function positiveNumber(what: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected ${what} (a positive number)`);
    return n;
  };
}

function shardSpec(v: string): string {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new InvalidArgumentError('expected i/n with 1 <= i <= n (e.g. 2/8)');
  return v.trim();
}

function nonEmpty(what: string): (v: string) => string {
  return (v) => { if (v.trim() === '') throw new InvalidArgumentError(`expected ${what}`); return v; };
}

const JSON_OUT: OptionSpec = { flags: '--json', description: 'print machine-readable JSON' };
const CSV_OUT: OptionSpec = { flags: '--csv <file>', description: 'also write the table as CSV', parse: nonEmpty('a file name') };
const NO_PROGRESS: OptionSpec = { flags: '--no-progress', description: 'no progress bar' };
const TRANSITION_MODES: OptionSpec = { flags: '--modes <a,b>', description: 'the two modes of the transition matrix (default: naive,enhanced, else the first two)' };
const SERVER_FILTER: OptionSpec = { flags: '--server <names>', description: 'only runs of these servers (comma-separated)' };
const FAULT_TYPE_FILTER: OptionSpec = { flags: '--fault-type <types>', description: 'only runs of these fault types (comma-separated)' };
const OUTCOME_FILTER: OptionSpec = { flags: '--outcome <outcomes>', description: 'only runs with these outcomes (pass, fail, shutdown, crash)' };
const MODE_FILTER: OptionSpec = { flags: '--mode <modes>', description: 'only runs of these modes (comma-separated)' };
const RESULTS_ARGS: ArgumentSpec[] = [{ name: '<results...>', description: 'results directories (one campaign; its shards may be given together)' }];

// Each action requires its module when it runs; the `typeof import` keeps the call type-checked.
export const COMMANDS: CommandSpec[] = [
  {
    name: 'suite', description: 'boot the simulated OS and run the test programs (the golden run)',
    options: [
      { flags: '--tests <names>', description: 'comma-separated test names or patterns (e.g. "pipe_*")' },
      { flags: '--list', description: 'list the test programs and exit' },
      { flags: '--extended', description: 'also run the installed programs outside the 89-program suite' },
      { flags: '--variant <name>', description: 'run on an instrumented build', choices: VARIANTS },
      { flags: '--checking <mode>', description: 'checking discipline of the test programs: strict (every call checked) or minix (housekeeping calls unchecked)', choices: ['strict', 'minix'], default: 'strict' },
      JSON_OUT,
    ],
    examples: ['osiris-fi suite', 'osiris-fi suite --tests "pipe_*" --variant osiris', 'osiris-fi suite --checking minix --json'],
    run: (_a, o) => {
      if (o.list) {
        const { testNames, extendedNames } = require('../sim/programs') as typeof import('../sim/programs');
        process.stdout.write([...testNames(), ...(o.extended ? extendedNames() : [])].join('\n') + '\n');
        return 0;
      }
      return (require('./suite') as typeof import('./suite')).runSuiteCommand(o);
    },
  },
  {
    name: 'sites', description: 'list the blocks of the instrumented servers and their fault candidates',
    options: [
      { flags: '--server <name>', description: 'only this server', choices: RECOVERABLE },
      { flags: '--type <fault>', description: 'only blocks where this fault type applies', choices: FAULT_TYPES },
      JSON_OUT,
    ],
    examples: ['osiris-fi sites --server pm', 'osiris-fi sites --type null-pointer --json'],
    run: (_a, o) => (require('./sites') as typeof import('./sites')).runSitesCommand(o),
  },
  {
    name: 'profile', description: 'golden profiling run: blocks executed at boot and by each test; eligible fault locations',
    options: [{ flags: '--no-cache', description: 'profile again even if this build was profiled before' }, JSON_OUT],
    examples: ['osiris-fi profile'],
    run: (_a, o) => (require('./profile') as typeof import('./profile')).runProfileCommand(o),
  },
  {
    name: 'inject', description: 'one run with one armed fault, telling its story',
    options: [
      { flags: '--block <id>', description: 'the block to arm (an id from `osiris-fi sites`)', required: true },
      { flags: '--mode <policy>', description: 'recovery policy: stateless, naive, pessimistic, enhanced, optimistic, or a policy .json file', required: true },
      { flags: '--type <fault>', description: "null-pointer (fail-stop) or the block's compiled EDFI fault (default)", choices: FAULT_TYPES },
      { flags: '--tests <names>', description: 'programs to run (default: the tests that execute the block)' },
      { flags: '--no-pretests', description: 'skip the recovery pre-tests' },
      { flags: '--seed <seed>', description: 'seed of the values faults draw', default: 'inject' },
      { flags: '--trace', description: 'print the message trace' },
      JSON_OUT,
    ],
    examples: ['osiris-fi inject --block "pm/forkexit.ts:do_fork#4" --mode enhanced', 'osiris-fi inject --block "vfs/open.ts:do_open#2" --mode naive --type null-pointer --trace'],
    run: (_a, o) => (require('./inject') as typeof import('./inject')).runInjectCommand(o),
  },
  {
    name: 'run', description: 'run a fault-injection campaign and print the survivability table',
    args: [{ name: '<campaign>', description: 'campaign file, or the name of a bundled campaign (quick, paper-failstop, paper-edfi)' }],
    options: [
      { flags: '--workers <n>', description: `worker threads (default: one per core; at most ${MAX_WORKERS})`, parse: positiveInt('a number of workers', MAX_WORKERS, ` (4 per core: more only costs memory)`) },
      { flags: '--shard <i/n>', description: 'run only slice i of n (1-based) of the runs', parse: shardSpec },
      { flags: '--resume <dir>', description: 'continue an interrupted campaign in this results directory' },
      { flags: '--out <dir>', description: 'results directory (default results/<campaign>-<id>)', parse: nonEmpty('a directory') },
      { flags: '--force', description: 'start over even if the results directory holds results' },
      { flags: '--no-share', description: "run each mode's run itself (default: a run stands for the other modes whose plans differ only in the policy, when their policies would have recovered its crashes alike)" },
      { flags: '--no-pretest-resume', description: 'run every run from boot (default: a run its pre-tests cannot have met continues from a snapshot after them)' },
      { flags: '--all-edfi', description: "run every server on its EDFI build (default: only the armed block's server; the others run the same code without fault-site checks)" },
      { flags: '--worker-heap <mb>', description: "cap each worker's old generation at this many MB, keeping memory flat at some cost in speed (default: V8's own limit)", parse: positiveInt('a heap size in MB', 65536) },
      NO_PROGRESS, JSON_OUT,
    ],
    examples: ['osiris-fi run quick', 'osiris-fi run campaigns/paper-failstop.json --workers 4 --shard 2/8 --out results/fs-2', 'osiris-fi run quick --resume results/quick-1a2b3c4d'],
    run: ([file], o) => (require('./run') as typeof import('./run')).runRunCommand(file, o),
  },
  {
    name: 'merge', description: "join the results directories of a campaign's shards",
    args: [{ name: '<dirs...>', description: 'shard results directories' }],
    options: [{ flags: '--out <dir>', description: 'the merged results directory', required: true, parse: nonEmpty('a directory') }, JSON_OUT],
    examples: ['osiris-fi merge results/fs-1 results/fs-2 results/fs-3 --out results/fs'],
    run: ([dirs], o) => (require('./merge') as typeof import('./merge')).runMergeCommand(dirs, o),
  },
  {
    name: 'compare', description: 'recovery modes side by side: survivability with 95% intervals, per-fault transitions, the oracle',
    args: RESULTS_ARGS,
    options: [
      { flags: '--paper', description: "show the paper's Table II (fail-stop) or III (EDFI) beside ours" }, TRANSITION_MODES,
      { flags: '--by <dims>', description: 'also break survivability down by server, fault-type and/or function (comma-separated)' },
      SERVER_FILTER, FAULT_TYPE_FILTER, OUTCOME_FILTER, MODE_FILTER, JSON_OUT,
    ],
    examples: ['osiris-fi compare results/quick-1a2b3c4d', 'osiris-fi compare results/fs-1 results/fs-2 --paper --modes pessimistic,enhanced', 'osiris-fi compare results/quick-1a2b3c4d --by server,function --server pm'],
    run: ([dirs], o) => (require('./compare') as typeof import('./compare')).runCompareCommand(dirs, o),
  },
  {
    name: 'export', description: 'results as CSV: the survivability table, every run, the transition matrix, or a breakdown by server, fault type or function',
    args: RESULTS_ARGS,
    options: [
      { flags: '--table <name>', description: 'which table', required: true, choices: ['survivability', 'runs', 'transitions', 'by-server', 'by-fault-type', 'by-function'] },
      { flags: '--csv <file>', description: 'write the CSV to this file (default: stdout)', parse: nonEmpty('a file name') },
      { flags: '--modes <a,b>', description: 'the two modes of --table transitions (default: naive,enhanced, else the first two)' },
      SERVER_FILTER, FAULT_TYPE_FILTER, OUTCOME_FILTER, MODE_FILTER,
    ],
    examples: ['osiris-fi export results/quick-1a2b3c4d --table runs --csv runs.csv', 'osiris-fi export results/quick-1a2b3c4d --table by-function --server pm'],
    run: ([dirs], o) => (require('./export') as typeof import('./export')).runExportCommand(dirs, o),
  },
  {
    name: 'diff', description: "two campaigns fault by fault: per mode, survival under each with McNemar's test, and the faults whose outcome changed",
    args: [{ name: '<results-a>', description: 'results directory of the first campaign' }, { name: '<results-b>', description: 'results directory of the second campaign' }],
    options: [SERVER_FILTER, FAULT_TYPE_FILTER, { flags: '--mode <modes>', description: 'only these modes (comma-separated)' },
      { flags: '--limit <n>', description: 'list at most n changed faults (default 50)' }, JSON_OUT],
    examples: ['osiris-fi diff results/fs-old results/fs-new', 'osiris-fi diff results/a results/b --mode enhanced --json'],
    run: ([a, b], o) => (require('./diff') as typeof import('./diff')).runDiffCommand(a, b, o),
  },
  {
    name: 'replay', description: 're-run one recorded run of a campaign and confirm it ends the same way',
    args: [{ name: '<results>', description: 'results directory' }],
    options: [
      { flags: '--run <key>', description: 'the run\'s key, "<blockId>|<faultType>|<mode>" as in runs.jsonl', required: true },
      { flags: '--trace', description: 'also print the message trace of the run' },
      JSON_OUT,
    ],
    examples: ['osiris-fi replay results/quick-1a2b3c4d --run "pm/forkexit.ts:do_fork#4|null-pointer|enhanced"'],
    run: ([dir], o) => (require('./replay') as typeof import('./replay')).runReplayCommand(dir, o),
  },
  {
    name: 'coverage', description: 'recovery coverage (Table I): share of executed statements inside the recovery window, per server and policy',
    options: [{ flags: '--modes <policies>', description: 'comma-separated policies or policy files', default: 'pessimistic,enhanced' }, CSV_OUT, JSON_OUT],
    examples: ['osiris-fi coverage', 'osiris-fi coverage --modes enhanced,campaigns/example-user-policy.policy.json'],
    run: (_a, o) => (require('./coverage') as typeof import('./coverage')).runCoverageCommand(o),
  },
  {
    name: 'bench', description: 'Unixbench-like programs under baseline, ckpt, osiris-pessimistic, osiris-enhanced (Tables IV/V)',
    options: [
      { flags: '--runs <n>', description: 'wall-time runs per program and configuration (median)', default: '5', parse: positiveInt('a number of runs', 1000) },
      { flags: '--programs <names>', description: 'only these Unixbench-like programs (comma-separated)' },
      CSV_OUT, NO_PROGRESS, JSON_OUT,
    ],
    examples: ['osiris-fi bench --runs 3', 'osiris-fi bench --programs dhry2reg,execl --csv bench.csv'],
    run: (_a, o) => (require('./bench') as typeof import('./bench')).runBenchCommand(o),
  },
  {
    name: 'memory', description: 'memory overhead per server (Table VI): data section, spare clone, largest undo log',
    options: [CSV_OUT, JSON_OUT],
    examples: ['osiris-fi memory --csv memory.csv'],
    run: (_a, o) => (require('./memory') as typeof import('./memory')).runMemoryCommand(o),
  },
  {
    name: 'disruption', description: 'Unixbench-like scores while PM crashes at regular simulated intervals, the rate doubling (Fig. 3)',
    options: [
      { flags: '--start <ns>', description: 'the first (longest) crash interval, in simulated ns', default: '4000000', parse: positiveNumber('nanoseconds') },
      { flags: '--steps <n>', description: 'number of intervals, each half the previous', default: '11', parse: positiveInt('a number of steps', 30) },
      { flags: '--programs <names>', description: 'only these Unixbench-like programs (comma-separated)' },
      CSV_OUT, NO_PROGRESS, JSON_OUT,
    ],
    examples: ['osiris-fi disruption --steps 6 --programs execl,spawn'],
    run: (_a, o) => (require('./disruption') as typeof import('./disruption')).runDisruptionCommand(o),
  },
  {
    name: 'rcb', description: 'the Reliable Computing Base in lines of code (SLOCCount rule) against the whole code base',
    options: [{ flags: '--files', description: 'list the files of each part' }, CSV_OUT, JSON_OUT],
    examples: ['osiris-fi rcb --files'],
    run: (_a, o) => (require('./rcb') as typeof import('./rcb')).runRcbCommand(o),
  },
  {
    name: 'seep-audit', description: 'check the SEEP table against what each message and kernel call did to its receiver while the suite ran',
    options: [
      { flags: '--tests <names>', description: 'comma-separated test names or patterns (default: the suite)' },
      { flags: '--no-pretests', description: 'skip the recovery pre-tests (run first by default)' },
      { flags: '--results <dir>', description: 'instead of the suite, run again every run of the campaign recorded in this results directory' },
      NO_PROGRESS, JSON_OUT,
    ],
    examples: ['osiris-fi seep-audit', 'osiris-fi seep-audit --results results/quick-1a2b3c4d --json'],
    run: (_a, o) => (require('./seep-audit') as typeof import('./seep-audit')).runSeepAuditCommand(o),
  },
  {
    name: 'oracle', description: 'the consistency oracle: --self-test plants every inconsistency it knows; otherwise check a fault-free run',
    options: [
      { flags: '--self-test', description: 'plant each inconsistency in a fixture world and report whether the oracle named it' },
      { flags: '--list', description: 'list the invariants' },
      { flags: '--tests <names>', description: 'programs to run before the check (default: the suite)' },
      JSON_OUT,
    ],
    examples: ['osiris-fi oracle --self-test', 'osiris-fi oracle --tests "pipe_*" --json'],
    run: (_a, o) => (require('./oracle') as typeof import('./oracle')).runOracleCommand(o),
  },
  {
    name: 'report', description: 'every experiment and the latest campaign results as one HTML page with charts, and a Markdown twin',
    options: [
      { flags: '--out <dir>', description: 'where to write report.html, report.md and charts/ (default results/report)', parse: nonEmpty('a directory') },
      { flags: '--results <dir>', description: 'campaign results: a results directory, or a folder of them (default results)' },
      { flags: '--only <sections>', description: 'run only these experiments (comma-separated: coverage, bench, memory, disruption, rcb); the others get a note' },
      { flags: '--reuse', description: 'read each experiment from <out>/cache when its build, tool version and settings are unchanged (a stale or unreadable entry is recomputed); the page says which' },
    ],
    examples: ['osiris-fi report', 'osiris-fi report --only rcb,memory --out /tmp/report', 'osiris-fi report --reuse'],
    run: (_a, o) => (require('./report') as typeof import('./report')).runReportCommand(o),
  },
];
