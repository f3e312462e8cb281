/*
 * Copying snapshot data on restore: a copier compiled per value shape gives
 * the same copy as structuredClone, faster. Restores run thousands of times
 * per campaign, and the data sections are tables of like records.
 *
 * The entry points into this file are:
 *   cloneSnapshotData   the same copy of snapshot data as structuredClone(v)
 *   releaseCopies       give typed arrays a copy made back, for later copies to reuse
 */
type Copier = (v: unknown) => unknown;

/**
 * Snapshot values (a data section, the crash list, a grant table) and the
 * copier compiled for each; null: not plain data, structuredClone copies it.
 * A snapshot is never changed once taken, so a copier built from a value's
 * structure stays exact for that value.
 */
const copiers = new WeakMap<object, Copier | null>();

/**
 * The same copy of snapshot data as structuredClone(v). With `made`, the
 * typed arrays the copy holds are listed there, for its owner to give back
 * (releaseCopies) when nothing can use the copy any more.
 */
export function cloneSnapshotData<T>(v: T, made?: ArrayBufferView[]): T {
  if (typeof v !== 'object' || v === null) return v;
  let c = copiers.get(v);
  if (c === undefined) {
    c = isPlainTree(v, new Set()) ? compileCopier(v, new Map()).fn : null;
    copiers.set(v, c);
  }
  if (!c) return structuredClone(v);
  const outer = madeNow;
  madeNow = made ?? null;
  try {
    return c(v) as T;
  } finally {
    madeNow = outer;
  }
}

/*
 * Typed arrays given back (releaseCopies), by prototype (the type) and
 * byte length. A restore copies two megabytes of typed arrays (MFS's disk,
 * pipe and DS buffers) into the servers' state; refilling released ones
 * spares the allocation and the collector's work. A copier takes one when
 * there is one (its old bytes all overwritten: same type, same byte
 * length) and slices otherwise; either way the copy owns its whole buffer,
 * as a slice does. A few restores' worth are kept, the rest left to the
 * collector.
 */
const released = new Map<object, Map<number, ArrayBufferView[]>>();
let releasedBytes = 0;
const MAX_RELEASED_BYTES = 8 << 20;
/** Where the copy being made lists its typed arrays (cloneSnapshotData's `made`). */
let madeNow: ArrayBufferView[] | null = null;

/**
 * Give back the typed arrays a copy was made with (cloneSnapshotData's
 * `made`): its owner is done with it, and nothing may read or write them
 * afterwards. The list is emptied.
 */
export function releaseCopies(made: ArrayBufferView[]): void {
  for (const a of made) {
    if (releasedBytes + a.byteLength > MAX_RELEASED_BYTES) continue;
    const type = Object.getPrototypeOf(a) as object;
    let byLen = released.get(type);
    if (!byLen) { byLen = new Map(); released.set(type, byLen); }
    let free = byLen.get(a.byteLength);
    if (!free) { free = []; byLen.set(a.byteLength, free); }
    free.push(a);
    releasedBytes += a.byteLength;
  }
  made.length = 0;
}

/** A copy of the typed array `s` (which owns its whole buffer, isPlainTree): a released one refilled, or a slice. */
function copyTyped(s: Uint8Array): Uint8Array {
  const reuse = released.get(Object.getPrototypeOf(s) as object)?.get(s.byteLength)?.pop() as Uint8Array | undefined;
  let out: Uint8Array;
  if (reuse) { reuse.set(s); out = reuse; releasedBytes -= reuse.byteLength; } else out = s.slice();
  if (madeNow) madeNow.push(out);
  return out;
}

const TYPED_ARRAY_PROTOS: readonly object[] = [
  Uint8Array.prototype, Int8Array.prototype, Uint16Array.prototype, Int16Array.prototype,
  Uint32Array.prototype, Int32Array.prototype, Float32Array.prototype, Float64Array.prototype,
];

/**
 * Data that compiled copiers copy exactly as structuredClone would:
 * primitives (no symbols, no functions), dense arrays without extra
 * properties, plain objects (Object.prototype, enumerable data properties,
 * no "__proto__" key) and typed arrays that own their whole buffer — a tree,
 * nothing reached twice.
 */
