/*
 * Data store calls (DS). Keys travel by grant: libc stages the key in the
 * I/O buffer and grants DS read access; DS reads it with a safecopy.
 * Memory values travel the same way (and come back through a write grant).
 *
 * The entry points into this file are:
 *   LibcDs      dsPublish*, dsRetrieve, dsDelete, dsSubscribe, dsUnsubscribe, dsCheck
 *   DsValue     a typed value as a program sees it
 *   DSF_*       the DS flags programs pass (re-exported from proto/ds.ts)
 */
import { Co } from '../kernel/types';
import { DS } from '../proto/endpoints';
import * as C from '../proto/calls';
import type { Args, Received, Request } from '../proto/messages';
import { CPF_READ, CPF_WRITE } from '../proto/kcalls';
import { IOBUF, IOBUF_SIZE, encoder } from './core';
import { DSF_TYPE_U32, DSF_TYPE_STR, DSF_TYPE_MEM } from '../proto/ds';
import { LibcFile } from './file';

export { DSF_TYPE_U32, DSF_TYPE_STR, DSF_TYPE_MEM, DSF_OVERWRITE, DSF_PRIVATE, DSF_INITIAL } from '../proto/ds';

export interface DsValue { type: number; u32?: number; str?: string; mem?: Uint8Array }

const KEY_OFF = 0;
const VAL_OFF = 256;

/** The DS calls that name a key (by grant). */
type DsKeyCall = typeof C.DS_PUBLISH | typeof C.DS_RETRIEVE | typeof C.DS_DELETE | typeof C.DS_SUBSCRIBE | typeof C.DS_UNSUBSCRIBE;

export class LibcDs extends LibcFile {
  private *dsCall<T extends DsKeyCall>(type: T, key: string, fields: Omit<Args<T>, 'keyGrant' | 'keyLen' | 'valGrant'>, valLen = 0, valAccess = CPF_READ): Co<{ r: number; m: Partial<Received<T>> }> {
    const k = encoder.encode(key);
    if (k.length > VAL_OFF) return { r: this.fail(36 /* ENAMETOOLONG */), m: {} };
    this.poke(IOBUF + KEY_OFF, k);
    const kg = this.grant(DS, IOBUF + KEY_OFF, k.length, CPF_READ);
    const vg = valLen > 0 ? this.grant(DS, IOBUF + VAL_OFF, valLen, valAccess) : -1;
    const m = yield* this.call<T>(DS, { type, keyGrant: kg, keyLen: k.length, valGrant: vg, ...fields } as unknown as Request<T> & { type: T }); // the generic spread: callers' fields are checked against Args<T>
    this.revoke(kg);
    if (vg >= 0) this.revoke(vg);
    return { r: this.result(m.type), m };
  }

  *dsPublishU32(key: string, value: number, flags = 0): Co<number> {
    return (yield* this.dsCall(C.DS_PUBLISH, key, { flags: flags | DSF_TYPE_U32, u32: value >>> 0 })).r;
  }

  *dsPublishStr(key: string, value: string, flags = 0): Co<number> {
    return (yield* this.dsCall(C.DS_PUBLISH, key, { flags: flags | DSF_TYPE_STR, str: value })).r;
  }

  *dsPublishMem(key: string, value: Uint8Array, flags = 0): Co<number> {
    if (value.length > IOBUF_SIZE - VAL_OFF) return this.fail(7 /* E2BIG */);
    this.poke(IOBUF + VAL_OFF, value);
    return (yield* this.dsCall(C.DS_PUBLISH, key, { flags: flags | DSF_TYPE_MEM, len: value.length }, value.length)).r;
  }

  /** Retrieve a value of the given type; null on error (errno set). */
  *dsRetrieve(key: string, type: number, maxLen = 1024): Co<DsValue | null> {
    const { r, m } = yield* this.dsCall(C.DS_RETRIEVE, key, { flags: type, len: maxLen }, type === DSF_TYPE_MEM ? maxLen : 0, CPF_WRITE);
    if (r < 0) return null;
    // The reply carries the field of the value's type (DS_RETRIEVE's layout: u32, str or len).
    if (type === DSF_TYPE_U32) return { type, u32: m.u32! >>> 0 };
    if (type === DSF_TYPE_STR) return { type, str: m.str };
    return { type, mem: this.peek(IOBUF + VAL_OFF, m.len!) };
  }

  *dsDelete(key: string, type: number): Co<number> { return (yield* this.dsCall(C.DS_DELETE, key, { flags: type })).r; }

  /** Subscribe to keys matching a regular-expression-free prefix pattern ("disk.*"). */
  *dsSubscribe(pattern: string, flags = 0): Co<number> { return (yield* this.dsCall(C.DS_SUBSCRIBE, pattern, { flags })).r; }

  *dsUnsubscribe(pattern: string): Co<number> { return (yield* this.dsCall(C.DS_UNSUBSCRIBE, pattern, {})).r; }

  /** Check for an updated key among the caller's subscriptions: {key, type} or null (ENOENT when none). */
  *dsCheck(): Co<{ key: string; type: number } | null> {
    const m = yield* this.call(DS, { type: C.DS_CHECK });
    if (m.type < 0) { this.result(m.type); return null; }
    return { key: m.key, type: m.flags };
  }
}
