/*
 * The exceptions that mean something to the kernel: thrown inside a
 * process, each ends that process in its own way (the analog of a trap).
 *
 * The entry points into this file are:
 *   KernelPanic    a violated kernel invariant: the run ends as an uncontrolled crash
 *   ServerPanic    a server's own assertion failed: a fail-stop crash of that server
 *   SegFault       an access to an unmapped page
 *   HangDetected   a handler exceeded its step budget: a hang, made fail-stop
 *   panic          what server code calls to throw a ServerPanic
 */

/** A violated kernel invariant: the run ends as an uncontrolled crash. */
export class KernelPanic extends Error {
  constructor(message: string) { super(`kernel panic: ${message}`); this.name = 'KernelPanic'; }
}

/** A server's defensive assertion failed: a fail-stop crash of that server. */
export class ServerPanic extends Error {
  constructor(readonly server: string, message: string) { super(`${server} panic: ${message}`); this.name = 'ServerPanic'; }
}

/** A memory access to an unmapped page: the simulated segmentation fault. */
export class SegFault extends Error {
  constructor(readonly ep: number, readonly addr: number) { super(`segmentation fault at 0x${addr.toString(16)}`); this.name = 'SegFault'; }
}

/** A handler ran past its step budget: a hang, detected as RS's heartbeat would. */
export class HangDetected extends Error {
  constructor(readonly steps: number) { super(`hang: no progress after ${steps} steps`); this.name = 'HangDetected'; }
}

/** Thrown by a server's `panic()`: use in server code for broken invariants. */
export function panic(server: string, message: string): never {
  throw new ServerPanic(server, message);
}
