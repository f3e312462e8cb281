/* Hook contexts around a fake kernel, for tests of instrumented code outside a world. */
import * as hooks from '../../src/osiris/hooks';
import { activateFaults } from '../../src/edfi/hooks';
import type { EdfiRuntime } from '../../src/edfi/runtime';
import { RecoveryWindows } from '../../src/osiris/window';
import type { Msg } from '../../src/os/kernel/types';

/** The windows of a one-slot system (slot 0, recoverable), open or closed. */
export function windowsOf(open: boolean): RecoveryWindows {
  const w = new RecoveryWindows(1, [0]);
  setWindow(w, 0, open);
  return w;
}

/** Open the slot's window (a request checkpoint) or close it (a SEEP). */
export function setWindow(w: RecoveryWindows, slot: number, open: boolean): void {
  if (open) w.start(slot, { type: 1, source: 7 } as Msg, true);
  else w.close(slot, 'test');
}

/** Make `ctx` (and `edfi`, the fault runtime) the active hook context; null: none. */
export function activateHooks(ctx: hooks.HookContext | null, edfi: EdfiRuntime | null = null): void {
  hooks.activate(ctx);
  activateFaults(edfi, ctx ? ctx.kernel : null);
}
