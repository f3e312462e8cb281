/*
 * The cost model behind simulated time, in nanoseconds. It is a plain,
 * documented model of a small microkernel on a ~1 GHz core — not fitted to
 * any measured result. Simulated time advances only by these charges and by
 * timers; it never reads the wall clock.
 */
export const COST = {
  /** Entering the kernel for any IPC trap. */
  trap: 120,
  /** Copying a message into the receiver and making it runnable. */
  deliver: 380,
  /** Switching the CPU to a different process. */
  contextSwitch: 250,
  /** A kernel call (SYS_*) from a system process, excluding data copied. */
  kernelCall: 300,
  /** Per byte of data copied between address spaces (safecopy, vircopy, physcopy). */
  copyPerByte: 0.25,
  /** A server's request dispatch (decode, table lookup), charged at each receive of a request. */
  dispatch: 150,
  /** Flushing the file system to the (simulated) disk: MFS waits this long on a sync. */
  diskFlush: 50_000,
  /** Undo-log instrumentation: one logged store (charged to the overhead ledger). */
  undoLogStore: 6,
  /** Window-clone dispatch at function entry (charged to the overhead ledger). */
  cloneDispatch: 1,
  /**
   * Recovery: the spare clone replaces the crashed server (the kernel swaps
   * the process slot, RS updates its table, the clone runs its SEF restart):
   * modelled as about ten kernel calls and messages' worth.
   */
  recoveryRestart: 10_000,
  /** Recovery: per byte of data section transferred to the clone (a copy between address spaces, as copyPerByte). */
  stateTransferPerByte: 0.25,
  /** Recovery: per undo-log entry rolled back (one restored store, as undoLogStore). */
  rollbackPerEntry: 6,
} as const;

/** Simulated time one recovery takes: restart, state transfer (bytes of data section) and rollback (entries). */
export function recoveryCostNs(stateBytes: number, rolledBack: number): number {
  return COST.recoveryRestart + COST.stateTransferPerByte * stateBytes + COST.rollbackPerEntry * rolledBack;
}
