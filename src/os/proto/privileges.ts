/*
 * The kernel calls each system service may make: one bit per SYS_* number,
 * the canonical privilege table. The servers' definitions take their
 * callMask from here, and RS installs the same masks with SYS_PRIVCTL at
 * boot, so the kernel's view and RS's service table always agree.
 *
 * The entry points into this file are:
 *   SERVICE_CALL_MASKS           each service's kernel-call mask
 *   SERVICE_LABELS, ServiceLabel the services of the boot image, in slot order (as servers/index.ts boots them)
 *   callMaskOf                   a mask from a list of kernel-call numbers
 */
import * as K from './kcalls';

export type ServiceLabel = 'pm' | 'vfs' | 'rs' | 'ds' | 'vm' | 'mfs';

/** The services of the boot image, in slot order. */
export const SERVICE_LABELS: readonly ServiceLabel[] = Object.freeze(['pm', 'vfs', 'rs', 'ds', 'vm', 'mfs'] as const);

/** A call mask from a list of kernel-call numbers. */
export function callMaskOf(...calls: number[]): number {
  let mask = 0;
  for (const nr of calls) mask |= 1 << nr;
  return mask >>> 0;
}

/** Every kernel call: RS is the privileged service. */
const ALL_CALLS = 0xffffffff >>> 0;

export const SERVICE_CALL_MASKS: Readonly<Record<ServiceLabel, number>> = Object.freeze({
  pm: callMaskOf(K.SYS_EXEC, K.SYS_EXIT, K.SYS_KILL, K.SYS_GETKSIG, K.SYS_ENDKSIG, K.SYS_SIGSEND,
    K.SYS_SETALARM, K.SYS_TIMES, K.SYS_GETINFO, K.SYS_VIRCOPYFROM, K.SYS_VIRCOPYTO, K.SYS_DIAGCTL),
  vfs: callMaskOf(K.SYS_KILL, K.SYS_TIMES, K.SYS_SETGRANT, K.SYS_REVOKE, K.SYS_VIRCOPYFROM,
    K.SYS_VIRCOPYTO, K.SYS_SAFECOPYFROM, K.SYS_SAFECOPYTO, K.SYS_GETINFO, K.SYS_DIAGCTL),
  vm: callMaskOf(K.SYS_FORK, K.SYS_VMCTL, K.SYS_PHYSCOPY, K.SYS_PHYSZERO, K.SYS_TIMES, K.SYS_GETINFO,
    K.SYS_DIAGCTL),
  ds: callMaskOf(K.SYS_SAFECOPYFROM, K.SYS_SAFECOPYTO, K.SYS_TIMES, K.SYS_GETINFO, K.SYS_DIAGCTL),
  mfs: callMaskOf(K.SYS_SAFECOPYFROM, K.SYS_SAFECOPYTO, K.SYS_TIMES, K.SYS_GETINFO, K.SYS_DIAGCTL, K.SYS_SETALARM),
  rs: ALL_CALLS,
});
