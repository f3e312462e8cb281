/*
 * The shapes every process shares with the kernel: messages, traps and
 * coroutines. A process runs as a generator; it gives up control only by
 * yielding a Trap, and the kernel resumes it with the trap's result.
 *
 * The entry points into this file are:
 *   Msg, Outgoing   a delivered message, and one being sent
 *   Trap, T_*       what a process yields, and its kinds
 *   Co              a process's coroutine type
 */

/**
 * A message: a flat record of primitive fields. The kernel copies it on
 * delivery and stamps `source`, so no object is ever shared between two
 * processes.
 */
export interface Msg {
  type: number;
  source: number;
}

/**
 * What a request handler or libc builds before `source` is known. The
 * generic IPC level sees only `type`; each message type's fields are in its
 * layout (src/os/proto/messages.ts), which the typed senders check.
 */
export type Outgoing = { type: number };

export const T_SEND = 1;
export const T_SENDNB = 2;
export const T_RECEIVE = 3;
export const T_SENDREC = 4;
export const T_NOTIFY = 5;
export const T_SENDA = 6;
export const T_HARNESS = 7;
export const T_CPU = 8;

export interface Trap {
  op: number;
  /** Destination for sends, source filter for receive, nanoseconds for T_CPU. */
  ep: number;
  msg: Outgoing | null;
  /** Out-of-band payload: a fork's child continuation (never part of the message). */
  extra?: unknown;
}

/** A coroutine: yields traps, is resumed with their results. */
export type Co<T = void> = Generator<Trap, T, any>;
