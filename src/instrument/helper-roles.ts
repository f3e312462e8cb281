/*
 * The servers' allocation, release and bulk-copy helpers, by name: what the
 * mem-leak, dangling-pointer and buffer-overflow faults target. `sizeArg`
 * is the argument that says how much (allocation size or copy length).
 */
export interface HelperRole { role: 'copy' | 'alloc' | 'release'; sizeArg: number }

export const HELPER_ROLES: Record<string, HelperRole> = {
  // bulk copies (sizeArg: the length; -1 when the helper has none)
  copyValue: { role: 'copy', sizeArg: 2 },
  pipeTake: { role: 'copy', sizeArg: 2 },
  vircopyFrom: { role: 'copy', sizeArg: 2 },
  safecopyFrom: { role: 'copy', sizeArg: 3 },
  copyProc: { role: 'copy', sizeArg: -1 },
  copyRegion: { role: 'copy', sizeArg: -1 },
  pipePut: { role: 'copy', sizeArg: -1 },
  // allocations
  allocFrames: { role: 'alloc', sizeArg: 1 },
  allocRegion: { role: 'alloc', sizeArg: 3 },
  allocFilp: { role: 'alloc', sizeArg: -1 },
  allocFd: { role: 'alloc', sizeArg: -1 },
  allocPipe: { role: 'alloc', sizeArg: -1 },
  allocPid: { role: 'alloc', sizeArg: -1 },
  allocKey: { role: 'alloc', sizeArg: -1 },
  allocSub: { role: 'alloc', sizeArg: -1 },
  allocService: { role: 'alloc', sizeArg: -1 },
  getVnode: { role: 'alloc', sizeArg: -1 },
  // releases
  freeFrames: { role: 'release', sizeArg: -1 },
  freeRegion: { role: 'release', sizeArg: -1 },
  releaseSpace: { role: 'release', sizeArg: -1 },
  freeProc: { role: 'release', sizeArg: -1 },
  freeKey: { role: 'release', sizeArg: -1 },
  freeSub: { role: 'release', sizeArg: -1 },
  freeService: { role: 'release', sizeArg: -1 },
  releasePipe: { role: 'release', sizeArg: -1 },
  putVnode: { role: 'release', sizeArg: -1 },
  cancelAlarm: { role: 'release', sizeArg: -1 },
  revoke: { role: 'release', sizeArg: -1 },
};
