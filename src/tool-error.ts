/*
 * The one base class of the errors the tool reports to its user: a stable
 * code (what kind of problem, for scripts and for the exit status) and a
 * one-line message saying what is wrong and what to do. It sits at the root
 * of src/ so every layer can raise one; only the command line (src/cli)
 * turns the code into an exit status (cli/errors.ts).
 *
 * The entry points into this file are:
 *   ToolError    the base class
 *   ErrorCode    the stable codes
 */

/**
 * usage     a bad option, argument or combination of them
 * campaign  a campaign file that cannot be read or is not valid
 * policy    a policy name or policy file that is not valid
 * results   a results directory whose manifest or journal is unusable or not of one campaign
 * shard     a bad --shard, or shards that do not belong together
 * exists    the output already holds something the command will not overwrite
 * busy      another live process holds the results directory
 * io        the file system refused a read or write (full, read-only, not a directory, ...)
 * harness   the tool itself failed while running (a worker that cannot boot)
 */
export type ErrorCode = 'usage' | 'campaign' | 'policy' | 'results' | 'shard' | 'exists' | 'busy' | 'io' | 'harness';

export class ToolError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
  }
}
