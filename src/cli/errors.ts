/* Errors the CLI reports as one clear line (never a stack trace) with a non-zero exit. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 2) { super(message); this.name = 'UsageError'; }
}
