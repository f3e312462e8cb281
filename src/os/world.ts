/*
 * A whole simulated machine: kernel, servers, init. Boot it, run programs
 * through init, take a snapshot at a quiescent point and restore it.
 *
 * A world is made in two steps, so that whoever composes it (src/sim) can
 * install recovery and fault hooks on the kernel before any server runs:
 * World.create() makes the kernel and nothing else; world.start() boots
 * the servers or resumes them from the snapshot the world was created from.
 *
 * The entry points into this file are:
 *   World.create()       a world not yet started (fresh, or from a snapshot)
 *   world.start()        boot (run until init waits for work) or resume
 *   World.boot() / World.restore()   both steps at once
 *   world.runPrograms()  run programs one after another, collecting results
 *   world.snapshot()     the whole world as data (only when quiescent)
 *   world.dispose()      the world is over: its buffers go back for later restores
 */
import { CheckingMode, Halt, HarnessPort, Kernel } from './kernel/kernel';
import { F_HARNESS, F_RECEIVING, Proc, PRIO_USER } from './kernel/proc';
import { SysCalls } from './kernel/syscalls';
import { ANY, INIT } from './proto/endpoints';
import { NO_SEF_HOOKS, SefHooks } from './sef/hooks';
import { serverMain, SefEnv, StartMode } from './sef/loop';
import { BootParams, ServerCtx, ServerDef } from './sef/server';
import { Libc } from './libc/libc';
import { SimUserLand } from './libc/userland';
import { Main } from './libc/core';
import { initMain, RunCommand } from './workload/init';
import { loadProcImage, procImage, Snapshot } from './snapshot';
import { cloneSnapshotData, releaseCopies } from './snapshot-copy';

export type { Snapshot } from './snapshot';

export interface WorldOptions {
  /** Server definitions (a build variant); all six servers. */
  servers: ServerDef<any>[];
  /** Programs that can be exec'd from /bin. */
  programs: Map<string, Main>;
  /** Record a readable trace. */
  trace?: boolean;
}

export interface ProgramResult {
  name: string;
  status: 'pass' | 'fail' | 'incomplete';
  exitStatus: number;
  checks: number;
  /** Housekeeping calls made (test-api.ts); under 'strict' they are also counted in `checks`. */
  housekeeping: number;
  /** Housekeeping calls that got an error (absorbed under 'minix'). */
  housekeepingErrors: number;
  failure?: string;
  messages: number;
  simTime: number;
}

export interface ServerInstance { def: ServerDef<any>; ctx: ServerCtx<any>; proc: Proc; env: SefEnv }

interface Current { name: string; checks: number; housekeeping: number; housekeepingErrors: number; failure?: string; t0: number; m0: number }

export interface RunProgramsOptions {
  checking?: CheckingMode;
  /** Called when init starts a program and when it has reaped it (the golden run's test marks). */
  onTest?: (event: 'start' | 'end', name: string) => void;
}

export class World implements HarnessPort {
  readonly kernel: Kernel;
  readonly servers = new Map<number, ServerInstance>();
  sefHooks: SefHooks = NO_SEF_HOOKS;
  /** Called with each server's instance as it is made (boot, resume), before any of its code runs: src/sim's observation wraps its kernel calls here. */
  serverStarted: ((inst: ServerInstance) => void) | null = null;
  lastHalt: Halt | null = null;
  private commands: RunCommand[] = [];
  private current: Current | null = null;
  private results: ProgramResult[] = [];
  private checkingMode: CheckingMode = 'strict';
  private started = false;
  /** Typed arrays resume copied into the servers' state (given back by dispose). */
  private readonly restoredBuffers: ArrayBufferView[] = [];
  private disposed = false;

  private constructor(readonly opts: WorldOptions, private readonly from: Snapshot | null) {
    const userland = new SimUserLand(opts.programs, (_k, p, msg) => this.checkFailed(p.endpoint, msg));
    this.kernel = new Kernel(userland, this, from ? from.mem : undefined);
    this.kernel.trace.recording = !!opts.trace;
  }

  /** A world whose kernel exists and nothing has run: fresh, or holding `from`'s memory until start() resumes it. */
  static create(opts: WorldOptions, from: Snapshot | null = null): World {
    return new World(opts, from);
  }

  static boot(opts: WorldOptions): World {
    return World.create(opts).start();
  }

  static restore(snap: Snapshot, opts: WorldOptions): World {
    return World.create(opts, snap).start();
  }

  /** Boot the servers and init (run until init waits for work), or resume the snapshot the world was created from. */
  start(): this {
    if (this.started) throw new Error('world: already started');
    this.started = true;
    if (this.from) this.resume(this.from);
    else this.bootFresh();
    return this;
  }

  private bootFresh(): void {
    const params: BootParams = { programs: [...this.opts.programs.keys()] };
    for (const def of this.opts.servers) this.startServer(def, def.initialState(params), 'fresh');
    this.startInit(null);
    this.runUntilIdle();
    if (this.lastHalt?.kind !== 'idle') throw new Error(`boot failed: ${this.lastHalt?.kind}: ${this.lastHalt?.reason}`);
  }

