/*
 * The osiris-fi command line: the program is built by walking the command
 * table (commands.ts), and this is the only place that ends the process's
 * work with an exit status — every ToolError as one line and the status
 * its code maps to (errors.ts), commander's own usage errors as 2.
 *
 * The entry points into this file are:
 *   buildProgram   the commander program (tests render its help)
 *   main           parse, run, report
 */
import { Command, CommanderError, Option } from 'commander';
import { ToolError } from '../tool-error';
import { COMMANDS, CommandSpec } from './commands';
import { EXIT, EXIT_STATUS } from './errors';
import { tierForSimulation } from '../sim/jit-tiering';

const pkg = require('../../../package.json') as { version: string };

function addCommand(program: Command, spec: CommandSpec): void {
  const cmd = program.command(spec.name).description(spec.description);
  for (const a of spec.args ?? []) cmd.argument(a.name, a.description);
  for (const o of spec.options) {
    const opt = new Option(o.flags, o.required ? `${o.description} (required)` : o.description);
    if (o.choices) opt.choices(o.choices);
    if (o.parse) opt.argParser(o.parse);
    if (o.default !== undefined) opt.default(o.parse ? o.parse(o.default) : o.default, o.default);
    if (o.required) opt.makeOptionMandatory();
    cmd.addOption(opt);
  }
  cmd.addHelpText('after', `\nExample${spec.examples.length > 1 ? 's' : ''}:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  cmd.action(async (...got: unknown[]) => {
    // Commander passes the positional arguments, then the options, then the command.
    const args = got.slice(0, (spec.args ?? []).length);
    const opts = got[(spec.args ?? []).length] as Record<string, unknown>;
    process.exitCode = await spec.run(args, opts);
  });
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('osiris-fi')
    .description('Fault-injection campaigns against a simulated MINIX-like OS with OSIRIS recovery')
    .version(pkg.version)
    .exitOverride()
    // Commander's own errors as one line in the tool's form, pointing at the help.
    .configureOutput({ outputError: (str, write) => write(`osiris-fi: ${str.trim().replace(/^error: /, '')} (see --help)\n`) })
    .addHelpText('after', '\nExample:\n  $ osiris-fi run quick\n\nExit status: 0 done, 1 the measured thing failed or the file system refused, 2 a usage error, 130 interrupted.\n');
  for (const spec of COMMANDS) addCommand(program, spec);
  // Every command stops at commander errors instead of exiting, so main() decides the status.
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** The exit status of an error, having printed it; rethrows what is not the tool's (a bug: keep its stack). */
function report(e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version end through here too, with status 0.
    return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (e instanceof ToolError) {
    process.stderr.write(`osiris-fi: ${e.message}\n`);
    return EXIT_STATUS[e.code];
  }
  throw e;
}

export async function main(argv: string[]): Promise<void> {
  // Before any command runs the simulator (sim/jit-tiering.ts).
  tierForSimulation();
  // Output piped into a reader that stops early (`| head`): stop quietly, as Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    process.exitCode = report(e);
  }
}
