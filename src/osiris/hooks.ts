/*
 * The run-time hooks instrumented server code calls (the build step emits
 * `const __rt = require(<this module>)` into every instrumented file). One
 * module-level context is active at a time — the world whose kernel is
 * running — so hooks find the current server's undo log, its recovery
 * window and the counters without threading them through server code. The
 * fault hooks are EDFI's (src/edfi/hooks.ts), re-exported here so emitted
 * code has one runtime object.
 *
 * What the passes emit:
 *   __rt.log(obj, key)      before a store          (ckpt, osiris*)
 *   __rt.win()              at function entry       (osiris*: choose the logging clone)
 *   __rt.step()             at each loop iteration  (every variant: hang detection)
 *   __rt.E                  the EDFI runtime        (osiris+edfi)
 *   __rt.armed(i)/hit(i)    block armed? count it   (osiris+edfi)
 *   __rt.prof(i, n)         count a block           (osiris+prof)
 */
import type { Kernel } from '../os/kernel/kernel';
import { COST } from '../os/kernel/cost';
import { UndoLog } from './undo-log';
import { RecoveryWindows } from './window';
import { ProfCounters } from './prof-counters';

import { armed as edfiArmed, hit as edfiHit, E as edfiE } from '../edfi/hooks';

/*
 * EDFI's hooks as plain exported bindings, not `export { } from`: tsc
 * compiles a re-export to a getter on the exports object, and emitted code
 * calls __rt.armed at every block, so each check would first call a getter.
 */
export const armed = edfiArmed;
export const hit = edfiHit;
export const E = edfiE;

export interface HookContext {
  kernel: Kernel;
  /** Undo log per process slot (null: not logged). */
  logs: (UndoLog | null)[];
  /** Each slot's recovery window (read here; a full log closes it). */
  windows: RecoveryWindows;
  prof: ProfCounters | null;
}

let active: HookContext | null = null;

export function activate(ctx: HookContext | null): void {
  active = ctx;
}

export function activeContext(): HookContext | null {
  return active;
}

export function log(obj: object, key: PropertyKey): void {
  const c = active;
  if (!c) return;
  const p = c.kernel.current;
  if (!p) return;
  const l = c.logs[p.slot];
  if (l) {
    l.record(obj, key);
    c.kernel.overheadNs += COST.undoLogStore;
    // A full log cannot roll back: the window closes, as a state-modifying SEEP would close it.
    if (l.overflowed) c.windows.overflow(p.slot);
  }
}

export function win(): boolean {
  const c = active;
  if (!c) return false;
  const p = c.kernel.current;
  c.kernel.overheadNs += COST.cloneDispatch;
  return p !== null && c.windows.open[p.slot] === true && c.logs[p.slot] !== null;
}

export function step(): void {
  const c = active;
  if (c) c.kernel.step();
}

export function prof(i: number, n: number): void {
  const c = active;
  if (!c || !c.prof) return;
  const p = c.kernel.current;
  c.prof.hits[i]!++;
  if (p && c.windows.open[p.slot]) c.prof.inside[i]! += n;
  else c.prof.outside[i]! += n;
}

/* ---- store hooks (ckpt and the logging clones): log, then store ---- */

/*
 * Every instrumented store of every server goes through the few property
 * accesses below, so V8 sees each of them with every object shape at once
 * (megamorphic), and a megamorphic element access into a typed array is
 * slow: a byte copied into a pipe's or DS's Uint8Array cost ~100 ns
 * instead of ~10. So each access comes in three copies — typed-array
 * elements, other number keys (plain arrays), names — each copy an inline
 * cache of its own that sees few shapes. Same accesses in the same order;
 * only which cache serves them differs.
 */

type Obj = Record<PropertyKey, any>;

/** A typed array (or DataView)? Not a type guard, so `o` keeps its index signature. */
function typed(o: object): boolean {
  return ArrayBuffer.isView(o);
}

export function set(o: Obj, k: PropertyKey, v: unknown): unknown {
  log(o, k);
  if (typeof k === 'number') {
    if (typed(o)) return (o[k] = v);
    return (o[k] = v);
  }
  return (o[k] = v);
}

export function cset(o: Obj, k: PropertyKey, op: string, v: any): unknown {
  log(o, k);
  if (typeof k === 'number') {
    if (typed(o)) return (o[k] = compound(o[k], op, v));
    return (o[k] = compound(o[k], op, v));
  }
  return (o[k] = compound(o[k], op, v));
}

/** `a op v` for the compound assignment `o[k] op= v`. */
function compound(a: any, op: string, v: any): unknown {
  switch (op) {
    case '+': return a + v;
    case '-': return a - v;
    case '*': return a * v;
    case '/': return a / v;
    case '%': return a % v;
    case '**': return a ** v;
    case '<<': return a << v;
    case '>>': return a >> v;
    case '>>>': return a >>> v;
    case '&': return a & v;
    case '|': return a | v;
    case '^': return a ^ v;
    default: throw new Error(`store hook: unknown operator ${op}`);
  }
}

export function lset(o: Obj, k: PropertyKey, op: string, v: () => unknown): unknown {
  const a = o[k];
  if (op === '&&' ? !a : op === '||' ? a : a !== null && a !== undefined) return a;
  log(o, k);
  return (o[k] = v());
}

export function inc(o: Obj, k: PropertyKey, d: number, prefix: boolean): number {
  log(o, k);
  let old: number;
  if (typeof k !== 'number') { old = +o[k]; o[k] = old + d; }
  else if (typed(o)) { old = +o[k]; o[k] = old + d; }
  else { old = +o[k]; o[k] = old + d; }
  return prefix ? old + d : old;
}

export function del(o: Obj, k: PropertyKey): boolean {
  log(o, k);
  return delete o[k];
}
