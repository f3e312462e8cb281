/*
 * The service table: the services of the boot image, lookups by label and
 * endpoint, and the privileges RS installs in the kernel.
 *
 * The entry points into this file are:
 *   bootServices(st)              fill the table with the boot image's services
 *   findByLabel(st, label)        the slot of a service, or -1
 *   findByEndpoint(st, ep)        the slot of a service, or -1
 *   isLive(svc)                   alive and not crashed
 *   markCrashed(svc)              the service is dead until recovered
 *   installPrivileges(ctx)        make the kernel's call masks equal the table's
 */
import { panic } from '../../kernel/errors';
import { DS, MFS, NONE, PM, RS, VFS, VM } from '../../proto/endpoints';
import { ESRCH } from '../../proto/errno';
import { PRIV_ALLOW } from '../../proto/kcalls';
import { SERVICE_CALL_MASKS, ServiceLabel } from '../../proto/privileges';
import { ServerCtx } from '../../sef/server';
import { NR_SERVICES, RSF_ALIVE, RSF_CRASHED, RSF_PING_PENDING, RsService, RsState } from './state';

/** The boot image: every system service and its fixed endpoint. */
const BOOT_IMAGE: readonly Readonly<{ label: ServiceLabel; endpoint: number }>[] = Object.freeze([
  Object.freeze({ label: 'pm', endpoint: PM }),
  Object.freeze({ label: 'vfs', endpoint: VFS }),
  Object.freeze({ label: 'rs', endpoint: RS }),
  Object.freeze({ label: 'ds', endpoint: DS }),
  Object.freeze({ label: 'vm', endpoint: VM }),
  Object.freeze({ label: 'mfs', endpoint: MFS }),
]);

export function bootServices(st: RsState): void {
  for (const b of BOOT_IMAGE) {
    if (findByLabel(st, b.label) >= 0) panic('rs', `service ${b.label} is in the table twice`);
    const slot = allocService(st, b.label, b.endpoint, SERVICE_CALL_MASKS[b.label]);
    if (slot < 0) panic('rs', `no table slot for boot service ${b.label}`);
    st.services[slot]!.flags = RSF_ALIVE;
  }
}

function allocService(st: RsState, label: string, endpoint: number, callMask: number): number {
  for (let i = 0; i < NR_SERVICES; i++) {
    const s = st.services[i]!;
    if (s.inUse) continue;
    s.inUse = true;
    s.label = label;
    s.endpoint = endpoint;
    s.callMask = callMask >>> 0;
    s.flags = 0;
    s.pings = 0;
    s.pongs = 0;
    s.restarts = 0;
    s.unanswered = 0;
    return i;
  }
  return -1;
}

function freeService(st: RsState, slot: number): void {
  const s = st.services[slot]!;
  if (!s.inUse) panic('rs', `freeing free table slot ${slot}`);
  s.inUse = false;
  s.label = '';
  s.endpoint = NONE;
  s.callMask = 0;
  s.flags = 0;
}

export function findByLabel(st: RsState, label: string): number {
  for (let i = 0; i < NR_SERVICES; i++) {
    const s = st.services[i]!;
    if (s.inUse && s.label === label) return i;
  }
  return -1;
}

export function findByEndpoint(st: RsState, ep: number): number {
  for (let i = 0; i < NR_SERVICES; i++) {
    const s = st.services[i]!;
    if (s.inUse && s.endpoint === ep) return i;
  }
  return -1;
}

export function isLive(s: RsService): boolean {
  return s.inUse && (s.flags & RSF_ALIVE) !== 0 && (s.flags & RSF_CRASHED) === 0;
}

export function markCrashed(s: RsService): void {
  if (!s.inUse) panic('rs', 'crash of a free table slot');
  s.flags = (s.flags | RSF_CRASHED) & ~(RSF_ALIVE | RSF_PING_PENDING);
}

/**
 * RS's own privileges come from its definition; every other service gets its
 * table mask. A service the kernel does not know was left out of this boot
 * (a reduced system): it leaves the table, so it is neither pinged nor found.
 */
export function installPrivileges(ctx: ServerCtx<RsState>): void {
  for (let i = 0; i < NR_SERVICES; i++) {
    const s = ctx.st.services[i]!;
    if (!s.inUse || s.endpoint === ctx.self) continue;
    const r = ctx.sys.privctl(s.endpoint, PRIV_ALLOW, s.callMask);
    if (r === -ESRCH) freeService(ctx.st, i);
    else if (r < 0) panic('rs', `privctl(${s.label}) failed: ${r}`);
  }
}
