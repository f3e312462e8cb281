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

  private constructor(readonly opts: WorldOptions, memImage?: Uint8Array) {
    const userland = new SimUserLand(opts.programs, (_k, p, msg) => this.checkFailed(p.endpoint, msg));
    this.kernel = new Kernel(userland, this, memImage);
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
    const w = new World(opts, snap.mem);
    const k = w.kernel;
    const ks = snap.kernel as any;
    // Restores run thousands of times per campaign: snapshot data is copied
    // by copiers compiled for it (the same copy as structuredClone, faster).
    const clone = cloneSnapshotData;
    k.now = ks.now; k.overheadNs = ks.overheadNs; k.trace.load(ks.trace); k.crashes = clone(ks.crashes);
    const procs = ks.procs as any[];
    for (let i = 0; i < procs.length; i++) {
      const d = procs[i];
      const p = k.procs[i];
      const pt = p.pt;
      p.reset();
      Object.assign(p, d);
      p.pt = pt; // the slot keeps its own page table, loaded from the snapshot's copy
      pt.set(d.pt);
      p.grants = clone(d.grants);
      p.user = null;
    }
    k.setLastRunSlot(ks.lastRun);
    k.refreshAlarms();
    for (const def of opts.servers) w.startServer(def, clone(snap.states[def.slot]), 'resume');
    w.startInit(ks.procs[INIT].user);
    w.lastHalt = { kind: 'idle', reason: 'restored' };
    return w;
  }
}


/* ---- copying snapshot data ---- */

type Copier = (v: any) => any;

/**
 * Snapshot values (a data section, the crash list, a grant table) and the
 * copier compiled for each; null: not plain data, structuredClone copies it.
 * A snapshot is never changed once taken, so a copier built from a value's
 * structure stays exact for that value.
 */
const copiers = new WeakMap<object, Copier | null>();

/** The same copy of snapshot data as structuredClone(v). */
function cloneSnapshotData<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  let c = copiers.get(v);
  if (c === undefined) {
    c = isPlainTree(v, new Set()) ? compileCopier(v, new Map()).fn : null;
    copiers.set(v, c);
  }
  return c ? (c(v) as T) : structuredClone(v);
}

const TYPED_ARRAY_PROTOS: readonly object[] = [
  Uint8Array.prototype, Int8Array.prototype, Uint16Array.prototype, Int16Array.prototype,
  Uint32Array.prototype, Int32Array.prototype, Float32Array.prototype, Float64Array.prototype,
];

/**
 * Data that compiled copiers copy exactly as structuredClone would:
 * primitives (no symbols, no functions), dense arrays without extra
 * properties, plain objects (Object.prototype, enumerable data properties,
 * no "__proto__" key) and typed arrays that own their whole buffer — a tree,
 * nothing reached twice.
 */
function isPlainTree(v: unknown, seen: Set<object>): boolean {
  if (v === null) return true;
  const t = typeof v;
  if (t === 'symbol' || t === 'function') return false;
  if (t !== 'object') return true;
  const o = v as object;
  if (seen.has(o)) return false;
  seen.add(o);
  if (Array.isArray(o)) {
    if (Object.getPrototypeOf(o) !== Array.prototype) return false;
    // Dense: every index present, and no property besides the indices and length.
    if (Object.getOwnPropertyNames(o).length !== o.length + 1 || Object.getOwnPropertySymbols(o).length) return false;
    for (let i = 0; i < o.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(o, i)) return false;
      if (!isPlainTree(o[i], seen)) return false;
    }
    return true;
  }
  if (ArrayBuffer.isView(o)) {
    // structuredClone copies a view's bytes (not its expando properties); slice() does the same when the view owns its buffer.
    if (!TYPED_ARRAY_PROTOS.includes(Object.getPrototypeOf(o))) return false;
    if (o.byteOffset !== 0 || o.byteLength !== o.buffer.byteLength || Object.getPrototypeOf(o.buffer) !== ArrayBuffer.prototype) return false;
    if (seen.has(o.buffer)) return false;
    seen.add(o.buffer);
    return true;
  }
  if (Object.getPrototypeOf(o) !== Object.prototype || Object.getOwnPropertySymbols(o).length) return false;
  for (const key of Object.getOwnPropertyNames(o)) {
    if (key === '__proto__') return false;
    const desc = Object.getOwnPropertyDescriptor(o, key)!;
    if (!('value' in desc) || !desc.enumerable) return false;
    if (!isPlainTree(desc.value, seen)) return false;
  }
  return true;
}

interface Compiled { id: number; fn: Copier }

/**
 * A copier for the plain tree `v` (isPlainTree), specialised to its shape:
 * one generated function per distinct record shape builds the copy as an
 * object literal (fields in the original order), arrays of primitives and
 * typed arrays are sliced. Copiers of equal shapes are shared through
 * `shapes` (key: the shape's signature), so a table of 256 like records
 * compiles one function. Primitive values need no copier (null).
 */
function compileCopier(v: object, shapes: Map<string, Compiled>): Compiled {
  const intern = (sig: string, make: () => Copier): Compiled => {
    let c = shapes.get(sig);
    if (!c) { c = { id: shapes.size, fn: make() }; shapes.set(sig, c); }
    return c;
  };
  const sub = (x: unknown): Compiled | null => (typeof x === 'object' && x !== null ? compileCopier(x, shapes) : null);
  const sigOf = (c: Compiled | null): string => (c ? String(c.id) : 'p');
  if (ArrayBuffer.isView(v)) return intern('T', () => (s: Uint8Array) => s.slice());
  if (Array.isArray(v)) {
    const elems = v.map(sub);
    if (elems.every((c) => c === null)) return intern('F', () => (s: unknown[]) => s.slice());
    return intern(`A[${elems.map(sigOf).join(',')}]`, () => {
      const fns = elems.map((c) => (c ? c.fn : null));
      return (s: unknown[]) => {
        const out: unknown[] = [];
        for (let i = 0; i < fns.length; i++) {
          const f = fns[i];
          out.push(f === null ? s[i] : f(s[i]));
        }
        return out;
      };
    });
  }
  const rec = v as Record<string, unknown>;
  const keys = Object.keys(rec);
  const fields = keys.map((k) => sub(rec[k]));
  const sig = `O{${keys.map((k, i) => `${JSON.stringify(k)}:${sigOf(fields[i])}`).join(',')}}`;
  return intern(sig, () => {
    const fns = fields.map((c) => (c ? c.fn : null));
    const body = keys.map((k, i) => {
      const q = JSON.stringify(k);
      return fns[i] === null ? `${q}: s[${q}]` : `${q}: f[${i}](s[${q}])`;
    });
    return new Function('f', `return function copy(s) { return { ${body.join(', ')} }; };`)(fns) as Copier;
  });
}
