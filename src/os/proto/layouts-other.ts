/*
 * The layouts of VM's, DS's and RS's messages: request fields and reply
 * fields with their types, as messages.ts describes them.
 *
 * The entry points into this file are:
 *   VM_LAYOUTS   requests from PM (fork, exit, exec, signals) and from user processes (brk, mmap)
 *   DS_LAYOUTS   the data store: keys and values travel by grant, small values inline
 *   RS_LAYOUTS   the reincarnation server: services are named by label
 */
import * as C from './calls';
import type { Layout } from './layout';

export const VM_LAYOUTS = {
  [C.VM_BRK]: { req: { addr: 'n' }, reply: {} },
  [C.VM_MMAP]: { req: { addr: 'n', len: 'n' }, reply: { addr: 'n' } },
  [C.VM_MUNMAP]: { req: { addr: 'n', len: 'n' }, reply: {} },
  [C.VM_FORK]: { req: { parent: 'n', slot: 'n' }, reply: { endpoint: 'n' } },
  [C.VM_EXIT]: { req: { endpoint: 'n' }, reply: {} },
  [C.VM_EXEC_NEWMEM]: { req: { endpoint: 'n' }, reply: {} },
  [C.VM_WILLEXIT]: { req: { endpoint: 'n' }, reply: {} },
  [C.VM_NOTIFY_SIG]: { req: { endpoint: 'n', sig: 'n' }, reply: {} },
  [C.VM_INFO]: { req: {}, reply: { free: 'n', total: 'n' } },
  [C.VM_GETPHYS]: { req: { endpoint: 'n', addr: 'n' }, reply: {} },
  [C.VM_MPROTECT]: { req: { addr: 'n', len: 'n', prot: 'n' }, reply: {} },
} as const satisfies Record<number, Layout>;

export const DS_LAYOUTS = {
  /* A u32 or string value travels inline (u32, str); a memory value by grant (valGrant, len). */
  [C.DS_PUBLISH]: {
    req: { keyGrant: 'n', keyLen: 'n', valGrant: 'n', flags: 'n', u32: 'n?', str: 's?', len: 'n?' },
    reply: {},
  },
  [C.DS_RETRIEVE]: {
    req: { keyGrant: 'n', keyLen: 'n', valGrant: 'n', flags: 'n', len: 'n?' },
    reply: { u32: 'n?', str: 's?', len: 'n?' },
  },
  [C.DS_DELETE]: { req: { keyGrant: 'n', keyLen: 'n', valGrant: 'n', flags: 'n' }, reply: {} },
  [C.DS_CHECK]: { req: {}, reply: { key: 's', flags: 'n' } },
  [C.DS_SUBSCRIBE]: { req: { keyGrant: 'n', keyLen: 'n', valGrant: 'n', flags: 'n' }, reply: {} },
  [C.DS_UNSUBSCRIBE]: { req: { keyGrant: 'n', keyLen: 'n', valGrant: 'n' }, reply: {} },
  [C.DS_PM_EXIT]: { req: { endpoint: 'n' }, reply: {} },
} as const satisfies Record<number, Layout>;

export const RS_LAYOUTS = {
  [C.RS_SERVICE_FI]: { req: { label: 's' }, reply: {} },
  [C.RS_LOOKUP]: { req: { label: 's' }, reply: {} },
  [C.RS_INIT]: { req: {}, reply: {} },
  [C.RS_STATUS]: { req: { label: 's' }, reply: { restarts: 'n', pings: 'n', pongs: 'n', alive: 'n' } },
} as const satisfies Record<number, Layout>;
