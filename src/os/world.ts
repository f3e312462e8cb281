/*
 * A whole simulated machine: kernel, servers, init. Boot it, run programs
 * through init, take a snapshot at a quiescent point and restore it.
 *
 * The entry points into this file are:
 *   World.boot()         a fresh system, run until init waits for work
 *   world.runPrograms()  run programs one after another, collecting results
 *   world.snapshot()     the whole world as data (only when quiescent)
 *   World.restore()      a world continuing from a snapshot
 */
import { Halt, HarnessPort, Kernel } from './kernel/kernel';
import { F_HARNESS, F_RECEIVING, Proc, PRIO_USER } from './kernel/proc';
import { SysCalls } from './kernel/syscalls';
import { Co } from './kernel/types';
import { ANY, INIT } from './proto/endpoints';
import { NO_SEF_HOOKS, SefHooks } from './sef/hooks';
import { serverMain, SefEnv, StartMode } from './sef/loop';
import { BootParams, ServerCtx, ServerDef } from './sef/server';
import { Libc } from './libc/libc';
import { SimUserLand } from './libc/userland';
import { Main } from './libc/core';
import { initMain, RunCommand } from './workload/init';

export interface WorldOptions {
  /** Server definitions (a build variant); all six servers. */
  servers: ServerDef<any>[];
  /** Programs that can be exec'd from /bin. */
  programs: Map<string, Main>;
  /** Record a readable trace. */
  trace?: boolean;
  /** Called once the kernel exists, before any server starts (installs instrumentation hooks). */
  setup?: (w: World) => void;
}

export interface ProgramResult {
  name: string;
  status: 'pass' | 'fail' | 'incomplete';
  exitStatus: number;
  checks: number;
  failure?: string;
  messages: number;
  simTime: number;
}

export interface ServerInstance { def: ServerDef<any>; ctx: ServerCtx<any>; proc: Proc; env: SefEnv }

export interface Snapshot {
  kernel: unknown;
  mem: Uint8Array;
  states: Record<number, unknown>;
}

interface Current { name: string; checks: number; failure?: string; t0: number; m0: number }

export class World implements HarnessPort {
  readonly kernel: Kernel;
  readonly servers = new Map<number, ServerInstance>();
  sefHooks: SefHooks = NO_SEF_HOOKS;
  lastHalt: Halt | null = null;
  private commands: RunCommand[] = [];
  private current: Current | null = null;
  private results: ProgramResult[] = [];

  private constructor(readonly opts: WorldOptions) {
    const userland = new SimUserLand(opts.programs, (_k, p, msg) => this.checkFailed(p.endpoint, msg));
    this.kernel = new Kernel(userland, this);
    this.kernel.trace.recording = !!opts.trace;
    if (opts.setup) opts.setup(this);
  }

  static boot(opts: WorldOptions): World {
    const w = new World(opts);
    const params: BootParams = { programs: [...opts.programs.keys()] };
    for (const def of opts.servers) w.startServer(def, def.initialState(params), 'fresh');
    w.startInit(null);
    w.runUntilIdle();
    if (w.lastHalt?.kind !== 'idle') throw new Error(`boot failed: ${w.lastHalt?.kind}: ${w.lastHalt?.reason}`);
    return w;
  }

  /** Start (or restart) a server in its slot with the given data section. */
  startServer(def: ServerDef<any>, st: unknown, mode: StartMode): ServerInstance {
    const k = this.kernel;
    const p = k.procs[def.slot];
    const sys = new SysCalls(k, p);
    const env: SefEnv = { proc: p, hooks: () => this.sefHooks };
    const inst: ServerInstance = { def, proc: p, env, ctx: { st, self: def.slot, name: def.name, sys, replyable: () => p.lastReplyable } };
    const co = serverMain(def, inst.ctx, env, mode);
    if (mode === 'resume') {
      // Run to the first receive outside the kernel: the kernel already holds it as receiving.
      co.next();
      p.co = co;
    } else {
      k.spawnServer(def.slot, def.name, def.prio, co, def.callMask);
    }
    this.servers.set(def.slot, inst);
    return inst;
  }

  /**
   * Recovery's restart: a clone takes over the crashed server's slot and
   * endpoint with the data section `st`, keeping its context and (VFS) its
   * waiting workers. Queued requests stay queued for the clone.
   */
  restartServer(slot: number, st: unknown): ServerInstance {
    const inst = this.servers.get(slot);
    if (!inst) throw new Error(`restart of unknown server slot ${slot}`);
    const k = this.kernel;
    k.detachCrashed(inst.proc);
    inst.ctx.st = st;
    inst.proc.co = serverMain(inst.def, inst.ctx, inst.env, 'restart');
    k.makeReady(inst.proc, true);
    return inst;
  }

  /** Boot parameters (for fresh data sections). */
  bootParams(): BootParams {
    return { programs: [...this.opts.programs.keys()] };
  }

