/*
 * The compiled sizer (src/os/kernel/data-section-size.ts) gives the number
 * dataSectionBytes gives — the cost model's state-transfer bytes — for real
 * server state and for state a fault has bent out of the template's shape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataSectionBytes } from '../src/os/kernel/cost';
import { compileSizer, sizerFor } from '../src/os/kernel/data-section-size';
import { cloneSnapshotData } from '../src/os/snapshot-copy';
import { bootSnapshot, restoreRun } from '../src/experiment/run-one';
import { BUILTIN_POLICIES } from '../src/osiris/policies';
import { testNames } from '../src/sim/programs';

const snap = bootSnapshot();
const SLOTS = Object.keys(snap.states).map(Number);

type Rec = Record<string, unknown>;

test('the compiled sizer gives dataSectionBytes for every server state, at boot and after programs ran', () => {
  const sim = restoreRun(snap, {
    block: -1, nullPointer: false, policy: BUILTIN_POLICIES.enhanced!, programs: testNames().slice(0, 12), seed: 'size',
    timeBudgetNs: 1e12, messageBudget: 1e7,
  });
  sim.run(testNames().slice(0, 12));
  assert.ok(SLOTS.length >= 6);
  for (const slot of SLOTS) {
    const tpl = snap.states[slot];
    const size = compileSizer(tpl);
    assert.equal(size(tpl), dataSectionBytes(tpl), `slot ${slot} at boot`);
    const live = sim.dataSection(slot);
    assert.equal(size(live), dataSectionBytes(live), `slot ${slot} after programs`);
    assert.ok(size(live) > 100, `slot ${slot} has a data section`);
  }
});

test('a state bent out of its template\'s shape is sized as the plain walk sizes it', () => {
  // Each mutation, applied to a fresh copy of a real server state; `same`: it leaves the count as it was.
  const mutations: [string, boolean, (st: Rec) => void][] = [
    ['a number field becomes a string', false, (st) => { const t = firstTable(st); (t[1] as Rec)[firstKey(t[1] as Rec)] = 'corrupt'; }],
    ['a record becomes null', false, (st) => { firstTable(st)[2] = null; }],
    ['a record becomes garbage {}', false, (st) => { firstTable(st)[0] = {}; }],
    ['a record gains a field', false, (st) => { (firstTable(st)[3] as Rec).extra = [1, 2, 3]; }],
    ['a record loses a field', false, (st) => { const r = firstTable(st)[3] as Rec; delete r[firstKey(r)]; }],
    ['one record in two table slots (counted once)', false, (st) => { const t = firstTable(st); t[5] = t[6]; }],
    ['a table grows holes and a tail', false, (st) => { const t = firstTable(st); t[t.length + 3] = 7; }],
    ['a scalar field becomes an array of records', false, (st) => { st[scalarKey(st)] = [{ a: 1 }, { a: 'b' }]; }],
    ['a table becomes a Map', false, (st) => { st[Object.keys(st)[0]!] = new Map([[1, { x: 2 }]]); }],
    ['a table becomes a typed array', false, (st) => { st[Object.keys(st)[0]!] = new Uint32Array(9); }],
    ['a record\'s fields in another order', true, (st) => { const t = firstTable(st); t[4] = Object.fromEntries(Object.entries(t[4] as Rec).reverse()); }],
    ['a record with a null prototype', true, (st) => { const t = firstTable(st); t[8] = Object.assign(Object.create(null), t[8] as Rec); }],
    ['a record refers back to the state (a cycle)', true, (st) => { (firstTable(st)[7] as Rec).back = st; }],
  ];
  for (const slot of [0, 1, 4]) {
    const tpl = snap.states[slot] as Rec;
    const size = sizerFor(tpl);
    for (const [what, same, mutate] of mutations) {
      const st = cloneSnapshotData(tpl);
      const before = dataSectionBytes(st);
      mutate(st);
      const want = dataSectionBytes(st);
      assert.equal(want === before, same, `slot ${slot}: ${what} ${same ? 'keeps' : 'changes'} the count`);
      assert.equal(size(st), want, `slot ${slot}: ${what}`);
    }
  }
});

test('shared and repeated objects are counted once, as the plain walk counts them', () => {
  const rec = { a: 1, b: 'xy', c: [1, 2] };
  const tpl = { t: [rec, { a: 2, b: 'z', c: [3, 4] }], n: 0 };
  const size = compileSizer(tpl);
  const shared = { a: 5, b: 'q', c: [9, 9] };
  for (const v of [{ t: [shared, shared], n: 0 }, { t: [shared, { ...shared, c: shared.c }], n: 1 }, { t: [rec, rec], n: rec }]) {
    assert.equal(size(v), dataSectionBytes(v));
  }
  assert.equal(size(7), 8);
  assert.equal(size('abc'), 14);
  assert.equal(compileSizer(null)({ x: 1 }), dataSectionBytes({ x: 1 }));
});

test('an enumerable property on Object.prototype is not taken for a record\'s field', () => {
  // A record that lost its field b, while Object.prototype has one: a for-in over the record would still see b.
  const tpl = { b: 0, t: [{ a: 1, b: 2 }, { a: 3, b: 4 }] };
  const size = compileSizer(tpl);
  const v = { b: 0, t: [{ a: 1 }, { a: 3, b: 4 }] };
  const proto = Object.prototype as Record<string, unknown>;
  proto.b = 'inherited';
  try {
    assert.equal(size(v), dataSectionBytes(v));
  } finally {
    delete proto.b;
  }
  assert.equal(size(v), dataSectionBytes(v));
});

/** The state's first array of records (every server has one). */
function firstTable(st: Rec): unknown[] {
  for (const k of Object.keys(st)) {
    const v = st[k];
    if (Array.isArray(v) && v.length > 8 && typeof v[0] === 'object' && v[0] !== null) return v;
  }
  throw new Error('no table');
}

/** A top-level number field of the state. */
function scalarKey(st: Rec): string {
  const k = Object.keys(st).find((x) => typeof st[x] === 'number');
  if (!k) throw new Error('no scalar');
  return k;
}

function firstKey(r: Rec): string {
  const k = Object.keys(r).find((x) => typeof r[x] === 'number');
  if (!k) throw new Error('no number field');
  return k;
}