  /** Start (or restart) a server in its slot with the given data section. */
  startServer(def: ServerDef<any>, st: unknown, mode: StartMode): ServerInstance {
    const k = this.kernel;
    const p = k.procs[def.slot]!;
    const sys = new SysCalls(k, p);
    const env: SefEnv = { proc: p, hooks: () => this.sefHooks };
    const inst: ServerInstance = { def, proc: p, env, ctx: { st, self: def.slot, name: def.name, sys, replyable: () => p.lastReplyable } };
    this.serverStarted?.(inst);
    const co = (def.main ?? serverMain)(def, inst.ctx, env, mode);
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
    inst.proc.co = (inst.def.main ?? serverMain)(inst.def, inst.ctx, inst.env, 'restart');
    k.makeReady(inst.proc, true);
    return inst;
  }

  /** Boot parameters (for fresh data sections). */
  bootParams(): BootParams {
    return { programs: [...this.opts.programs.keys()] };
  }

  private startInit(libcData: { errno: number; brkAddr: number } | null): void {
    const k = this.kernel;
    const p = k.procs[INIT]!;
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
  housekeeping(failed: boolean): void {
    if (this.current) { this.current.housekeeping++; if (failed) this.current.housekeepingErrors++; }
  }
  checking(): CheckingMode { return this.checkingMode; }
  checkFailed(_pid: number, message: string): void {
    if (this.current && this.current.failure === undefined) this.current.failure = message;
  }

  private runUntilIdle(): Halt {
    this.lastHalt = this.kernel.run();
    return this.lastHalt;
  }

  /** Run programs one after another in fresh child processes of init; `checking` defaults to 'strict'; `onTest` sees each program start and end. */
  runPrograms(names: string[], opts: RunProgramsOptions = {}): ProgramResult[] {
    this.results = [];
    this.checkingMode = opts.checking ?? 'strict';
    const k = this.kernel;
    this.commands.push({
      programs: names,
      onStart: (name) => { opts.onTest?.('start', name); this.current = { name, checks: 0, housekeeping: 0, housekeepingErrors: 0, t0: k.now, m0: k.trace.messages }; },
      onEnd: (name, status) => {
        opts.onTest?.('end', name);
        const c = this.current!;
        const pass = status === 0 && c.failure === undefined;
        this.results.push({
          name, status: pass ? 'pass' : 'fail', exitStatus: status, checks: c.checks, housekeeping: c.housekeeping, housekeepingErrors: c.housekeepingErrors, failure: pass ? undefined : c.failure ?? `exit status ${status}`,
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
        this.results.push(c ? {
          name, status: 'incomplete', exitStatus: -1, checks: c.checks, housekeeping: c.housekeeping, housekeepingErrors: c.housekeepingErrors, failure: c.failure ?? `${halt.kind}: ${halt.reason}`,
          messages: k.trace.messages - c.m0, simTime: k.now - c.t0,
        } : notStarted(name, halt));
      }
    }
    return this.results;
  }

  /** Programs of a later command a halted run never started, reported as runPrograms reports those after its halt. */
  unstarted(names: string[]): ProgramResult[] {
    const halt = this.lastHalt;
    if (!halt || halt.kind === 'idle') throw new Error('world: the run has not halted');
    return names.map((name) => notStarted(name, halt));
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
    return (k.procs[INIT]!.flags & F_HARNESS) !== 0;
  }

  snapshot(): Snapshot {
    if (!this.isQuiescent()) throw new Error('snapshot: the world is not quiescent');
    const k = this.kernel;
    const states: Record<number, unknown> = {};
    for (const [slot, inst] of this.servers) states[slot] = structuredClone(inst.ctx.st);
    return {
      kernel: { now: k.now, overheadNs: k.overheadNs, trace: k.trace.save(), crashes: structuredClone(k.crashes), procs: k.procs.map(procImage), lastRun: k.lastRunSlot() },
      mem: k.mem.bytes.slice(),
      states,
    };
  }

  /** Continue from a snapshot: the kernel's state, then every server at the top of its loop, then init. */
  private resume(snap: Snapshot): void {
    const k = this.kernel;
    const ks = snap.kernel;
    // Restores run thousands of times per campaign: snapshot data is copied
    // by copiers compiled for it (the same copy as structuredClone, faster).
    k.now = ks.now; k.overheadNs = ks.overheadNs; k.trace.load(ks.trace); k.crashes = cloneSnapshotData(ks.crashes);
    for (let i = 0; i < ks.procs.length; i++) loadProcImage(k.procs[i]!, ks.procs[i]!);
    k.setLastRunSlot(ks.lastRun);
    k.refreshAlarms();
    for (const def of this.opts.servers) this.startServer(def, cloneSnapshotData(snap.states[def.slot], this.restoredBuffers), 'resume');
    this.startInit(ks.procs[INIT]!.user);
    this.lastHalt = { kind: 'idle', reason: 'restored' };
  }

  /**
   * The world is over and whoever ran it has read what it needs: physical
   * memory and the typed arrays of the restored state go back for later
   * restores to refill (a campaign restores once per run). Nothing may use
   * the world, its servers' state or its memory afterwards.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.kernel.mem.release();
    releaseCopies(this.restoredBuffers);
  }
}

function notStarted(name: string, halt: Halt): ProgramResult {
  return { name, status: 'incomplete', exitStatus: -1, checks: 0, housekeeping: 0, housekeepingErrors: 0, failure: `${halt.kind}: ${halt.reason}`, messages: 0, simTime: 0 };
}
