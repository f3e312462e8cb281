/*
 * The undo log: unit behaviour, and the rollback property — a handler
 * fixture compiled through the ckpt variant makes a random sequence of
 * stores to a server-like data section; rolling the log back restores a
 * data section deep-equal to the clone taken at the checkpoint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import seedrandom from 'seedrandom';
import { analyzeFile } from '../src/instrument/blocks';
import { instrumentText } from '../src/instrument/build';
import * as runtime from '../src/osiris/hooks';
import { windowsOf } from './helpers/hook-context';
import { UndoLog } from '../src/osiris/undo-log';
import { Checkpointing, RECOVERABLE_SLOTS } from '../src/osiris/checkpoint';
import { COST } from '../src/os/kernel/cost';
import type { Kernel } from '../src/os/kernel/kernel';
import type { Proc } from '../src/os/kernel/proc';

/* ---- unit behaviour ---- */

test('rollback undoes stores newest first: a key stored twice gets its first old value back', () => {
  const log = new UndoLog();
  const o: Record<string, unknown> = { a: 1, b: 'x' };
  log.record(o, 'a'); o.a = 2;
  log.record(o, 'a'); o.a = 3;
  log.record(o, 'b'); o.b = 'y';
  assert.equal(log.size, 3);
  assert.equal(log.rollback(), 3);
  assert.deepEqual(o, { a: 1, b: 'x' });
  assert.equal(log.size, 0);
});

test('a key absent before the store is deleted again; a key holding undefined stays, holding undefined', () => {
  const log = new UndoLog();
  const o: Record<string, unknown> = { u: undefined };
  log.record(o, 'n'); o.n = 5;
  log.record(o, 'u'); o.u = 6;
  log.record(o, 'u'); delete o.u;
  log.rollback();
  assert.ok(!('n' in o));
  assert.ok('u' in o);
  assert.equal(o.u, undefined);
});

test('typed arrays, symbol and numeric keys roll back', () => {
  const log = new UndoLog();
  const ta = new Int32Array([1, 2, 3]);
  const sym = Symbol('s');
  const o: Record<PropertyKey, unknown> = { [sym]: 'a', 7: 'seven' };
  log.record(ta, 1); ta[1] = 99;
  log.record(o, sym); o[sym] = 'b';
  log.record(o, 7); o[7] = 'eight';
  log.rollback();
  assert.deepEqual([...ta], [1, 2, 3]);
  assert.equal(o[sym], 'a');
  assert.equal(o[7], 'seven');
});

test('an array grown by an index store gets its length back', () => {
  const log = new UndoLog();
  const a = [1, 2];
  log.record(a, 2); a[2] = 3;
  log.record(a, '5'); a[5] = 6;
  log.rollback();
  assert.deepEqual(a, [1, 2]);
  assert.equal(a.length, 2);
});

test('reset forgets the entries (nothing is rolled back), keeps the high-water mark and the total', () => {
  const log = new UndoLog();
  const o = { a: 1 };
  for (let i = 0; i < 4; i++) { log.record(o, 'a'); o.a = 10 + i; }
  log.reset();
  assert.equal(log.size, 0);
  assert.equal(log.rollback(), 0);
  assert.equal(o.a, 13);
  log.record(o, 'a');
  assert.equal(log.highWater, 4);
  assert.equal(log.recorded, 5);
  assert.equal(log.bytes(), 4 * 3 * 8);
});

test('a full log stops recording and says it overflowed, until the next reset', () => {
  const log = new UndoLog(3);
  const o = { a: 0 };
  for (let i = 1; i <= 5; i++) { log.record(o, 'a'); o.a = i; }
  assert.equal(log.size, 3);
  assert.equal(log.overflowed, true);
  assert.equal(log.recorded, 3);
  log.reset();
  assert.equal(log.overflowed, false);
  log.record(o, 'a');
  assert.equal(log.size, 1);
});

/* ---- checkpointing ---- */

