/*
 * Sizing a data section fast: a sizer compiled from a template data
 * section gives the same number as dataSectionBytes (cost.ts) for any
 * value, faster for values shaped like the template. Every state-transfer
 * recovery sizes the crashed server's state (thousands of values), and a
 * server's state keeps the shape of its boot-time data section: tables of
 * like records.
 *
 * The entry points into this file are:
 *   compileSizer(template)   a function that gives dataSectionBytes(v) for any v
 *   sizerFor(template)       the same, compiled once per template object
 */
import { dataSectionBytes } from './cost';

/** Sizes `v` as dataSectionBytes(v, seen) does, adding to `seen` the objects it counts. */
type Walker = (v: unknown, seen: Set<object>) => number;

/**
 * A sizer specialised to `template`'s shape. Each compiled walker checks
 * that the value it is given has the shape it was compiled for (a record's
 * own enumerable keys, in order; an array; a typed array) and hands
 * anything else to dataSectionBytes, so a crashed server's state — fields
 * of another type, records that gained or lost fields, shared or garbage
 * records a fault stored — is sized exactly as the plain walk sizes it.
 * Objects are counted once through the same `seen` set as the plain walk.
 */
export function compileSizer(template: unknown): (v: unknown) => number {
  if (typeof template !== 'object' || template === null) return (v) => dataSectionBytes(v);
  const root = walkerFor(template, new Map(), new Set());
  return (v) => (plainPrototype() ? root(v, new Set()) : dataSectionBytes(v));
}

/** Sizers by template: a sizer is exact for any value, so a template changed after compiling could only make it slower. */
const sizers = new WeakMap<object, (v: unknown) => number>();

/** compileSizer(template), compiled on first use and kept while the template lives. */
export function sizerFor(template: object): (v: unknown) => number {
  let s = sizers.get(template);
  if (!s) { s = compileSizer(template); sizers.set(template, s); }
  return s;
}

const OBJECT_PROTO = Object.prototype;

/**
 * Object.prototype has no enumerable property (as in any sane process): a
 * for-in over a plain record then yields exactly its own enumerable string
 * keys, which the record walkers compare without allocating.
 */
function plainPrototype(): boolean {
  for (const _ in OBJECT_PROTO) return false;
  return true;
}

/** A value that is not an object, as dataSectionBytes counts it. */
function primitiveBytes(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'number' || typeof v === 'bigint') return 8;
  if (typeof v === 'string') return 8 + 2 * v.length;
  return 0;
}

/** Add `v` to `seen`: false when it was there (one hash operation rather than has() and add()). */
function firstVisit(v: object, seen: Set<object>): boolean {
  const n = seen.size;
  return seen.add(v).size !== n;
}

/** Any value, by the plain walk (for what a compiled walker was not made for). */
const anyBytes: Walker = (v, seen) => dataSectionBytes(v, seen);

const viewBytes: Walker = (v, seen) => {
  if (!ArrayBuffer.isView(v) || !firstVisit(v, seen)) return anyBytes(v, seen);
  return 8 + v.byteLength;
};

/** An array of primitives (the template's): numbers are the common case. */
const primitiveArrayBytes: Walker = (v, seen) => {
  if (!Array.isArray(v) || !firstVisit(v, seen)) return anyBytes(v, seen);
  const a = v as unknown[];
  let n = 8;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    n += typeof x === 'number' ? 8 : typeof x === 'object' && x !== null ? anyBytes(x, seen) : primitiveBytes(x);
  }
  return n;
};

/** An array whose object elements are sized by `elem` (a table of like records); holes count as undefined, as for-of sees them. */
function arrayWalker(elem: Walker): Walker {
  return (v, seen) => {
    if (!Array.isArray(v) || !firstVisit(v, seen)) return anyBytes(v, seen);
    const a = v as unknown[];
    let n = 8;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      n += typeof x === 'object' && x !== null ? elem(x, seen) : primitiveBytes(x);
    }
    return n;
  };
}

/**
 * The walker for an object of the template, interned by its shape's
 * signature in `shapes` (a table of 256 like records compiles one
 * function). `open` holds the template objects being compiled: an object
 * reached again (shared or cyclic) is left to the plain walk.
 */
