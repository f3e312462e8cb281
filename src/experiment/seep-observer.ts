/*
 * The SEEP audit's observer: given to a simulation as its `observer`
 * (SimConfig, src/sim/observe.ts) on the `ckpt` build, which logs every
 * store, or an osiris build, which logs stores inside windows only, it
 * sees every request a server receives and every kernel call a server
 * makes, from boot on, and records whether handling it changed the
 * receiver's state. It only watches: the run is the one it would have been.
 *
 * The receiver of a message is the server that handles it (whoever sent
 * it: a server or a user process through libc). Its state is its data
 * section:
 *   - an instrumented server (PM, VFS, RS, DS, VM) reports every store
 *     through the store hooks; the observer keeps, per request, the value
 *     each stored field had before the request's first store to it, and at
 *     the end of the request compares it with the value there now. VFS's
 *     workers interleave, so a store goes to the request of the worker
 *     running at the time (ThreadPool.running), not to the last request
 *     received.
 *   - MFS is not instrumented: its data section is copied at the start of
 *     the request and compared with the one at the end.
 * Values are compared, not stores counted: a request that writes the value
 * a field already had, or changes it and puts it back, leaves the state as
 * it found it, which is all that a rollback of the sender could need to
 * undo. Stores to objects not reachable from the data section (a handler's
 * local temporaries) are not state and are ignored.
 *
 * The receiver of a kernel call is the kernel. What is observed is its
 * process table as data (per live process: kind, priority, scheduling
 * flags, privileges, alarm, page table, grants, kernel signals, pending
 * handler calls, fi arming, pending notifications) and whether it halted.
 * Out of scope: user memory (a copy into a buffer is the requester's
 * buffer, which REQUEST_SPECIFIC is about, and the physical-memory calls are
 * GLOBAL_CHANGE anyway), accounting (user and system time, simulated
 * time) and the trace. The comparison is made when the kernel call's
 * method returns (the simulation says when).
 *
 * Only passages whose classification says the receiver's state stays as it
 * was are compared (the others cannot contradict the table); every passage
 * counts as exercised.
 */
import type { ObservedWorld, SimObserver } from '../sim/sim';
import type { Proc } from '../os/kernel/proc';
import type { Msg } from '../os/kernel/types';
import type { Kernel } from '../os/kernel/kernel';
import type { ThreadPool, Worker } from '../os/sef/threads';
import { F_FREE } from '../os/kernel/proc';
import { NOTIFY_MESSAGE } from '../os/proto/calls';
import type { Seep } from '../osiris/seep-table';
import { ABSENT, Change, copyState, diffState, fieldName, pathsTo, sameValue } from './state-diff';

export interface SeepTables { messages: Record<number, Seep>; kcalls: Record<number, Seep> }

/** One request or kernel call that changed its receiver's state. */
export interface Observation { receiver: string; handler: string; source: string; run: string; changes: Change[] }

/** What was seen of one table entry. */
export interface EntryStats {
  seen: number;
  compared: number;
  changed: number;
  /** Passages that stored to the receiver's state but left every value as it was (not changes). */
  unchangedStores: number;
  first: Observation | null;
}

/** A classification under which the receiver's own state must be left as it was. */
export function leavesReceiverAlone(s: Seep): boolean {
  return !s.modifies || s.decision === 'REQUEST_SPECIFIC';
}

interface OpenRequest {
  slot: number;
  type: number;
  source: number;
  run: string;
  /** Instrumented: the value of each stored field before the request's first store to it. */
  stores: Map<object, Map<PropertyKey, unknown>> | null;
  /** Uninstrumented: a copy of the data section at the start. */
  before: unknown;
}

type Key = Worker | 'main';

export interface ObserverOptions {
  /** Add to these statistics (several runs, one audit). */
  into?: { messages: Map<number, EntryStats>; kcalls: Map<number, EntryStats> };
  /** A server whose requests and kernel calls are not compared (the one a fault is armed in). */
  exclude?: string;
}

/** Give it to Sim.boot or Sim.restore as `observer` (SimConfig); it watches from before the world starts. */
export class SeepObserver implements SimObserver {
  readonly messages: Map<number, EntryStats>;
  readonly kcalls: Map<number, EntryStats>;
  /** The program running now (names the run an observation comes from); boot until told otherwise. */
  run = 'boot';
  private w: ObservedWorld | null = null;
  private readonly open = new Map<number, Map<Key, OpenRequest | null>>();
  private pendingKcall: { p: Proc; nr: number; method: string; run: string; before: string[] } | null = null;

