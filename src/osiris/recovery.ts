/*
 * Recovery (DESIGN §4, the paper §III-C): restart the crashed server from
 * its spare clone, transfer its state, roll it back with the undo log, and
 * reconcile the interrupted request — an E_CRASH reply, killing the
 * requesting process, or a controlled shutdown — as the policy says.
 * RS asks for it through the kernel; RS's own recovery is the kernel's.
 *
 * The entry points into this file are:
 *   installRecovery   wire checkpointing, the SEEP hook and recovery into a world
 *   RecoveryManager.recover   one recovery
 */
import { Kernel, KernelHooks, CrashInfo } from '../os/kernel/kernel';
import { dataSectionBytes, recoveryCostNs } from '../os/kernel/cost';
import { sizerFor } from '../os/kernel/data-section-size';
import { cloneSnapshotData } from '../os/snapshot-copy';
import { Proc } from '../os/kernel/proc';
import { ECRASH } from '../os/proto/errno';
import { KERNEL, PM, RS, SERVER_NAMES } from '../os/proto/endpoints';
import { SIGKILL, sigbit } from '../os/proto/signals';
import { COMMON_REQ_FI_CTL, messageName } from '../os/proto/calls';
import { dropCrashedWorker } from '../os/sef/threads';
import type { World } from '../os/world';
import type { BootParams, ServerDef } from '../os/sef/server';
import { Checkpointing, RECOVERABLE_SLOTS } from './checkpoint';
import type { WindowInfo } from './window';
import { Policy, policyForServer, windowCloses } from './policies';
import { policiesBySlot, seepHook } from './seep-hook';
import { ShadowPolicies, withShadows } from './shadow-policies';
import { chainHooks } from '../os/sef/hooks';

export type RecoveryAction = 'reply' | 'kill-requester' | 'no-reply' | 'shutdown';

export interface RecoveryRecord {
  time: number;
  server: string;
  reason: string;
  /** Was the window open when the server crashed? */
  windowOpen: boolean;
  /** The SEEP that closed the window, if one did. */
  closedBy: string | null;
  request: string | null;
  requester: number | null;
  replyable: boolean;
  decision: string;
  action: RecoveryAction;
  rolledBack: number;
}

/*
 * Boot-time data sections are the same in every world booted from the same
 * definitions and programs: built once and shared, never written. They are
 * held here and by RecoveryManager.spares only: a stateless restart gives
 * the server a copy (cloneSnapshotData, whose copier compiled for a
 * template stays exact because the template never changes), spareState's
 * callers only read, and state transfer sizes the crashed state with a
 * sizer compiled from the template's shape.
 */
const templates = new WeakMap<ServerDef<unknown>, { key: string; state: unknown }>();

function spareTemplate(def: ServerDef<unknown>, params: BootParams, key: string): unknown {
  const hit = templates.get(def);
  if (hit && hit.key === key) return hit.state;
  const state = def.initialState(params);
  templates.set(def, { key, state });
  return state;
}

/**
 * The decision of a recovery after RS's `service fi` request under the
 * prototype's rule (noRecoveryOnServiceFi): none. Of the policy, only its
 * state transfer acted — whether the restarted server keeps its data
 * section or starts from a spare (run-share.ts shares runs on this).
 */
export const SERVICE_FI_DECISION = 'service fi';

/**
 * Whether every one of `records` made no decision (SERVICE_FI_DECISION) and
 * policies `a` and `b` transfer state alike for its server: then those
 * recoveries were the same under both.
 */
export function undecidedAlike(records: readonly RecoveryRecord[], a: Policy, b: Policy): boolean {
  return records.every((x) => x.decision === SERVICE_FI_DECISION && policyForServer(a, x.server).stateTransfer === policyForServer(b, x.server).stateTransfer);
}

export class RecoveryManager {
  readonly records: RecoveryRecord[] = [];
  /**
   * The prototype's LTRC_NO_RECOVERY_ON_SVC_FI (ltckpt_recover.c): a crash
   * while handling RS's `service fi` request needs no recovery decision —
   * the server restarts (with its state, as the policy transfers it), no
   * rollback, no reply, no shutdown.
   */
  noRecoveryOnServiceFi = false;
  /** Fresh data sections prepared at boot: the spare clones' state for a stateless restart. */
  private spares = new Map<number, unknown>();

