/*
 * A bare kernel with hand-written processes, for testing IPC semantics
 * without any server: each process is a generator given as a "server".
 *
 * The entry points into this file are:
 *   bareKernel   a kernel with no processes
 *   spawn        put a hand-written process in a slot
 */
import { Kernel, UserLand, HarnessPort } from '../../src/os/kernel/kernel';
import { Co } from '../../src/os/kernel/types';
import { PRIO_SYSTEM } from '../../src/os/kernel/proc';

const NO_USERLAND: UserLand = { exec: () => null, fork: () => {}, ended: () => null };
const NO_HARNESS: HarnessPort = { next: () => null, check: () => {}, checkFailed: () => {}, housekeeping: () => {}, checking: () => 'strict' };

export function bareKernel(): Kernel {
  return new Kernel(NO_USERLAND, NO_HARNESS);
}

/** Put a coroutine in `slot` as a system process with every kernel call allowed. */
export function spawn(k: Kernel, slot: number, name: string, co: Co<unknown>, prio = PRIO_SYSTEM): void {
  k.spawnServer(slot, name, prio, co, 0xffffffff);
}