  constructor(private readonly tables: SeepTables, private readonly opts: ObserverOptions = {}) {
    this.messages = opts.into?.messages ?? new Map();
    this.kcalls = opts.into?.kcalls ?? new Map();
  }

  attach(world: ObservedWorld): void {
    if (this.w) throw new Error('seep observer: already watching a simulation (make one per Sim)');
    this.w = world;
  }

  private get world(): ObservedWorld {
    if (!this.w) throw new Error('seep observer: not attached (pass it as `observer` to Sim.boot or Sim.restore)');
    return this.w;
  }

  private get k(): Kernel {
    return this.world.kernel;
  }

  requestStart(p: Proc, m: Msg): void {
    this.flushKcall();
    this.start(p, m);
  }

  requestEnd(p: Proc): void {
    this.flushKcall();
    this.end(p);
  }

  serverCrashed(p: Proc): void {
    this.flushKcall();
    this.crashed(p);
  }

  kernelCall(p: Proc, nr: number, method: string): void {
    this.flushKcall();
    this.kcall(p, nr, method);
  }

  /** The kernel call is done when its SysCalls method returns: compare there (MFS waits for the disk right after setting its alarm). */
  kernelCallDone(): void {
    this.flushKcall();
  }

  /** The request a crashed server was handling never ends: forget it (recovery rolls it back). */
  private crashed(p: Proc): void {
    this.open.get(p.slot)?.delete(this.current(p.slot));
  }

  private stats(map: Map<number, EntryStats>, type: number): EntryStats {
    let s = map.get(type);
    if (!s) { s = { seen: 0, compared: 0, changed: 0, unchangedStores: 0, first: null }; map.set(type, s); }
    return s;
  }

  private pool(slot: number): ThreadPool | undefined {
    return this.world.server(slot)?.env.pool;
  }

  private current(slot: number): Key {
    return this.pool(slot)?.running ?? 'main';
  }

  private start(p: Proc, m: Msg): void {
    const seep = this.tables.messages[m.type];
    let req: OpenRequest | null = null;
    if (seep) {
      const st = this.stats(this.messages, m.type);
      st.seen++;
      if (leavesReceiverAlone(seep) && p.name !== this.opts.exclude) {
        const instrumented = this.world.storesReported(p.slot);
        req = {
          slot: p.slot, type: m.type, source: m.source, run: this.run,
          stores: instrumented ? new Map() : null,
          before: instrumented ? null : copyState(this.state(p.slot)),
        };
      }
    }
    let reqs = this.open.get(p.slot);
    if (!reqs) { reqs = new Map(); this.open.set(p.slot, reqs); }
    reqs.set(this.current(p.slot), req);
  }

  private end(p: Proc): void {
    const reqs = this.open.get(p.slot);
    if (!reqs) return;
    // A VFS worker has finished (its coroutine is gone) or the main loop handled a notification.
    let key: Key | null = reqs.has('main') ? 'main' : null;
    if (key === null) for (const w of reqs.keys()) if (w !== 'main' && w.co === null) { key = w; break; }
    if (key === null) return;
    const req = reqs.get(key) ?? null;
    reqs.delete(key);
    if (req) this.finish(req);
  }

  /** A store by the server in `slot` (from its store hooks). */
  store(slot: number, obj: object, key: PropertyKey): void {
    const req = this.open.get(slot)?.get(this.current(slot));
    if (!req || !req.stores) return;
    let keys = req.stores.get(obj);
    if (!keys) { keys = new Map(); req.stores.set(obj, keys); }
    if (!keys.has(key)) keys.set(key, key in obj ? (obj as Record<PropertyKey, unknown>)[key] : ABSENT);
  }

  private state(slot: number): object {
    return this.world.server(slot)!.ctx.st as object;
  }