test('Checkpointing keeps a log per recoverable server, resets it and opens the window at each request', () => {
  const procs = Array.from({ length: 16 }, (_, slot) => ({ slot }));
  const kernel = { procs, current: null, now: 0, overheadNs: 0, onRun: null as null | (() => void), step() {} };
  const c = new Checkpointing(kernel as unknown as Kernel, { logging: true, logLimit: 100 });
  for (const s of RECOVERABLE_SLOTS) assert.ok(c.log(s) instanceof UndoLog, `slot ${s} logs`);
  assert.equal(c.ctx.logs.filter((l) => l !== null).length, RECOVERABLE_SLOTS.length);
  runtime.activate(c.ctx);
  assert.equal(runtime.activeContext(), c.ctx);
  const p = procs[RECOVERABLE_SLOTS[0]!] as unknown as Proc;
  c.log(p.slot)!.record({ a: 1 }, 'a');
  const m = { type: 1, source: 7 };
  c.checkpoint(p, m, true);
  assert.equal(c.log(p.slot)!.size, 0);
  assert.equal(c.windows.open[p.slot], true);
  // With the window open the hooks log for the running server, and charge the overhead ledger.
  (kernel as { current: unknown }).current = p;
  assert.equal(runtime.win(), true);
  const rec = { n: 1 };
  runtime.cset(rec, 'n', '+', 4);
  assert.equal(c.log(p.slot)!.size, 1);
  assert.equal(kernel.overheadNs, COST.cloneDispatch + COST.undoLogStore);
  c.windows.close(p.slot, 'test');
  assert.equal(c.windows.open[p.slot], false);
  assert.equal(runtime.win(), false);
  // A server that is not recoverable never opens a window.
  const other = procs[15] as unknown as Proc;
  c.checkpoint(other, m, true);
  assert.equal(c.windows.open[15], false);
  runtime.activate(null);
  const off = new Checkpointing(kernel as unknown as Kernel, { logging: false });
  assert.ok(off.ctx.logs.every((l) => l === null));
  runtime.activate(null);
});

/* ---- the rollback property through the ckpt variant ---- */

interface Rec { pid: number; flags: number; name: string; parent: number; slots: Int32Array; tags: Record<string, number> }

function initialState() {
  const procs: Rec[] = [];
  for (let i = 0; i < 6; i++) procs.push({ pid: i ? 0 : 1, flags: 0, name: i ? '' : 'init', parent: -1, slots: new Int32Array(4), tags: {} });
  return {
    nextId: 1,
    name: 'srv',
    maybe: null as string | null,
    procs,
    frames: new Uint8Array(24),
    counters: new Float64Array(3),
    byName: { init: { id: 1, refs: 1 } } as Record<string, { id: number; refs: number } | undefined>,
    grid: [[0, 1, 2], [3, 4, 5]] as unknown[][],
    list: [7] as number[],
  };
}

/** A handler making `ops` random stores of every kind the hooks cover. */
const HANDLER = `
export function handle(st: any, rnd: () => number, ops: number): number {
  const pick = (n: number) => Math.floor(rnd() * n);
  let done = 0;
  for (let i = 0; i < ops; i++) {
    const p = st.procs[pick(st.procs.length)];
    switch (pick(20)) {
      case 0: p.pid = pick(1000); break;
      case 1: p.flags |= 1 << pick(8); break;
      case 2: p.flags &= ~(1 << pick(8)); break;
      case 3: p.slots[pick(4)] = pick(1 << 20) - 5000; break;
      case 4: p.slots[pick(4)] += pick(50); break;
      case 5: st.frames[pick(st.frames.length)]++; break;
      case 6: --st.frames[pick(st.frames.length)]; break;
      case 7: st.counters[pick(3)] -= rnd(); break;
      case 8: { const k = 'k' + pick(5); st.byName[k] = { id: st.nextId++, refs: 1 }; break; }
      case 9: { const k = pick(2) ? 'k' + pick(5) : 'init'; delete st.byName[k]; break; }
      case 10: {
        const e = st.byName['k' + pick(5)];
        if (e) { e.refs += 1; e.id ||= 99; e.note ??= 'n'; }
        break;
      }
      case 11: p.tags['t' + pick(3)] = pick(9); break;
      case 12: delete p.tags['t' + pick(3)]; break;
      case 13: st.grid[pick(2)][pick(3)] = pick(2) ? null : { x: pick(5) }; break;
      case 14: {
        // Replace a whole record, then change the new one (rollback must bring the old record back).
        const r = { pid: -1, flags: 0, name: 'new', parent: 0, slots: new Int32Array(4), tags: {} as Record<string, number> };
        st.procs[pick(st.procs.length)] = r;
        r.slots[0] = 5;
        r.tags.fresh = 1;
        break;
      }
      case 15: st.list[st.list.length] = pick(100); break;
      case 16: st.name = st.name + pick(10); break;
      case 17: st.maybe = st.maybe === null ? 'm' + pick(3) : null; break;
      case 18: p.extra = pick(4); p.name &&= p.name + '!'; break;
      case 19: {
        const tmp: number[] = [];
        tmp[0] = pick(3);
        st.nextId += tmp[0];
        break;
      }
    }
    done++;
  }
  return done;
}
`;

