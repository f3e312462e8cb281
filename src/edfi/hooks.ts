/*
 * The fault hooks instrumented server code calls (osiris+edfi): is this
 * block the armed one, count its activation, and the helpers faulty code
 * calls for its values. One runtime is active at a time — that of the
 * world whose kernel is running (activated by the composition root).
 * Emitted code reaches these through src/osiris/hooks.ts.
 */
import type { EdfiRuntime } from './runtime';

/** The simulated clock the activation time is read from. */
export interface FaultClock { readonly now: number }

let active: EdfiRuntime | null = null;
let clock: FaultClock | null = null;

export function activateFaults(rt: EdfiRuntime | null, c: FaultClock | null): void {
  active = rt;
  clock = c;
}

export function armed(i: number): boolean {
  if (active === null) return false;
  if (active.reached !== null) active.reached[i] = 1;
  return active.armed === i;
}

export function hit(): void {
  active!.hit(clock!.now);
}

/** The EDFI helpers faulty code calls (no-load, rnd-load, corrupt-pointer). */
export const E = {
  noLoad(v: unknown): unknown { return active ? active.noLoad(v) : v; },
  rndLoad(v: unknown): unknown { return active ? active.rndLoad(v) : v; },
  ptr(t: unknown, i: unknown, garbage: boolean): unknown { return active ? active.corruptPtr(t, i, garbage) : undefined; },
};
