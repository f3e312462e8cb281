/*
 * Kernel calls available to system processes (MINIX's SYS_* calls). Each one
 * passes the SEEP hook like an outgoing message does.
 *
 * The entry points into this file are:
 *   SYS_*              the kernel-call numbers
 *   KERNEL_CALLS       every kernel call by name (the SEEP-table completeness test)
 *   kcallName          a call's name
 *   VMCTL_*, CPF_*, GET_*, PRIV_*   the operations and flags of SYS_VMCTL, grants, SYS_GETINFO, SYS_PRIVCTL
 */
export const SYS_FORK = 1;
export const SYS_EXEC = 2;
export const SYS_EXIT = 3;
export const SYS_KILL = 4;
export const SYS_GETKSIG = 5;
export const SYS_ENDKSIG = 6;
export const SYS_SIGSEND = 7;
export const SYS_SETALARM = 8;
export const SYS_TIMES = 9;
export const SYS_VMCTL = 10;
export const SYS_PHYSCOPY = 11;
export const SYS_PHYSZERO = 12;
export const SYS_SAFECOPYFROM = 13;
export const SYS_SAFECOPYTO = 14;
export const SYS_VIRCOPYFROM = 15;
export const SYS_VIRCOPYTO = 16;
export const SYS_SETGRANT = 17;
export const SYS_REVOKE = 18;
export const SYS_GETINFO = 19;
export const SYS_PRIVCTL = 20;
export const SYS_ABORT = 21;
export const SYS_DIAGCTL = 22;

export const KERNEL_CALLS: Record<string, number> = {
  SYS_FORK, SYS_EXEC, SYS_EXIT, SYS_KILL, SYS_GETKSIG, SYS_ENDKSIG, SYS_SIGSEND, SYS_SETALARM,
  SYS_TIMES, SYS_VMCTL, SYS_PHYSCOPY, SYS_PHYSZERO, SYS_SAFECOPYFROM, SYS_SAFECOPYTO,
  SYS_VIRCOPYFROM, SYS_VIRCOPYTO, SYS_SETGRANT, SYS_REVOKE, SYS_GETINFO, SYS_PRIVCTL, SYS_ABORT,
  SYS_DIAGCTL,
};

const names: Record<number, string> = {};
for (const [k, v] of Object.entries(KERNEL_CALLS)) names[v] = k;
export function kcallName(nr: number): string { return names[nr] ?? `SYS#${nr}`; }

/* SYS_VMCTL operations. */
export const VMCTL_MAP = 1;
export const VMCTL_UNMAP = 2;
export const VMCTL_CLEAR = 3;

/* Grant access bits. */
export const CPF_READ = 1;
export const CPF_WRITE = 2;

/* SYS_GETINFO queries. */
export const GET_CRASHINFO = 1;
export const GET_BOOTTIME = 2;
export const GET_PROCTAB = 3;

/* SYS_PRIVCTL operations. */
export const PRIV_ALLOW = 1;
export const PRIV_QUERY = 2;
