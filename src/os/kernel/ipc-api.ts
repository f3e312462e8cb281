/*
 * Trap constructors: the IPC primitives as processes see them. Use as
 * `const reply = yield sendrec(dst, msg)`.
 *
 * The entry points into this file are:
 *   send, sendnb, receive, sendrec, notify, asynsend   the MINIX IPC primitives
 *   cpu           charge user computation to simulated time
 *   harnessWait   init waits for the harness's next command
 */
import type { MsgType, Reply, Request } from '../proto/messages';
import { Outgoing, Trap, T_SEND, T_SENDNB, T_RECEIVE, T_SENDREC, T_NOTIFY, T_SENDA, T_CPU, T_HARNESS } from './types';

/*
 * A reply sent with send or sendnb (a deferred reply, or one SEF sends) is
 * `{ type }` alone unless the call names the request type whose reply it
 * is: `sendnb<typeof PM_WAITPID>(ep, { type: pid, status })`.
 */

/** Blocking send: waits until the destination receives it. Result: 0 or an IPC error. */
export function send<T extends MsgType = never>(dst: number, msg: Outgoing | Reply<T>): Trap { return { op: T_SEND, ep: dst, msg }; }
/** Non-blocking send (used for replies): ENOTREADY when the destination is not receiving. */
export function sendnb<T extends MsgType = never>(dst: number, msg: Outgoing | Reply<T>): Trap { return { op: T_SENDNB, ep: dst, msg }; }
/** Receive from `src` (an endpoint or ANY). Result: the message. */
export function receive(src: number): Trap { return { op: T_RECEIVE, ep: src, msg: null }; }
/** Send a request and wait for the reply from the same endpoint. Result: the reply message. */
export function sendrec<T extends MsgType>(dst: number, msg: Request<T> & { type: T }, extra?: unknown): Trap { return { op: T_SENDREC, ep: dst, msg, extra }; }
/** Notification: never blocks; pending bits coalesce. */
export function notify(dst: number): Trap { return { op: T_NOTIFY, ep: dst, msg: null }; }
/** Asynchronous send: buffered by the kernel when the destination is not receiving. */
export function asynsend(dst: number, msg: Outgoing): Trap { return { op: T_SENDA, ep: dst, msg }; }
/** Burn simulated CPU time (user computation). */
export function cpu(ns: number): Trap { return { op: T_CPU, ep: ns, msg: null }; }
/** init only: wait for the next command of the simulation harness. */
export function harnessWait(): Trap { return { op: T_HARNESS, ep: 0, msg: null }; }
