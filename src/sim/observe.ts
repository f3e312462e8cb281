/*
 * Watching a simulation without changing it: the `observer` option of
 * SimConfig. An observer is wired in before the world starts, so it sees
 * boot as well as the runs, and is told of every request a server receives
 * and finishes, every store an instrumented server makes, every kernel call
 * a server makes and its return, and every server crash. It may read the
 * world (ObservedWorld) but must not change it: the run is the one it would
 * have been (test/seep-audit.test.ts checks that for the SEEP audit, the
 * observer this exists for).
 *
 * The entry points into this file are:
 *   SimObserver      what an observer is told
 *   ObservedWorld    what it may read
 *   installObserver  the wiring (sim.ts, after the recovery hooks, before world.start)
 */
import type { World, ServerInstance } from '../os/world';
import type { Kernel } from '../os/kernel/kernel';
import type { Proc } from '../os/kernel/proc';
import type { Msg } from '../os/kernel/types';
import type { SysCalls } from '../os/kernel/syscalls';
import { RECOVERABLE_SLOTS } from '../os/servers/index';
import { UndoLog } from '../osiris/undo-log';
import type { Checkpointing } from '../osiris/checkpoint';

/** What the observer may read while the world runs (read only: changing anything changes the run). */
export interface ObservedWorld {
  readonly kernel: Kernel;
  /** The server in a slot: its definition, data section and (VFS) worker pool; undefined before it starts. */
  server(slot: number): ServerInstance | undefined;
  /** Whether the server in `slot` reports its stores (`store`): an instrumented server with an undo log. */
  storesReported(slot: number): boolean;
}

/** Told of each event as it happens; every method must leave the world as it found it. */
export interface SimObserver {
  /** Once, before any server runs. */
  attach(world: ObservedWorld): void;
  /** A server received a request (or a VFS worker starts one), after the checkpoint. */
  requestStart(server: Proc, m: Msg): void;
  /** A server's request is done (reply sent or suspended), before its window closes. */
  requestEnd(server: Proc): void;
  /** An instrumented server is about to store to `obj[key]` (its undo log records the store next). */
  store(slot: number, obj: object, key: PropertyKey): void;
  /** A server entered the kernel with kernel call `nr`; `method` is the SysCalls method it called (the kernel's handler). */
  kernelCall(caller: Proc, nr: number, method: string): void;
  /** The SysCalls method the caller called has returned (the kernel call is complete; calls never block). */
  kernelCallDone(caller: Proc): void;
  /** A server died of a fault (the request it was handling never ends). */
  serverCrashed(server: Proc): void;
}

/** A server's undo log that first hands each store to the observer (recovery still rolls back with it). */
class ObservedLog extends UndoLog {
  constructor(private readonly obs: SimObserver, private readonly slot: number, limit: number) { super(limit); }
  override record(obj: object, key: PropertyKey): void {
    this.obs.store(this.slot, obj, key);
    super.record(obj, key);
  }
}

/**
 * Wire `obs` into a world that has not started: around its SEF and kernel
 * hooks (installed by now: the observer sees a request after its
 * checkpoint), into each undo log, and around each server's kernel calls
 * as the server is made.
 */
export function installObserver(world: World, ckpt: Checkpointing | null, obs: SimObserver): void {
  const logs = ckpt ? ckpt.ctx.logs : [];
  for (const s of RECOVERABLE_SLOTS) {
    const log = logs[s];
    if (log) logs[s] = new ObservedLog(obs, s, log.limit);
  }
  const sef = world.sefHooks;
  world.sefHooks = {
    requestStart: (p, m, r) => { sef.requestStart(p, m, r); obs.requestStart(p, m); },
    workerSwitch: (p, m, r) => sef.workerSwitch(p, m, r),
    requestEnd: (p) => { obs.requestEnd(p); sef.requestEnd(p); },
  };
  const k = world.kernel;
  const kh = k.hooks;
  const kcalls = new KernelCallWatch(obs);
  k.hooks = {
    seep: (p, kind, dst, type) => { if (kind === 'kcall') kcalls.entered(p, type); kh.seep(p, kind, dst, type); },
    serverCrashed: (kk, p, info) => { obs.serverCrashed(p); return kh.serverCrashed(kk, p, info); },
  };
  const before = world.serverStarted;
  world.serverStarted = (inst) => { before?.(inst); kcalls.wrap(inst.ctx.sys, inst.def.slot); };
  obs.attach({
    kernel: k,
    server: (slot) => world.servers.get(slot),
    storesReported: (slot) => logs[slot] instanceof ObservedLog,
  });
}

/**
 * Which SysCalls method a kernel call came through, and when it returned.
 * Every method of a server's SysCalls is wrapped on its instance (the
 * kernel calls and the private helpers they share, such as the entry that
 * calls the SEEP hook); per server, the outermost one is the call, and its
 * return completes it. Wrapping the instance, not the class, leaves other
 * worlds in the process as they are.
 */
class KernelCallWatch {
  private readonly calls = new Map<number, { depth: number; method: string; entered: Proc | null }>();

  constructor(private readonly obs: SimObserver) {}

  entered(p: Proc, nr: number): void {
    const c = this.calls.get(p.slot);
    if (c && c.depth > 0) c.entered = p;
    this.obs.kernelCall(p, nr, c && c.depth > 0 ? c.method : 'unknown');
  }

  wrap(sys: SysCalls, slot: number): void {
    const c = { depth: 0, method: '', entered: null as Proc | null };
    this.calls.set(slot, c);
    const obs = this.obs;
    const proto = Object.getPrototypeOf(sys) as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const f = proto[name];
      if (name === 'constructor' || typeof f !== 'function') continue;
      const call = f as (...a: unknown[]) => unknown;
      Object.defineProperty(sys, name, {
        configurable: true, writable: true,
        value: function (this: SysCalls, ...a: unknown[]): unknown {
          if (c.depth++ === 0) c.method = name;
          try { return call.apply(this, a); } finally {
            if (--c.depth === 0 && c.entered) { const p = c.entered; c.entered = null; obs.kernelCallDone(p); }
          }
        },
      });
    }
  }
}
