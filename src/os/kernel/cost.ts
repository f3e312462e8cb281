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
} as const;