  /** Each slot's policy (a composable policy's per-server overrides merged in). */
  readonly bySlot: Policy[];
  /** Other policies' windows kept beside the run's, judged at every crash (shadow-policies.ts); null: none. */
  shadows: ShadowPolicies | null = null;

  constructor(readonly world: World, readonly ckpt: Checkpointing, readonly policy: Policy) {
    this.bySlot = policiesBySlot(policy, world.kernel.procs.length);
  }

  /** Prepare a spare clone per recoverable server (RS's is the kernel's to hold). */
  prepareSpares(): void {
    const params = this.world.bootParams();
    const key = params.programs.join('\0');
    for (const slot of RECOVERABLE_SLOTS) {
      const inst = this.world.servers.get(slot);
      if (inst) this.spares.set(slot, spareTemplate(inst.def, params, key));
    }
  }

  /** A spare clone's data section (read-only: a restart works on a copy). */
  spareState(slot: number): unknown {
    return this.spares.get(slot);
  }

  recover(slot: number, reason: string): RecoveryAction {
    const k = this.world.kernel;
    const inst = this.world.servers.get(slot);
    if (!inst) throw new Error(`no server in slot ${slot}`);
    const ck = this.ckpt;
    const log = ck.log(slot);
    const overflowed = log !== null && log.overflowed;
    const { open, info: w } = ck.windows.atCrash(slot, overflowed);
    const closedAt = ck.windows.closedAt[slot]!;
    const shadowCrashes = this.shadows ? this.shadows.atCrash(slot, overflowed) : null;
    const p = this.bySlot[slot] ?? this.policy;
    const serviceFi = this.noRecoveryOnServiceFi && w !== null && w.type === COMMON_REQ_FI_CTL && w.source === RS;
    // Restart with state transfer (the crashed data section) or a fresh spare.
    let state: unknown;
    let rolledBack = 0;
    const spare = this.spares.get(slot);
    if (p.stateTransfer) {
      state = inst.ctx.st;
      // A request whose reply was delivered is over: its changes stand (seep-hook.ts); nothing to undo after RS's `service fi` request.
      if (p.rollback && log && !(w && w.replied) && !serviceFi) rolledBack = log.rollback();
    } else {
      state = spare !== undefined ? cloneSnapshotData(spare) : structuredClone(inst.def.initialState(this.world.bootParams()));
      if (inst.env.pool) for (const wk of inst.env.pool.workers) { wk.co = null; wk.request = null; }
    }
    if (log) log.reset();
    if (inst.env.pool) dropCrashedWorker(inst.env.pool);
    ck.windows.clear(slot);
    this.world.restartServer(slot, state);
    // The bytes transferred: dataSectionBytes(state), by the sizer compiled for the server's state (data-section-size.ts).
    const bytes = !p.stateTransfer ? 0 : typeof spare === 'object' && spare !== null ? sizerFor(spare)(state) : dataSectionBytes(state);
    k.now += recoveryCostNs(bytes, rolledBack); // restart, state transfer, rollback (cost.ts)
    // Reconciliation (none after RS's `service fi` request under the prototype's rule).
    const action: RecoveryAction = serviceFi ? 'no-reply' : this.reconcile(k, inst.proc, open, w, p);
    if (shadowCrashes) {
      // A shadow keeps agreeing when, on the same window, its policy restarts, rolls back and reconciles as this one did.
      for (const s of shadowCrashes) {
        const q = s.policy;
        const same = s.open === open && s.closedAt === closedAt && sameWindow(s.info, w)
          && q.stateTransfer === p.stateTransfer && (q.stateTransfer && q.rollback) === (p.stateTransfer && p.rollback)
          && (serviceFi || decideAction(k, q, open, w) === action);
        if (!same) this.shadows!.disagree(s.index);
      }
    }
    this.records.push({
      time: k.now, server: SERVER_NAMES[slot] ?? inst.def.name, reason, windowOpen: open, closedBy: w ? w.closedBy : null,
      request: w ? messageName(w.type) : null, requester: w ? w.source : null, replyable: w ? w.replyable : false,
      decision: serviceFi ? SERVICE_FI_DECISION : !w ? 'no request' : w.replied ? 'replied' : !w.replyable ? 'not replyable' : !open ? 'window closed' : w.processSpecific ? 'PROCESS_SPECIFIC' : 'IDEMPOTENT',
      action, rolledBack,
    });
    k.trace.event(k.now, `recovery of ${inst.def.name} (${reason}): ${action}`);
    return action;
  }

