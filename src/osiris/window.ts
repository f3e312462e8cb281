/*
 * The recovery window of each server (DESIGN §4): open from the checkpoint
 * at the top of the loop until the first passage the policy does not
 * allow, and what the window knows about the request it covers. This is
 * the one owner of window state: the hooks, the SEEP hook and recovery
 * read it; only the methods below change it.
 *
 * The entry points into this file are:
 *   RecoveryWindows.start / switchWorker / end   the SEF loop's request events
 *   RecoveryWindows.close / overflow            a SEEP closes it; a full undo log closes it
 *   RecoveryWindows.markProcessSpecific         a PROCESS_SPECIFIC SEEP was passed
 *   RecoveryWindows.markReplied                 the requester got its reply
 *   RecoveryWindows.pass                        a passage a window rule counts (composable policies)
 *   RecoveryWindows.atCrash / clear             what recovery reads, then drops
 *   RecoveryWindows.closedAt                    the passage each window closed at (shadow-policies.ts)
 *   PassageClock                                counts a world's passages for closedAt
 */
import type { Msg } from '../os/kernel/types';
import type { Decision } from './seep-table';

/** What a server's current recovery window knows (for the recovery decision). */
export interface WindowInfo {
  /** The request being handled: its sender, type and whether it can be replied to. */
  readonly source: number;
  readonly type: number;
  readonly replyable: boolean;
  /** A PROCESS_SPECIFIC SEEP was passed while the window was open. */
  processSpecific: boolean;
  /** The SEEP that closed the window, when one did. */
  closedBy: string | null;
  /** The requester has been sent its reply: the request is over (seep-hook.ts). */
  replied?: boolean;
  /**
   * What a window rule counts: the non-exempt passages met while the window
   * was open, per decision, and their names. Starts empty at each
   * checkpoint and when a worker's request becomes current again; kept
   * only under a policy with rules (seep-hook.ts).
   */
  met?: { counts: Partial<Record<Decision, number>>; names: string[] };
}

/**
 * Counts the passages of a world through the SEEP hook. The windows of other
 * policies kept beside a run's own (shadow-policies.ts) share the run's
 * clock, so two windows that closed at the same passage have the same
 * closedAt; without them nothing advances it.
 */
export interface PassageClock { n: number }

export class RecoveryWindows {
  private readonly openFlags: boolean[];
  private readonly closedAtBySlot: number[];
  private readonly infos: (WindowInfo | null)[];
  /** Per slot: is the window open? (read on every instrumented function entry) */
  readonly open: readonly boolean[];
  /** Per slot: the current request's window information (null when idle). */
  readonly info: readonly (Readonly<WindowInfo> | null)[];
  /**
   * Per slot: the clock's reading when the window last closed (a SEEP at
   * that passage, or the undo log filling up after it: +0.5), -1 since it
   * opened. Two windows of one request with equal closedAt logged the same
   * stores: the instrumented code logs in the functions it entered while
   * the window was open (hooks.ts win).
   */
  readonly closedAt: readonly number[];

  constructor(slots: number, private readonly recoverable: readonly number[], readonly clock: PassageClock = { n: 0 }) {
    this.openFlags = new Array<boolean>(slots).fill(false);
    this.closedAtBySlot = new Array<number>(slots).fill(-1);
    this.infos = new Array<WindowInfo | null>(slots).fill(null);
    this.open = this.openFlags;
    this.info = this.infos;
    this.closedAt = this.closedAtBySlot;
  }

  /** The checkpoint at a request: the window opens (recoverable servers only). */
  start(slot: number, m: Msg, replyable: boolean): void {
    this.openFlags[slot] = this.recoverable.includes(slot);
    this.closedAtBySlot[slot] = -1;
    this.infos[slot] = newInfo(m, replyable);
  }

  /** Another worker ran since this one's request started: its request is current again; `close`: the switch closes the window. */
  switchWorker(slot: number, m: Msg, replyable: boolean, close: boolean): void {
    this.infos[slot] = newInfo(m, replyable);
    if (close) this.close(slot, 'worker switch');
  }

  /** The request is done. */
  end(slot: number): void {
    this.infos[slot] = null;
  }

  /** A passage the policy does not allow: the window closes, remembering the first SEEP that closed it. */
  close(slot: number, by: string): void {
    if (!this.openFlags[slot]) return;
    this.openFlags[slot] = false;
    this.closedAtBySlot[slot] = this.clock.n;
    const w = this.infos[slot];
    if (w && w.closedBy === null) w.closedBy = by;
  }

  /**
   * The undo log is full and cannot roll back: the window closes, as a
   * state-modifying SEEP would close it. The reason is attached when
   * recovery finds the log overflowed (atCrash), so a SEEP that closed the
   * window earlier stays its reason.
   */
  overflow(slot: number): void {
    if (this.openFlags[slot]) this.closedAtBySlot[slot] = this.clock.n + 0.5;
    this.openFlags[slot] = false;
  }

  /** The requester was sent its reply: recovery must neither roll the request back nor answer it again. */
  markReplied(slot: number): void {
    const w = this.infos[slot];
    if (w) w.replied = true;
  }

  /** A passage a window rule counts, met while the window is open. */
  pass(slot: number, decision: Decision, name: string | undefined): void {
    const w = this.infos[slot];
    if (!w) return;
    const met = w.met ?? (w.met = { counts: {}, names: [] });
    met.counts[decision] = (met.counts[decision] ?? 0) + 1;
    if (name !== undefined && !met.names.includes(name)) met.names.push(name);
  }

  markProcessSpecific(slot: number): void {
    const w = this.infos[slot];
    if (w) w.processSpecific = true;
  }

  /** The window as recovery sees it when the server crashed; `logOverflowed`: its undo log could not hold the request. */
  atCrash(slot: number, logOverflowed: boolean): { open: boolean; info: Readonly<WindowInfo> | null } {
    const w = this.infos[slot];
    if (w === undefined) throw new RangeError(`no recovery window for slot ${slot}`);
    if (logOverflowed && w && w.closedBy === null) w.closedBy = 'undo-log overflow';
    return { open: this.openFlags[slot] === true && !logOverflowed, info: w };
  }

  /** Recovery is done with this window: closed, no request. */
  clear(slot: number): void {
    this.openFlags[slot] = false;
    this.closedAtBySlot[slot] = -1;
    this.infos[slot] = null;
  }
}

function newInfo(m: Msg, replyable: boolean): WindowInfo {
  return { source: m.source, type: m.type, replyable, processSpecific: false, closedBy: null };
}
