/*
 * The undo log of one server: (object, key, old value) for every store made
 * while logging, reset at each checkpoint (top of the loop), walked
 * backwards to roll the data section back to the checkpoint. A size limit:
 * an overflowing log stops recording and reports it (the window must close).
 */

/** Marks a key that did not exist before the store (rollback deletes it). */
const ABSENT = Symbol('absent');

export class UndoLog {
  private objs: object[] = [];
  private keys: PropertyKey[] = [];
  private olds: unknown[] = [];
  size = 0;
  /** Largest size reached since creation (memory overhead measurement). */
  highWater = 0;
  overflowed = false;
  /** Stores recorded in total (overhead accounting). */
  recorded = 0;

  constructor(readonly limit = 1 << 16) {}

  record(obj: object, key: PropertyKey): void {
    const o = obj as Record<PropertyKey, unknown>;
    // The old value first: only an undefined one needs `in` to tell a
    // missing key from a present one. Typed-array elements, other number
    // keys and names are read at sites of their own (a megamorphic element
    // read from a typed array is slow: see the store hooks in hooks.ts).
    const old = typeof key !== 'number' ? o[key] : ArrayBuffer.isView(obj) ? o[key] : o[key];
    const present = old !== undefined || key in o;
    // A store past the end grows an array: deleting the element again would leave the length, so log it first.
    if (!present && Array.isArray(obj) && isIndex(key) && Number(key) >= obj.length && !this.push(obj, 'length', obj.length)) return;
    if (this.push(obj, key, present ? old : ABSENT)) this.recorded++;
  }

  private push(obj: object, key: PropertyKey, old: unknown): boolean {
    if (this.size >= this.limit) { this.overflowed = true; return false; }
    const i = this.size++;
    this.objs[i] = obj;
    this.keys[i] = key;
    this.olds[i] = old;
    if (this.size > this.highWater) this.highWater = this.size;
    return true;
  }

  reset(): void {
    // Drop references so rolled-over objects can be collected; keep capacity.
    for (let i = 0; i < this.size; i++) { this.objs[i] = undefined as unknown as object; this.olds[i] = undefined; }
    this.size = 0;
    this.overflowed = false;
  }

  /** Undo every recorded store, newest first; the log is empty afterwards. */
  rollback(): number {
    const n = this.size;
    for (let i = n - 1; i >= 0; i--) {
      const o = this.objs[i] as Record<PropertyKey, unknown>;
      const old = this.olds[i];
      if (old === ABSENT) delete o[this.keys[i]!];
      else o[this.keys[i]!] = old;
    }
    this.reset();
    return n;
  }

  /** Approximate bytes the entries take (three references each). */
  bytes(entries = this.highWater): number {
    return entries * 3 * 8;
  }
}

function isIndex(key: PropertyKey): boolean {
  if (typeof key === 'number') return Number.isInteger(key) && key >= 0;
  return typeof key === 'string' && /^(0|[1-9][0-9]*)$/.test(key);
}