  private finish(req: OpenRequest): void {
    const st = this.state(req.slot);
    const changes: Change[] = [];
    let rewrote = false;
    if (req.stores) {
      const changed: [object, PropertyKey, unknown, unknown][] = [];
      for (const [obj, keys] of req.stores) {
        for (const [key, old] of keys) {
          const now = key in obj ? (obj as Record<PropertyKey, unknown>)[key] : ABSENT;
          if (!sameValue(old, now)) changed.push([obj, key, old, now]);
        }
      }
      // Stores that left every value as it was still count as "stored" (to show values, not stores, decide).
      const paths = pathsTo(st, new Set(req.stores.keys()));
      for (const obj of req.stores.keys()) if (paths.has(obj)) { rewrote = true; break; }
      {
        for (const [obj, key, old, now] of changed) {
          const path = paths.get(obj);
          if (path === undefined) continue; // a local temporary, not state
          const one: Change[] = [];
          diffState(old === ABSENT ? undefined : old, now === ABSENT ? undefined : now, fieldName(path, obj, key), one, 1);
          if (one.length === 0) one.push({ field: fieldName(path, obj, key), old: String(old), new: String(now) });
          changes.push(one[0]!);
        }
      }
    } else {
      diffState(req.before, st, '', changes);
    }
    const inst = this.world.server(req.slot)!;
    const entry = inst.def.table[req.type];
    const handler = entry ? `${inst.def.name}: ${entry.name} (${entry.handler.name || 'anonymous'})`
      : req.type === NOTIFY_MESSAGE && inst.def.notify ? `${inst.def.name}: notify (${inst.def.notify.name || 'anonymous'})`
      : `${inst.def.name}: no handler`;
    const stats = this.stats(this.messages, req.type);
    if (rewrote && changes.length === 0) stats.unchangedStores++;
    this.note(stats, changes, { receiver: inst.def.name, handler, source: this.k.nameOf(req.source), run: req.run, changes });
  }

  private note(s: EntryStats, changes: Change[], o: Observation): void {
    s.compared++;
    if (changes.length === 0) return;
    s.changed++;
    if (!s.first) s.first = o;
  }

  private kcall(p: Proc, nr: number, method: string): void {
    const seep = this.tables.kcalls[nr];
    if (!seep) return;
    this.stats(this.kcalls, nr).seen++;
    if (leavesReceiverAlone(seep) && p.name !== this.opts.exclude) this.pendingKcall = { p, nr, method, run: this.run, before: kernelView(this.k) };
  }

  /** Compare the kernel after the pending kernel call (it completed: its caller reached a hook again). */
  flushKcall(): void {
    const c = this.pendingKcall;
    if (!c) return;
    this.pendingKcall = null;
    const after = kernelView(this.k);
    const changes: Change[] = [];
    for (let i = 0; i < after.length && changes.length < 8; i++) {
      if (c.before[i] === after[i]) continue;
      const a = fields(c.before[i]!), b = fields(after[i]!);
      const keys = Object.keys(a);
      for (const f of Object.keys(b)) if (!(f in a)) keys.push(f);
      const at = i < this.k.procs.length ? `proc[${i}] ${this.k.procs[i]!.name || '(free)'}.` : 'kernel.';
      for (const f of keys) if (a[f] !== b[f] && changes.length < 8) changes.push({ field: at + f, old: a[f] ?? '(none)', new: b[f] ?? '(none)' });
    }
    this.note(this.stats(this.kcalls, c.nr), changes, { receiver: 'kernel', handler: `kernel: ${c.method || 'unknown'}`, source: c.p.name, run: c.run, changes });
  }
}

function fields(json: string): Record<string, string> {
  return json === '' ? {} : JSON.parse(json) as Record<string, string>;
}

/**
 * The kernel's state as the audit sees it: per slot, its fields as JSON
 * ('' for a free slot), then whether the kernel halted. A process's name is
 * a field (exec changes it); page-table entries and grants are one field
 * each, present while mapped or granted.
 */
export function kernelView(k: Kernel): string[] {
  const v: string[] = [];
  for (const p of k.procs) {
    if (p.flags & F_FREE) { v.push(''); continue; }
    const f: Record<string, string> = {
      process: `${p.name} (endpoint ${p.endpoint}, ${p.kind})`, prio: String(p.prio), flags: String(p.flags), callMask: String(p.callMask >>> 0),
      alarm: `${p.alarmAt}${p.alarmWatchdog ? ' (watchdog)' : ''}`, ksigs: String(p.ksigs), fiArmed: String(p.fiArmed), notifyPending: p.notifyPending.join(','),
    };
    for (let i = 0; i < p.pt.length; i++) if (p.pt[i]! >= 0) f[`pt[${i}]`] = String(p.pt[i]);
    p.grants.forEach((g, i) => { if (g) f[`grants[${i}]`] = JSON.stringify(g); });
    if (p.user) f.pendingCatch = JSON.stringify(p.user.pendingCatch);
    v.push(JSON.stringify(f));
  }
  v.push(JSON.stringify({ halted: k.halted ? k.halted.kind : '' }));
  return v;
}
