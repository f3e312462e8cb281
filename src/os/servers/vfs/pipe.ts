/*
 * Pipes and FIFOs (placeholder: the full semantics come with the pipe work).
 *
 * The entry points into this file are:
 *   do_pipe, pipeRead, pipeWrite, fifoOpen, pipeEndClosed, unpause
 */
import { Co, Msg, Outgoing } from '../../kernel/types';
import { ENOSYS } from '../../proto/errno';
import { ServerCtx } from '../../sef/server';
import { FProc, VfsState } from './state';

type Ctx = ServerCtx<VfsState>;

export function* do_pipe(_ctx: Ctx, _m: Msg): Co<Outgoing | null> { return { type: -ENOSYS }; }
export function* pipeRead(_ctx: Ctx, _fp: FProc, _fd: number, _fi: number, _buf: number, _n: number): Co<Outgoing | null> { return { type: -ENOSYS }; }
export function* pipeWrite(_ctx: Ctx, _fp: FProc, _fd: number, _fi: number, _buf: number, _n: number): Co<Outgoing | null> { return { type: -ENOSYS }; }
export function* fifoOpen(_ctx: Ctx, _fp: FProc, fd: number, _fi: number): Co<Outgoing | null> { return { type: fd }; }
export function* pipeEndClosed(_ctx: Ctx, _vi: number, _flags: number): Co<void> { /* nothing yet */ }
/** A signal interrupts a process suspended in VFS: reply EINTR (or the partial count). */
export function* unpause(_ctx: Ctx, _fp: FProc, _reply: boolean): Co<void> { /* nothing yet */ }
