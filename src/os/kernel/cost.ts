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

/**
 * The bytes of a data section as the state transfer copies them, by a fixed
 * layout close to a C struct's, so the same state gives the same count in
 * any process (V8's own serializer sizes a number by its internal
 * representation): a number 8, a boolean, null or undefined 1, a string a
 * pointer (8) plus 2 per character, an object, array or typed array a
 * pointer (8) plus its elements' or fields' values (field names take no
 * room) or its bytes. Each object is counted once (a crashed server's
 * state can hold one record in two places: a corrupt-pointer fault hands
 * a handler a table's neighbouring record, which it may store). Recovery
 * sizes through a sizer compiled from the server's boot-time state
 * (data-section-size.ts): the same number, faster.
 */
export function dataSectionBytes(v: unknown, seen: Set<object> = new Set()): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'number' || typeof v === 'bigint') return 8;
  if (typeof v === 'string') return 8 + 2 * v.length;
  if (typeof v !== 'object' || seen.has(v)) return 0;
  seen.add(v);
  if (ArrayBuffer.isView(v)) return 8 + v.byteLength;
  let n = 8;
  if (v instanceof Map) { for (const [k, x] of v) n += dataSectionBytes(k, seen) + dataSectionBytes(x, seen); return n; }
  for (const x of v instanceof Set || Array.isArray(v) ? v : Object.values(v)) n += dataSectionBytes(x, seen);
  return n;
}

/** Simulated time one recovery takes: restart, state transfer (bytes of data section) and rollback (entries). */
export function recoveryCostNs(stateBytes: number, rolledBack: number): number {
  return COST.recoveryRestart + COST.stateTransferPerByte * stateBytes + COST.rollbackPerEntry * rolledBack;
}
