/*
 * Value comparison of server state for the SEEP audit: is a value the same
 * as before (by content, not identity), which fields of a data section
 * differ, and where in a data section an object sits (its path, to name
 * the field a store changed).
 *
 * The entry points into this file are:
 *   sameValue(a, b)            structural equality (typed arrays by element)
 *   copyState(v)               a copy of a data section
 *   diffState(a, b, path, out) the differing leaves of two copies of a data section
 *   pathsTo(root, targets)     the path of each target object reachable from root
 *   show(v)                    a short printable form of a value
 */

export interface Change { field: string; old: string; new: string }

/** A key absent before a store (a store that added it). */
export const ABSENT: unique symbol = Symbol('absent');

type Rec = Record<PropertyKey, unknown>;

function isTyped(v: unknown): v is ArrayLike<number> & ArrayBufferView {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (isTyped(a) || isTyped(b)) return isTyped(a) && isTyped(b) && sameTyped(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!(k in b) || !sameValue((a as Rec)[k], (b as Rec)[k])) return false;
  return true;
}

/** Typed arrays of one kind with the same elements (compared as bytes: a disk image is a megabyte). */
function sameTyped(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A copy of a data section (plain records, arrays and typed arrays), cheaper than structuredClone. */
export function copyState<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (isTyped(v)) return (v as unknown as Uint8Array).slice() as unknown as T;
  if (Array.isArray(v)) return v.map(copyState) as unknown as T;
  const out: Rec = {};
  for (const k of Object.keys(v)) out[k] = copyState((v as Rec)[k]);
  return out as T;
}

function child(path: string, key: string, parentIsArray: boolean): string {
  return parentIsArray ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
}

/** Push the differing leaves of `a` (before) and `b` (after) under `path` to `out`, at most `limit` of them. */
export function diffState(a: unknown, b: unknown, path: string, out: Change[], limit = 8): void {
  if (out.length >= limit || Object.is(a, b)) return;
  if (isTyped(a) && isTyped(b) && a.length === b.length && a.constructor === b.constructor) {
    if (sameTyped(a, b)) return;
    for (let i = 0; i < a.length && out.length < limit; i++) {
      if (!Object.is(a[i], b[i])) out.push({ field: `${path}[${i}]`, old: show(a[i]), new: show(b[i]) });
    }
    return;
  }
  const objs = typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !isTyped(a) && !isTyped(b);
  if (!objs || Array.isArray(a) !== Array.isArray(b)) { out.push({ field: path, old: show(a), new: show(b) }); return; }
  const arr = Array.isArray(a);
  const keys = Object.keys(a);
  for (const k of Object.keys(b)) if (!(k in a)) keys.push(k);
  for (const k of keys) {
    const f = child(path, k, arr);
    if (!(k in (b as Rec))) { if (out.length < limit) out.push({ field: f, old: show((a as Rec)[k]), new: '(absent)' }); continue; }
    if (!(k in (a as Rec))) { if (out.length < limit) out.push({ field: f, old: '(absent)', new: show((b as Rec)[k]) }); continue; }
    diffState((a as Rec)[k], (b as Rec)[k], f, out, limit);
  }
}

/**
 * Breadth-first from `root`: the path of every target object found, so the
 * first path is the shortest. Stops once every target has been found;
 * typed arrays are leaves (their elements are not objects).
 */
export function pathsTo(root: object, targets: Set<object>): Map<object, string> {
  const found = new Map<object, string>();
  const seen = new Set<object>([root]);
  let level: [object, string][] = [[root, '']];
  if (targets.has(root)) found.set(root, '');
  while (level.length > 0 && found.size < targets.size) {
    const next: [object, string][] = [];
    for (const [o, p] of level) {
      if (isTyped(o)) continue;
      const arr = Array.isArray(o);
      for (const k of Object.keys(o)) {
        const v = (o as Rec)[k];
        if (typeof v !== 'object' || v === null || seen.has(v)) continue;
        seen.add(v);
        const path = child(p, k, arr);
        if (targets.has(v)) found.set(v, path);
        next.push([v, path]);
      }
    }
    level = next;
  }
  return found;
}

/** A field name for key `key` of an object at `path`. */
export function fieldName(path: string, obj: object, key: PropertyKey): string {
  return child(path, String(key), Array.isArray(obj) || isTyped(obj));
}

export function show(v: unknown): string {
  if (v === ABSENT) return '(absent)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object' || v === null) return String(v);
  if (isTyped(v)) return `${v.constructor.name}(${v.length})`;
  let s: string;
  try { s = JSON.stringify(v); } catch { s = Object.prototype.toString.call(v); }
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
