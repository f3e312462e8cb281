/*
 * How the command line ends when something goes wrong: every error the tool
 * raises is a ToolError (src/tool-error.ts) with a stable code, and this is
 * the one place a code becomes an exit status. Commander's own parse errors
 * (an unknown option, a missing argument, a value not among the choices)
 * are usage errors like the tool's and exit 2 as well.
 *
 * The entry points into this file are:
 *   UsageError    a bad option, argument or combination (code "usage")
 *   EXIT_STATUS   code -> exit status
 *   EXIT          the other exit statuses the commands return
 */
import { ErrorCode, ToolError } from '../tool-error';

export class UsageError extends ToolError {
  constructor(message: string) { super('usage', message); }
}

export const EXIT = {
  ok: 0,
  /** The measured thing failed (a test program, a replay that differs, an incomplete merge). */
  failed: 1,
  usage: 2,
  /** Ctrl-C: the campaign stopped early; what finished is kept. */
  interrupted: 130,
} as const;

export const EXIT_STATUS: Record<ErrorCode, number> = {
  usage: EXIT.usage,
  campaign: EXIT.usage,
  policy: EXIT.usage,
  results: EXIT.usage,
  shard: EXIT.usage,
  exists: EXIT.usage,
  // Not the user's command but the machine: a file system refusing, another writer, the harness.
  io: 1,
  busy: 1,
  harness: 1,
};