  private startInit(libcData: { errno: number; brkAddr: number } | null): void {
    const k = this.kernel;
    const p = k.procs[INIT];
    const u = new Libc(k, p);
    if (libcData) { u.errno = libcData.errno; u.brkAddr = libcData.brkAddr; }
    const co = initMain(u);
    if (libcData) {
      co.next(); // to its harnessWait; the kernel already holds it as waiting
      p.co = co; p.user = u;
      return;
    }
    p.reset();
    p.endpoint = INIT; p.gen = 0; p.name = 'init'; p.kind = 'user'; p.prio = PRIO_USER; p.flags = 0;
    p.program = 'init'; p.user = u; p.co = co;
    k.makeReady(p, false);
  }

  /* ---- the harness port (init and test programs call these) ---- */

  next(): unknown { return this.commands.shift() ?? null; }
  check(): void { if (this.current) this.current.checks++; }
  checkFailed(_pid: number, message: string): void {
    if (this.current && this.current.failure === undefined) this.current.failure = message;
  }

  private runUntilIdle(): Halt {
    this.lastHalt = this.kernel.run();
    return this.lastHalt;
  }

  /** Run programs one after another in fresh child processes of init. */
  runPrograms(names: string[]): ProgramResult[] {
    this.results = [];
    const k = this.kernel;
    this.commands.push({
      programs: names,
      onStart: (name) => { this.current = { name, checks: 0, t0: k.now, m0: k.trace.messages }; },
      onEnd: (name, status) => {
        const c = this.current!;
        const pass = status === 0 && c.failure === undefined;
        this.results.push({
          name, status: pass ? 'pass' : 'fail', exitStatus: status, checks: c.checks, failure: pass ? undefined : c.failure ?? `exit status ${status}`,
          messages: k.trace.messages - c.m0, simTime: k.now - c.t0,
        });
        this.current = null;
      },
    });
    const halt = this.runUntilIdle();
    if (halt.kind !== 'idle') {
      const done = new Set(this.results.map((r) => r.name));
      for (const name of names) {
        if (done.has(name)) continue;
        const c = this.current?.name === name ? this.current : null;
        this.results.push({
          name, status: 'incomplete', exitStatus: -1, checks: c?.checks ?? 0, failure: c?.failure ?? `${halt.kind}: ${halt.reason}`,
          messages: c ? k.trace.messages - c.m0 : 0, simTime: c ? k.now - c.t0 : 0,
        });
      }
    }
    return this.results;
  }

  /* ---- snapshots ---- */

  /** True when every server waits at the top of its loop and init waits for the harness. */
  isQuiescent(): boolean {
    const k = this.kernel;
    if (this.lastHalt?.kind !== 'idle') return false;
    for (const p of k.procs) {
      if (p.kind === 'server' && !(p.flags === F_RECEIVING && p.recvFrom === ANY)) return false;
      if (p.kind === 'user' && p.endpoint !== INIT) return false;
      if (p.sendq.length || p.asyncq.length || p.notifyPending.length) return false;
    }
    return (k.procs[INIT].flags & F_HARNESS) !== 0;
  }

  snapshot(): Snapshot {
    if (!this.isQuiescent()) throw new Error('snapshot: the world is not quiescent');
    const k = this.kernel;
    const states: Record<number, unknown> = {};
    for (const [slot, inst] of this.servers) states[slot] = structuredClone(inst.ctx.st);
    const procs = k.procs.map((p) => ({
      endpoint: p.endpoint, gen: p.gen, name: p.name, kind: p.kind, prio: p.prio, flags: p.flags, recvFrom: p.recvFrom,
      alarmAt: p.alarmAt, alarmWatchdog: p.alarmWatchdog, userTime: p.userTime, sysTime: p.sysTime,
      pt: p.pt.slice(), grants: structuredClone(p.grants), ksigs: p.ksigs, callMask: p.callMask, program: p.program,
      lastReplyable: p.lastReplyable, lastRequestSource: p.lastRequestSource, steps: p.steps,
      user: p.user ? p.user.toData() : null,
    }));
    return {
      kernel: { now: k.now, overheadNs: k.overheadNs, trace: k.trace.save(), crashes: structuredClone(k.crashes), procs, lastRun: k.lastRunSlot() },
      mem: k.mem.bytes.slice(),
      states,
    };
  }

  static restore(snap: Snapshot, opts: WorldOptions): World {
    const w = new World(opts);
    const k = w.kernel;
    const ks = snap.kernel as any;
    k.now = ks.now; k.overheadNs = ks.overheadNs; k.trace.load(ks.trace); k.crashes = structuredClone(ks.crashes);
    k.mem.bytes.set(snap.mem);
    ks.procs.forEach((d: any, i: number) => {
      const p = k.procs[i];
      p.reset();
      Object.assign(p, { ...d, pt: p.pt, grants: structuredClone(d.grants), user: null });
      p.pt.set(d.pt);
    });
    k.setLastRunSlot(ks.lastRun);
    k.refreshAlarms();
    for (const def of opts.servers) w.startServer(def, structuredClone(snap.states[def.slot]), 'resume');
    w.startInit(ks.procs[INIT].user);
    w.lastHalt = { kind: 'idle', reason: 'restored' };
    return w;
  }
}

export type { Co };
