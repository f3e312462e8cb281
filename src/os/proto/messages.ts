/*
 * Message layouts: one per message type, as MINIX's protocol header has one
 * layout per message. A layout names the fields of the request and of its
 * reply with their types; the layouts themselves are data (layouts-*.ts,
 * one file per receiving server) so that a test can check every call table
 * against them, and the types below are derived from that data so that a
 * handler, a reply or a request with a misspelt or a missing field does not
 * compile.
 *
 * A field's type is written 'n' (number) or 's' (string); a trailing '?'
 * makes it optional (present in some messages of the type only). A reply
 * carries either all of its layout's fields or none of them (an error reply
 * is `{ type: -errno }`); on the receiving side the fields are typed as
 * present, and are meaningful only when `type >= 0`, as in MINIX.
 *
 * The entry points into this file are:
 *   LAYOUTS, Layout, MsgType      every message type's layout, as data, and the union of the types
 *   NOTIFY_LAYOUTS                the notification's layout, a group of its own as each layouts-*.ts is (test/proto-layouts.test.ts checks the groups)
 *   Req<T>                        a request of type T as its handler receives it
 *   ReqAny<T>                     a request of any of the types T, as a helper shared by their handlers sees it
 *   Reply<T>                      what a handler of T returns (or sends later): its reply
 *   Received<T>                   the reply to a request of type T as the requester receives it
 *   Request<T>                    a request of type T as its sender builds it
 *   Args<T>                       a request's fields without its type (for libc's helpers that add the type)
 *   NotifyMsg                     a notification (NOTIFY_MESSAGE) as the kernel delivers it
 */
import { NOTIFY_MESSAGE } from './calls';
import { PM_LAYOUTS } from './layouts-pm';
import { VFS_LAYOUTS } from './layouts-vfs';
import { MFS_LAYOUTS } from './layouts-mfs';
import { VM_LAYOUTS, DS_LAYOUTS, RS_LAYOUTS } from './layouts-other';

import type { Layout } from './layout';
export type { FieldTag, Layout } from './layout';

/** The notification: the kernel's clock and the servers' alarms stamp it; it has no reply. */
export const NOTIFY_LAYOUTS = {
  [NOTIFY_MESSAGE]: { req: { timestamp: 'n' }, reply: {} },
} as const satisfies Record<number, Layout>;

/** Every message type's layout, keyed by its message-type constant (src/os/proto/calls.ts). */
export const LAYOUTS = {
  ...NOTIFY_LAYOUTS, ...PM_LAYOUTS, ...VFS_LAYOUTS, ...MFS_LAYOUTS, ...VM_LAYOUTS, ...DS_LAYOUTS, ...RS_LAYOUTS,
} as const satisfies Record<number, Layout>;

type Layouts = typeof LAYOUTS;

/** Every message type that has a layout: the protocol's message types as a union of literals. */
export type MsgType = keyof Layouts;

type TypeOf<F> = F extends 'n' | 'n?' ? number : F extends 's' | 's?' ? string : never;
type Flat<T> = { [K in keyof T]: T[K] };

/** The fields a descriptor describes, optional ones with `?`. */
export type Fields<D> = Flat<
  { -readonly [K in keyof D as D[K] extends 'n' | 's' ? K : never]: TypeOf<D[K]> } &
  { -readonly [K in keyof D as D[K] extends 'n?' | 's?' ? K : never]?: TypeOf<D[K]> }
>;

export type ReqFields<T extends MsgType> = Fields<Layouts[T]['req']>;
export type ReplyFields<T extends MsgType> = Fields<Layouts[T]['reply']>;

/** A request of type T as its handler receives it (the kernel stamped `source`). */
export type Req<T extends MsgType> = T extends MsgType ? Flat<{ type: T; source: number } & ReqFields<T>> : never;

type KeysOf<U> = U extends unknown ? keyof U : never;
type AllFields<T extends MsgType> = { [K in KeysOf<ReqFieldsOf<T>>]?: ReqFieldsOf<T> extends infer F ? F extends { [k in K]?: infer V } ? V : never : never };
type ReqFieldsOf<T extends MsgType> = T extends MsgType ? ReqFields<T> : never;

/**
 * A request of any of the types in T, as a helper shared by their handlers
 * (read and pread) sees it: the fields every one of them has are as in its
 * layout, the fields only some have are optional.
 */
export type ReqAny<T extends MsgType> = Flat<{ type: T; source: number } & Pick<ReqFieldsOf<T>, keyof ReqFieldsOf<T>> & AllFields<T>>;

/** A request of type T as its sender builds it. */
export type Request<T extends MsgType> = T extends MsgType ? Flat<{ type: T } & ReqFields<T>> : never;

/** A request's fields without `type`: what a libc helper that adds the type (and perhaps more) takes. */
export type Args<T extends MsgType> = T extends MsgType ? Omit<Request<T>, 'type'> : never;

/** The reply to T: all of its layout's fields, or none of them (an error or a bare result). */
export type Reply<T extends MsgType> = T extends MsgType
  ? Flat<{ type: number } & ReplyFields<T>> | Flat<{ type: number } & { [K in keyof ReplyFields<T>]?: undefined }>
  : never;

/** The reply to T as the requester receives it; `ipcError` is set when the kernel answered instead of the server. */
export type Received<T extends MsgType> = T extends MsgType
  ? Flat<{ type: number; source: number; ipcError?: number } & ReplyFields<T>>
  : never;

/** A notification as the kernel delivers it. */
export type NotifyMsg = Req<typeof NOTIFY_MESSAGE>;