function isPlainTree(v: unknown, seen: Set<object>): boolean {
  if (v === null) return true;
  const t = typeof v;
  if (t === 'symbol' || t === 'function') return false;
  if (t !== 'object') return true;
  const o = v as object;
  if (seen.has(o)) return false;
  seen.add(o);
  if (Array.isArray(o)) {
    if (Object.getPrototypeOf(o) !== Array.prototype) return false;
    // Dense: every index present, and no property besides the indices and length.
    if (Object.getOwnPropertyNames(o).length !== o.length + 1 || Object.getOwnPropertySymbols(o).length) return false;
    for (let i = 0; i < o.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(o, i)) return false;
      if (!isPlainTree(o[i], seen)) return false;
    }
    return true;
  }
  if (ArrayBuffer.isView(o)) {
    // structuredClone copies a view's bytes (not its expando properties); slice() does the same when the view owns its buffer.
    if (!TYPED_ARRAY_PROTOS.includes(Object.getPrototypeOf(o))) return false;
    if (o.byteOffset !== 0 || o.byteLength !== o.buffer.byteLength || Object.getPrototypeOf(o.buffer) !== ArrayBuffer.prototype) return false;
    if (seen.has(o.buffer)) return false;
    seen.add(o.buffer);
    return true;
  }
  if (Object.getPrototypeOf(o) !== Object.prototype || Object.getOwnPropertySymbols(o).length) return false;
  for (const key of Object.getOwnPropertyNames(o)) {
    if (key === '__proto__') return false;
    const desc = Object.getOwnPropertyDescriptor(o, key)!;
    if (!('value' in desc) || !desc.enumerable) return false;
    if (!isPlainTree(desc.value, seen)) return false;
  }
  return true;
}

interface Compiled { id: number; fn: Copier }

/**
 * A copier for the plain tree `v` (isPlainTree), specialised to its shape:
 * one generated function per distinct record shape builds the copy as an
 * object literal (fields in the original order), arrays of primitives and
 * typed arrays are sliced. Copiers of equal shapes are shared through
 * `shapes` (key: the shape's signature), so a table of 256 like records
 * compiles one function. Primitive values need no copier (null).
 */
function compileCopier(v: object, shapes: Map<string, Compiled>): Compiled {
  const intern = (sig: string, make: () => Copier): Compiled => {
    let c = shapes.get(sig);
    if (!c) { c = { id: shapes.size, fn: make() }; shapes.set(sig, c); }
    return c;
  };
  const sub = (x: unknown): Compiled | null => (typeof x === 'object' && x !== null ? compileCopier(x, shapes) : null);
  const sigOf = (c: Compiled | null): string => (c ? String(c.id) : 'p');
  if (ArrayBuffer.isView(v)) return intern('T', () => (s) => copyTyped(s as Uint8Array));
  if (Array.isArray(v)) {
    const elems = v.map(sub);
    if (elems.every((c) => c === null)) return intern('F', () => (s) => (s as unknown[]).slice());
    return intern(`A[${elems.map(sigOf).join(',')}]`, () => {
      const fns = elems.map((c) => (c ? c.fn : null));
      return (x) => {
        const s = x as unknown[];
        const out: unknown[] = [];
        for (let i = 0; i < fns.length; i++) {
          const f = fns[i]!;
          out.push(f === null ? s[i] : f(s[i]));
        }
        return out;
      };
    });
  }
  const rec = v as Record<string, unknown>;
  const keys = Object.keys(rec);
  const fields = keys.map((k) => sub(rec[k]));
  const sig = `O{${keys.map((k, i) => `${JSON.stringify(k)}:${sigOf(fields[i]!)}`).join(',')}}`;
  return intern(sig, () => {
    const fns = fields.map((c) => (c ? c.fn : null));
    const body = keys.map((k, i) => {
      const q = JSON.stringify(k);
      return fns[i] === null ? `${q}: s[${q}]` : `${q}: f[${i}](s[${q}])`;
    });
    return new Function('f', `return function copy(s) { return { ${body.join(', ')} }; };`)(fns) as Copier;
  });
}