function walkerFor(t: object, shapes: Map<string, { sig: string; fn: Walker }>, open: Set<object>): Walker {
  if (ArrayBuffer.isView(t)) return viewBytes;
  if (open.has(t)) return anyBytes;
  open.add(t);
  try {
    if (Array.isArray(t)) {
      const elems = (t as unknown[]).filter((x): x is object => typeof x === 'object' && x !== null);
      if (elems.length === 0) return primitiveArrayBytes;
      // One walker for the elements: the first element's; elements of other shapes fail its check and take the plain walk.
      const first = elems[0]!;
      const elem = walkerFor(first, shapes, open);
      const sig = `A[${sigOf(elem, shapes)}]`;
      return intern(shapes, sig, () => arrayWalker(elem));
    }
    if (Object.getPrototypeOf(t) !== OBJECT_PROTO) return anyBytes;
    const rec = t as Record<string, unknown>;
    const keys = Object.keys(rec);
    // "__proto__" as an own key cannot be read back by name in generated code.
    if (keys.includes('__proto__')) return anyBytes;
    const fields = keys.map((k) => {
      const x = rec[k];
      return typeof x === 'object' && x !== null ? walkerFor(x, shapes, open) : typeof x;
    });
    const sig = `O{${keys.map((k, i) => `${JSON.stringify(k)}:${fieldSig(fields[i]!, shapes)}`).join(',')}}`;
    return intern(shapes, sig, () => recordWalker(keys, fields));
  } finally {
    open.delete(t);
  }
}

function intern(shapes: Map<string, { sig: string; fn: Walker }>, sig: string, make: () => Walker): Walker {
  let c = shapes.get(sig);
  if (!c) { c = { sig: String(shapes.size), fn: make() }; shapes.set(sig, c); }
  return c.fn;
}

/** A walker's short name in signatures (the shared walkers have fixed ones). */
function sigOf(w: Walker, shapes: Map<string, { sig: string; fn: Walker }>): string {
  if (w === anyBytes) return '*';
  if (w === viewBytes) return 'T';
  if (w === primitiveArrayBytes) return 'F';
  for (const c of shapes.values()) if (c.fn === w) return c.sig;
  throw new Error('data-section-size: a walker outside its table');
}

function fieldSig(f: Walker | string, shapes: Map<string, { sig: string; fn: Walker }>): string {
  return typeof f === 'string' ? f : sigOf(f, shapes);
}

/**
 * A record of the template's keys: the value must be a plain object whose
 * own enumerable keys are exactly `keys`, in order (what Object.values
 * walks, seen through for-in); each field is then read by name and sized inline for the type
 * the template had there, through `sub` walkers for object fields.
 */
function recordWalker(keys: string[], fields: (Walker | string)[]): Walker {
  const subs: Walker[] = [];
  const lines = keys.map((k, i) => {
    const q = JSON.stringify(k);
    const f = fields[i]!;
    if (typeof f !== 'string') { subs.push(f); return `x = v[${q}]; n += typeof x === 'object' && x !== null ? s[${subs.length - 1}](x, seen) : p(x);`; }
    const fast = f === 'number' ? `typeof x === 'number' ? 8`
      : f === 'string' ? `typeof x === 'string' ? 8 + 2 * x.length`
      : f === 'boolean' ? `typeof x === 'boolean' ? 1` : null;
    return fast ? `x = v[${q}]; n += ${fast} : typeof x === 'object' && x !== null ? a(x, seen) : p(x);`
      : `x = v[${q}]; n += typeof x === 'object' && x !== null ? a(x, seen) : p(x);`;
  });
  const body = [
    `if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== o) return a(v, seen);`,
    // Its keys, by for-in (no array made; plainPrototype: nothing inherited), must be the template's, in order.
    `let i = 0;`,
    `for (const k in v) { if (i === ${keys.length} || k !== K[i]) return a(v, seen); i++; }`,
    `if (i !== ${keys.length}) return a(v, seen);`,
    // Counted once (firstVisit), after the check: a value that fails it goes to the plain walk unseen.
    `const z = seen.size; if (seen.add(v).size === z) return 0;`,
    `let n = 8, x;`,
    ...lines,
    `return n;`,
  ];
  return new Function('a', 'p', 's', 'o', 'K', `return function sizeRecord(v, seen) {\n${body.join('\n')}\n};`)(anyBytes, primitiveBytes, subs, OBJECT_PROTO, keys) as Walker;
}
