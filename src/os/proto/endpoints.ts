/*
 * Process slots and endpoints. An endpoint carries a generation number so a
 * message to a process that has died and whose slot was reused is refused,
 * as in MINIX (_ENDPOINT(g, p)).
 *
 * The entry points into this file are:
 *   PM, VFS, RS, DS, VM, MFS, INIT     the fixed slots of the system processes
 *   KERNEL, CLOCK, ANY, NONE           pseudo endpoints
 *   NR_SLOTS, FIRST_USER_SLOT, GEN_SPAN   the process table's geometry
 *   SERVER_NAMES                       a system slot's server name
 *   slotOf, makeEndpoint, isSystemSlot endpoint arithmetic
 *   RECOVERABLE                        the recoverable servers (to be replaced by servers/index.ts)
 */

export const NR_SLOTS = 64;
/** Endpoint = generation * GEN_SPAN + slot. */
export const GEN_SPAN = 1024;

/* Fixed slots of the system processes (generation 0: endpoint === slot). */
export const PM = 0;
export const VFS = 1;
export const RS = 2;
export const DS = 3;
export const VM = 4;
export const MFS = 5;
export const INIT = 6;
/** First slot handed to forked user processes. */
export const FIRST_USER_SLOT = 7;

/* Pseudo endpoints. */
export const KERNEL = -2;
export const CLOCK = -3;
export const ANY = 0x7ace;
export const NONE = 0x6ace;

export const SERVER_NAMES: Record<number, string> = {
  [PM]: 'pm', [VFS]: 'vfs', [RS]: 'rs', [DS]: 'ds', [VM]: 'vm', [MFS]: 'mfs',
};

/**
 * The recoverable servers, fault targets of every campaign. The one list is
 * RECOVERABLE_NAMES in src/os/servers/index.ts; this copy (in its own
 * order, which `sites` and `profile` print in) remains until its users
 * there — experiment/golden.ts, cli/profile.ts, cli/sites.ts — import that.
 */
export const RECOVERABLE = ['pm', 'vm', 'vfs', 'ds', 'rs'] as const;

export function slotOf(ep: number): number {
  return ((ep % GEN_SPAN) + GEN_SPAN) % GEN_SPAN;
}

export function makeEndpoint(gen: number, slot: number): number {
  return gen * GEN_SPAN + slot;
}

export function isSystemSlot(slot: number): boolean {
  return slot < INIT;
}
