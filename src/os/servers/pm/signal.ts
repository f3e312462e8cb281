/*
 * Signals: sending, masking, catching, default actions, and the signals
 * the kernel raises (faults, SIGPIPE from VFS).
 *
 * The entry points into this file are:
 *   do_kill, do_sigaction, do_sigprocmask, do_sigpending, do_sigsuspend, do_sigreturn
 *   sigProc         deliver one signal to a process
 *   kernelSignals   handle everything the kernel raised (notification from KERNEL)
 */
import { sendnb, sendrec } from '../../kernel/ipc-api';
import { Co } from '../../kernel/types';
import { INIT, NR_SLOTS, VFS } from '../../proto/endpoints';
import { EINTR, EINVAL, EPERM, ESRCH } from '../../proto/errno';
import { VFS_PM_UNPAUSE } from '../../proto/calls';
import {
  NSIG, SA_NODEFER, SA_RESETHAND, SIGKILL, SIGSTOP, SIG_BLOCK, SIG_DFL, SIG_IGN, SIG_SETMASK, SIG_UNBLOCK,
  defaultAction, isUncatchable, sigbit,
} from '../../proto/signals';
import { ServerCtx } from '../../sef/server';
import { EXITING, IN_USE, PmState, SIGSUSPENDED, WAITING, ZOMBIE } from './state';
import { callerSlot, findEndpoint } from './utility';
import { exitProc } from './forkexit';
import type { Received, Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<PmState>;

const UNBLOCKABLE = (sigbit(SIGKILL) | sigbit(SIGSTOP)) >>> 0;

function validSig(sig: number): boolean {
  return Number.isInteger(sig) && sig > 0 && sig < NSIG;
}

/**
 * Deliver `sig` to the process in `slot`: ignore, hold, catch, or apply the
 * default action. Returns true when a handler was set up to run.
 */
export function* sigProc(ctx: Ctx, slot: number, sig: number): Co<boolean> {
  const st = ctx.st;
  const rmp = st.mproc[slot]!;
  if (!(rmp.flags & IN_USE) || rmp.flags & (ZOMBIE | EXITING)) return false;
  st.stats.signals++;
  const bit = sigbit(sig);
  if (sig === SIGKILL) { yield* exitProc(ctx, slot, 0, sig); return false; }
  const handler = rmp.sigHandler[sig]!;
  if (handler === SIG_IGN) return false;
  if (handler === SIG_DFL) {
    const act = defaultAction(sig);
    if (act === 'ign' || act === 'cont' || act === 'stop') return false;
    if (rmp.sigMask & bit) { rmp.sigPending = (rmp.sigPending | bit) >>> 0; return false; }
    yield* exitProc(ctx, slot, 0, sig);
    return false;
  }
  if (rmp.sigMask & bit) { rmp.sigPending = (rmp.sigPending | bit) >>> 0; return false; }
  // Caught: the handler runs with the action's mask; sigreturn restores `restore`.
  const restore = rmp.flags & SIGSUSPENDED ? rmp.sigSavedMask : rmp.sigMask;
  const r = ctx.sys.sigsend(rmp.endpoint, sig, handler, restore);
  if (r < 0) return false;
  rmp.sigPending = (rmp.sigPending & ~bit) >>> 0;
  let mask = rmp.sigMask | rmp.sigActMask[sig]!;
  if (!(rmp.sigActFlags[sig]! & SA_NODEFER)) mask |= bit;
  rmp.sigMask = (mask & ~UNBLOCKABLE) >>> 0;
  if (rmp.sigActFlags[sig]! & SA_RESETHAND) rmp.sigHandler[sig] = SIG_DFL;
  yield* unpause(ctx, slot);
  return true;
}

/** A caught signal interrupts a process blocked in PM (EINTR now) or in VFS (VFS replies EINTR). */
function* unpause(ctx: Ctx, slot: number): Co<void> {
  const rmp = ctx.st.mproc[slot]!;
  if (rmp.flags & (WAITING | SIGSUSPENDED)) {
    rmp.flags &= ~(WAITING | SIGSUSPENDED);
    yield sendnb(rmp.endpoint, { type: -EINTR });
    return;
  }
  const r: Received<typeof C.VFS_PM_UNPAUSE> = yield sendrec(VFS, { type: VFS_PM_UNPAUSE, endpoint: rmp.endpoint });
  void r;
}

/**
 * Deliver signals that are pending and no longer blocked. At most one
 * handler is set up per call: the handler frames run in the order they
 * were set up, so each must restore the mask the next one starts from;
 * the rest are delivered when that handler's sigreturn comes back here.
 */
function* checkPending(ctx: Ctx, slot: number): Co<void> {
  const rmp = ctx.st.mproc[slot]!;
  for (let sig = 1; sig < NSIG; sig++) {
    const bit = sigbit(sig);
    if (rmp.sigPending & bit && !(rmp.sigMask & bit)) {
      rmp.sigPending = (rmp.sigPending & ~bit) >>> 0;
      if (yield* sigProc(ctx, slot, sig)) return;
      if (!(rmp.flags & IN_USE) || rmp.flags & (ZOMBIE | EXITING)) return;
    }
  }
}

/** May the process in `from` signal the one in `to`? */
function mayKill(st: PmState, from: number, to: number): boolean {
  const a = st.mproc[from]!;
  const b = st.mproc[to]!;
  return a.euid === 0 || a.ruid === b.ruid || a.euid === b.ruid || a.ruid === b.euid || a.euid === b.euid;
}

export function* do_kill(ctx: Ctx, m: Req<typeof C.PM_KILL>): Co<Reply<typeof C.PM_KILL> | null> {
  const st = ctx.st;
  const cs = callerSlot(st, m.source);
  const pid = m.pid | 0;
  const sig = m.sig | 0;
  if (sig !== 0 && !validSig(sig)) return { type: -EINVAL };
  const me = st.mproc[cs]!;
  const targets: number[] = [];
  let found = 0;
  for (let i = 0; i < NR_SLOTS; i++) {
    const t = st.mproc[i]!;
    if (!(t.flags & IN_USE)) continue;
    let match: boolean;
    if (pid > 0) match = t.pid === pid;
    else if (pid === 0) match = t.pgrp === me.pgrp && !(t.flags & ZOMBIE);
    else if (pid === -1) match = i !== INIT && !(t.flags & ZOMBIE);
    else match = t.pgrp === -pid && !(t.flags & ZOMBIE);
    if (!match) continue;
    found++;
    if (!mayKill(st, cs, i)) continue;
    if (!(t.flags & ZOMBIE)) targets[targets.length] = i;
    else if (pid > 0) targets[targets.length] = -1; // a zombie may be signalled: no effect
  }
  if (found === 0) return { type: -ESRCH };
  if (targets.length === 0) return { type: -EPERM };
  if (sig === 0) return { type: 0 };
  for (const t of targets) if (t >= 0) yield* sigProc(ctx, t, sig);
  // The caller may have killed itself.
  if (!(me.flags & IN_USE) || me.flags & (ZOMBIE | EXITING) || me.endpoint !== m.source) return null;
  return { type: 0 };
}

export function* do_sigaction(ctx: Ctx, m: Req<typeof C.PM_SIGACTION>): Co<Reply<typeof C.PM_SIGACTION> | null> {
  const st = ctx.st;
  const rmp = st.mproc[callerSlot(st, m.source)]!;
  const sig = m.sig | 0;
  if (!validSig(sig)) return { type: -EINVAL };
  const old = { type: 0, oldHandler: rmp.sigHandler[sig]!, oldMask: rmp.sigActMask[sig]!, oldFlags: rmp.sigActFlags[sig]! };
  if (m.handler < 0) return old;
  if (isUncatchable(sig)) return { type: -EINVAL };
  rmp.sigHandler[sig] = m.handler;
  rmp.sigActMask[sig] = (m.mask & ~UNBLOCKABLE) >>> 0;
  rmp.sigActFlags[sig] = m.flags | 0;
  // Setting SIG_IGN discards a pending instance (POSIX).
  if (m.handler === SIG_IGN || (m.handler === SIG_DFL && defaultAction(sig) === 'ign')) {
    rmp.sigPending = (rmp.sigPending & ~sigbit(sig)) >>> 0;
  }
  return old;
}

export function* do_sigprocmask(ctx: Ctx, m: Req<typeof C.PM_SIGPROCMASK>): Co<Reply<typeof C.PM_SIGPROCMASK> | null> {
  const st = ctx.st;
  const slot = callerSlot(st, m.source);
  const rmp = st.mproc[slot]!;
  const old = rmp.sigMask;
  const mask = m.mask >>> 0;
  switch (m.how | 0) {
    case 0: return { type: 0, old };
    case SIG_BLOCK: rmp.sigMask = (rmp.sigMask | mask) >>> 0; break;
    case SIG_UNBLOCK: rmp.sigMask = (rmp.sigMask & ~mask) >>> 0; break;
    case SIG_SETMASK: rmp.sigMask = mask; break;
    default: return { type: -EINVAL };
  }
  rmp.sigMask = (rmp.sigMask & ~UNBLOCKABLE) >>> 0;
  yield* checkPending(ctx, slot);
  return { type: 0, old };
}

export function* do_sigpending(ctx: Ctx, m: Req<typeof C.PM_SIGPENDING>): Co<Reply<typeof C.PM_SIGPENDING> | null> {
  const rmp = ctx.st.mproc[callerSlot(ctx.st, m.source)]!;
  return { type: 0, mask: rmp.sigPending };
}

/** sigsuspend(mask), and pause() as mask -1 (keep the current mask). */
export function* do_sigsuspend(ctx: Ctx, m: Req<typeof C.PM_SIGSUSPEND>): Co<Reply<typeof C.PM_SIGSUSPEND> | null> {
  const st = ctx.st;
  const slot = callerSlot(st, m.source);
  const rmp = st.mproc[slot]!;
  rmp.sigSavedMask = rmp.sigMask;
  if (m.mask !== -1) rmp.sigMask = (m.mask & ~UNBLOCKABLE) >>> 0;
  rmp.flags |= SIGSUSPENDED;
  yield* checkPending(ctx, slot);
  return null;
}

export function* do_sigreturn(ctx: Ctx, m: Req<typeof C.PM_SIGRETURN>): Co<Reply<typeof C.PM_SIGRETURN> | null> {
  const st = ctx.st;
  const slot = callerSlot(st, m.source);
  st.mproc[slot]!.sigMask = (m.mask & ~UNBLOCKABLE) >>> 0;
  yield* checkPending(ctx, slot);
  return { type: 0 };
}

/** The kernel raised signals (a user fault, or SYS_KILL from VFS): handle them all. */
export function* kernelSignals(ctx: Ctx): Co<void> {
  for (let guard = 0; guard < NR_SLOTS * NSIG; guard++) {
    const ks = ctx.sys.getksig();
    if (!ks) return;
    const slot = findEndpoint(ctx.st, ks.endpoint);
    if (slot < 0) continue;
    for (let sig = 1; sig < NSIG; sig++) {
      if (!(ks.sigs & sigbit(sig))) continue;
      // A fault cannot be caught or ignored here: the process has no code to return to.
      if (ks.fault) { yield* exitProc(ctx, slot, 0, sig); break; }
      yield* sigProc(ctx, slot, sig);
    }
  }
}