function loadHandler(): (st: unknown, rnd: () => number, ops: number) => number {
  const sf = ts.createSourceFile('handler.ts', HANDLER, ts.ScriptTarget.ES2022, true);
  const blocks = analyzeFile(sf, { server: 'fx', file: 'handler.ts', excludeFaults: null });
  blocks.forEach((b, i) => { b.index = i; });
  const code = instrumentText(HANDLER, 'handler.ts', 'ckpt', blocks);
  const module = { exports: {} as any };
  new Function('require', 'exports', 'module', '__rt', code)(require, module.exports, module, runtime);
  return module.exports.handle;
}

test('rollback property: after random stores through the ckpt variant, rollback restores the checkpoint exactly (400 seeds)', () => {
  const handle = loadHandler();
  const log = new UndoLog();
  const kernel = { current: { slot: 0 }, now: 0, overheadNs: 0, step() {} };
  runtime.activate({ kernel: kernel as unknown as Kernel, logs: [log], windows: windowsOf(true), prof: null });
  let stores = 0;
  for (let seed = 0; seed < 400; seed++) {
    const rng = seedrandom(`rollback-${seed}`);
    const st = initialState();
    // A first request that commits: its changes stay (the log is reset at the next checkpoint).
    handle(st, rng, 1 + Math.floor(rng() * 20));
    log.reset();
    const atCheckpoint = structuredClone(st);
    const procRefs = [...st.procs];
    const ops = 1 + Math.floor(rng() * 60);
    assert.equal(handle(st, rng, ops), ops);
    stores += log.size;
    assert.equal(log.overflowed, false);
    log.rollback();
    assert.deepStrictEqual(st, atCheckpoint, `seed ${seed}: ${ops} operations rolled back`);
    // Records are restored by identity, not copied.
    assert.ok(st.procs.every((p, i) => p === procRefs[i]), `seed ${seed}: same record objects`);
  }
  assert.ok(stores > 400 * 20, `${stores} stores logged`);
  runtime.activate(null);
});

test('rollback property: several requests, only the last one rolled back', () => {
  const handle = loadHandler();
  const log = new UndoLog();
  const kernel = { current: { slot: 0 }, now: 0, overheadNs: 0, step() {} };
  runtime.activate({ kernel: kernel as unknown as Kernel, logs: [log], windows: windowsOf(true), prof: null });
  for (let seed = 0; seed < 50; seed++) {
    const rng = seedrandom(`requests-${seed}`);
    const st = initialState();
    let atCheckpoint = structuredClone(st);
    for (let req = 0; req < 8; req++) {
      log.reset();
      atCheckpoint = structuredClone(st);
      handle(st, rng, 1 + Math.floor(rng() * 30));
    }
    log.rollback();
    assert.deepStrictEqual(st, atCheckpoint, `seed ${seed}`);
  }
  runtime.activate(null);
});