  /** Reconcile the interrupted request as the policy decides (decideAction), and carry it out. */
  private reconcile(k: Kernel, server: Proc, open: boolean, w: Readonly<WindowInfo> | null, p: Policy): RecoveryAction {
    const action = decideAction(k, p, open, w);
    if (action === 'shutdown') {
      k.halt('shutdown', `controlled shutdown: ${server.name} crashed ${!w ? 'between requests' : w.replied ? 'after its reply' : !w.replyable ? 'handling a non-replyable request' : `after ${w.closedBy}`}`);
    } else if (action === 'kill-requester') {
      k.proc(w!.source)!.ksigs |= sigbit(SIGKILL);
      k.doNotify(KERNEL, PM, null);
    } else if (action === 'reply') {
      const requester = k.proc(w!.source);
      if (requester && k.awaitsReplyFrom(requester, server.endpoint)) k.replyFromKernel(requester.endpoint, server.endpoint, { type: -ECRASH });
    }
    return action;
  }
}

/** What policy `p` does about the interrupted request, on the window `open`/`w` (reads the kernel, changes nothing). */
function decideAction(k: Kernel, p: Policy, open: boolean, w: Readonly<WindowInfo> | null): RecoveryAction {
  const outside = !w || !w.replyable || !open || w.replied === true;
  if (outside) return p.shutdownOutsideWindow ? 'shutdown' : 'no-reply';
  const requester = k.proc(w!.source);
  if (w!.processSpecific && p.killProcessSpecific && requester && requester.kind === 'user') return 'kill-requester';
  return p.replyOnRecovery ? 'reply' : 'no-reply';
}

/** Two windows of one request that recovery reads alike (what a window rule counted aside: it acts through closing). */
function sameWindow(a: Readonly<WindowInfo> | null, b: Readonly<WindowInfo> | null): boolean {
  if (a === null || b === null) return a === b;
  return a.source === b.source && a.type === b.type && a.replyable === b.replyable && a.processSpecific === b.processSpecific
    && a.closedBy === b.closedBy && (a.replied === true) === (b.replied === true);
}

/**
 * Install OSIRIS into a world being set up: checkpoint hooks, SEEP hook,
 * recovery through RS and the kernel. `shadows`: other policies whose
 * windows are kept beside (shadow-policies.ts; RecoveryManager.shadows).
 */
export function installRecovery(world: World, ckpt: Checkpointing, policy: Policy, shadows: readonly Policy[] = []): RecoveryManager {
  const mgr = new RecoveryManager(world, ckpt, policy);
  const k = world.kernel;
  const bySlot = mgr.bySlot;
  const own = ckpt.sefHooks((slot) => windowCloses(bySlot[slot] ?? policy));
  const ownSeep = seepHook(ckpt, policy, bySlot);
  if (shadows.length > 0) mgr.shadows = new ShadowPolicies(k, ckpt.windows, RECOVERABLE_SLOTS, shadows);
  const sh = mgr.shadows;
  world.sefHooks = sh ? chainHooks(own, sh.sefHooks()) : own;
  const hooks: KernelHooks = {
    seep: sh ? withShadows(ownSeep, sh) : ownSeep,
    serverCrashed: (kern: Kernel, p: Proc, info: CrashInfo) => {
      // RS cannot restart itself: the kernel holds RS's spare and recovers it at once.
      if (p.endpoint === RS) { mgr.recover(RS, info.reason); return true; }
      return false;
    },
  };
  k.hooks = hooks;
  k.recovery = { recover: (slot, reason) => mgr.recover(slot, reason) };
  return mgr;
}
